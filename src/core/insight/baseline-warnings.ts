import type { BaselineScore, RunRecord } from '../contracts/run-record.ts';
import { baselineLift } from './evaluation-summary.ts';
import { f4, type Insight } from './insight.ts';

/**
 * A warning when the model does not beat its strongest validation baseline by more than the "no
 * better" margin (see `NO_BETTER_ACCURACY`, `NO_BETTER_RMSE_SHARE`); null otherwise or without baselines.
 * @example noBetterThanBaseline(run)?.code // 'no-better-than-baseline'
 */
export function noBetterThanBaseline(run: Pick<RunRecord, 'task' | 'metrics' | 'baselines'>): Insight | null {
  const l = baselineLift(run);
  if (!l || l.better) return null;
  const name = l.metric === 'accuracy' ? 'accuracy' : 'RMSE';
  return {
    tone: 'bad',
    code: 'no-better-than-baseline',
    text:
      `No better than its baseline: validation ${name} ${f4(run.metrics.validation[l.metric])} against ` +
      `${f4(l.base)} for ${l.baseline.name} (${l.baseline.detail}). The model has learned nothing that ` +
      `simple rule does not know; try other features, another model family or more training.`,
  };
}

/** What a threshold baseline predicts on each side: its `branches`, or read from older records' text. */
export function ruleBranches(b: BaselineScore): [string, string] | null {
  if (b.branches) return b.branches;
  const m = /→ "(.*?)", otherwise "(.*?)"/.exec(b.detail);
  return m ? [m[1]!, m[2]!] : null;
}

/**
 * A warning when the "Best single-feature rule" baseline predicts the same class on both sides of its
 * split: it is then the zero-rule, not a rule, and says nothing about any feature. Reads `branches`,
 * or the rule text of runs stored before branches were kept.
 * @example ruleBranchesAgree(run)?.text // 'The "Best single-feature rule" baseline predicts "good" on both sides …'
 */
export function ruleBranchesAgree(run: Pick<RunRecord, 'task' | 'baselines'>): Insight | null {
  if (run.task !== 'classification') return null;
  const b = run.baselines?.find((x) => x.kind === 'threshold');
  const br = b && ruleBranches(b);
  if (!b || !br || br[0] !== br[1]) return null;
  return {
    tone: 'warn',
    code: 'rule-branches-agree',
    text:
      `The "${b.name}" baseline predicts "${br[0]}" on both sides of its split, so it is the zero-rule in ` +
      `disguise: no single feature separates the classes on its own.`,
  };
}
