import type { EpochRecord, RunRecord } from '../contracts/run-record.ts';
import { f4, type Insight } from './insight.ts';

/**
 * When a gap between training and validation means memorising rather than learning:
 * - classification: train accuracy at least `NEAR_PERFECT` (0.995) with validation `NEAR_PERFECT_GAP`
 *   (0.03) or more below it, or any gap of `ACCURACY_GAP` (0.10) or more;
 * - regression: validation RMSE at least `RMSE_RATIO` (1.5) times the training RMSE;
 * - in the history (any task): validation loss ends `LOSS_RISE` (20%) or more above its minimum, at
 *   least `LOSS_EPOCHS` (3) epochs after it, while training loss went on falling.
 */
export const OVERFITTING = Object.freeze({
  NEAR_PERFECT: 0.995,
  NEAR_PERFECT_GAP: 0.03,
  ACCURACY_GAP: 0.1,
  RMSE_RATIO: 1.5,
  LOSS_RISE: 0.2,
  LOSS_EPOCHS: 3,
});

/** The epoch of lowest validation loss and the last one, when validation loss climbed well above it. */
function climbingLoss(history: readonly EpochRecord[]) {
  const h = history.filter((e) => Number.isFinite(e.validation.loss) && Number.isFinite(e.train.loss));
  if (h.length < OVERFITTING.LOSS_EPOCHS + 1) return null;
  const min = h.reduce((a, b) => (b.validation.loss < a.validation.loss ? b : a));
  const last = h.at(-1)!;
  const rose = last.validation.loss >= min.validation.loss * (1 + OVERFITTING.LOSS_RISE);
  const later = last.epoch - min.epoch >= OVERFITTING.LOSS_EPOCHS;
  return rose && later && last.train.loss < min.train.loss ? { min, last } : null;
}

/**
 * A warning when the run shows overfitting (thresholds in `OVERFITTING`), naming the numbers that show
 * it; null for a healthy run.
 * @example overfitting(run)?.text // 'Overfitting: train accuracy 1.0000, validation 0.8200 …'
 */
export function overfitting(run: Pick<RunRecord, 'task' | 'metrics' | 'history'>): Insight | null {
  const { train, validation } = run.metrics;
  const reasons: string[] = [];
  if (run.task === 'classification' && train.accuracy !== undefined && validation.accuracy !== undefined) {
    const gap = train.accuracy - validation.accuracy;
    if (
      gap >= OVERFITTING.ACCURACY_GAP ||
      (train.accuracy >= OVERFITTING.NEAR_PERFECT && gap >= OVERFITTING.NEAR_PERFECT_GAP)
    )
      reasons.push(`train accuracy ${f4(train.accuracy)}, validation ${f4(validation.accuracy)}`);
  }
  if (run.task === 'regression' && train.rmse !== undefined && validation.rmse !== undefined && train.rmse > 0) {
    if (validation.rmse >= OVERFITTING.RMSE_RATIO * train.rmse)
      reasons.push(
        `validation RMSE ${f4(validation.rmse)} is ${(validation.rmse / train.rmse).toFixed(1)}× the training RMSE ${f4(train.rmse)}`,
      );
  }
  const c = climbingLoss(run.history);
  if (c)
    reasons.push(
      `validation loss rose from ${f4(c.min.validation.loss)} (epoch ${c.min.epoch}) to ` +
        `${f4(c.last.validation.loss)} (epoch ${c.last.epoch}) while training loss fell from ` +
        `${f4(c.min.train.loss)} to ${f4(c.last.train.loss)}`,
    );
  if (!reasons.length) return null;
  return {
    tone: 'warn',
    code: 'overfitting',
    text:
      `Overfitting: ${reasons.join('; ')}. The model memorises its training rows; regularise it, ` +
      `make it smaller, stop earlier or give it more data.`,
  };
}
