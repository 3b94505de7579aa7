import type { RunRecord } from '../contracts/run-record.ts';
import { noBetterThanBaseline, ruleBranchesAgree } from './baseline-warnings.ts';
import { evaluationSummary } from './evaluation-summary.ts';
import type { Insight } from './insight.ts';
import { overfitting } from './overfitting.ts';

/**
 * What to say on top of a run: the evaluation summary, then its warnings (overfitting, no better than
 * its baseline, a rule baseline whose branches agree). A run without metrics (still running, failed)
 * gets none.
 * @example runInsights(run).map((i) => i.code) // ['evaluation-summary', 'overfitting']
 */
export function runInsights(run: Pick<RunRecord, 'task' | 'metrics' | 'baselines' | 'history'>): Insight[] {
  if (!run.metrics?.validation) return [];
  const warnings = [overfitting(run), noBetterThanBaseline(run), ruleBranchesAgree(run)];
  return [evaluationSummary(run), ...warnings.filter((w): w is Insight => w !== null)];
}
