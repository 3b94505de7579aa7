import { liftOverBaselines, primaryMetric } from '../baselines/baselines.ts';
import type { RunRecord } from '../contracts/run-record.ts';
import { f4, signed, type Insight } from './insight.ts';

/**
 * Below this lift over the strongest baseline a model is "no better" than it: half an accuracy point
 * for classes; for regression 1% of the baseline's RMSE (so it scales with the label's units).
 */
export const NO_BETTER_ACCURACY = 0.005;
export const NO_BETTER_RMSE_SHARE = 0.01;

type RunScores = Pick<RunRecord, 'task' | 'metrics' | 'baselines'>;

/** The model's lift over its strongest validation baseline and whether it counts as better. */
export function baselineLift(run: RunScores) {
  const metric = primaryMetric(run.task);
  const lift = liftOverBaselines(run.metrics.validation, run.baselines ?? [], metric);
  if (!lift) return null;
  const base = lift.baseline.validation[metric]!;
  const margin = run.task === 'classification' ? NO_BETTER_ACCURACY : NO_BETTER_RMSE_SHARE * Math.abs(base);
  return { ...lift, metric, base, better: lift.lift > margin };
}

/**
 * One sentence on how good a run is on its validation split, against its strongest baseline:
 * "Validation accuracy 0.9333, +0.27 over the strongest baseline (Zero-rule)."; regression reports
 * RMSE and R² ("Validation RMSE 3.2100 (R² 0.8400), 1.4500 lower than the strongest baseline (Zero-rule).").
 * Tone: good when the model beats the baseline by more than the "no better" margin, warn otherwise.
 * @example evaluationSummary(run).text // 'Validation accuracy 0.9333, +0.27 over the strongest baseline (Zero-rule).'
 */
export function evaluationSummary(run: RunScores): Insight {
  const v = run.metrics.validation;
  const l = baselineLift(run);
  if (run.task === 'classification') {
    const head = `Validation accuracy ${f4(v.accuracy)}`;
    if (!l) return { tone: 'info', code: 'evaluation-summary', text: `${head} (no baseline to compare with).` };
    return {
      tone: l.better ? 'good' : 'warn',
      code: 'evaluation-summary',
      text: l.better
        ? `${head}, ${signed(l.lift)} over the strongest baseline (${l.baseline.name}).`
        : `${head}, ${signed(l.lift)} against the strongest baseline (${l.baseline.name}, ${f4(l.base)}): no better than it.`,
    };
  }
  const head = `Validation RMSE ${f4(v.rmse)} (R² ${f4(v.r2)})`;
  if (!l) return { tone: 'info', code: 'evaluation-summary', text: `${head} (no baseline to compare with).` };
  return {
    tone: l.better ? 'good' : 'warn',
    code: 'evaluation-summary',
    text: l.better
      ? `${head}, ${f4(l.lift)} lower than the strongest baseline (${l.baseline.name}).`
      : `${head}, against ${f4(l.base)} for the strongest baseline (${l.baseline.name}): no better than it.`,
  };
}
