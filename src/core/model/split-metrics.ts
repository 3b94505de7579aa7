import type { Preprocessor } from '../data/preprocess.ts';
import { accuracy } from '../metrics/accuracy.ts';
import { argmaxRows } from '../metrics/argmax-rows.ts';
import { macroF1 } from '../metrics/f1-score.ts';
import { logLoss } from '../metrics/log-loss.ts';
import { regressionErrors } from '../metrics/regression-errors.ts';
import type { SplitMetrics } from './spec.ts';

/**
 * Metrics of model outputs against encoded labels. Classification: loss = log loss, accuracy,
 * macro F1. Regression: loss = MSE on standardized targets (what the optimizer minimizes), and
 * RMSE/MAE/R² in the label's own units. All in float64.
 */
export function splitMetrics(
  pre: Preprocessor,
  outputs: Float64Array,
  y: Int32Array | Float32Array,
  predicted?: Int32Array,
): SplitMetrics {
  const label = pre.label;
  if (y.length === 0) return { loss: NaN };
  if (label.task === 'classification') {
    const k = label.classes.length;
    // `predicted` lets a randomized baseline draw its classes instead of taking the argmax.
    const pred = predicted ?? argmaxRows(outputs, k);
    return { loss: logLoss(y, outputs, k), accuracy: accuracy(y, pred), macroF1: macroF1(y, pred, k) };
  }
  const truth = Float64Array.from(y, (v) => v * label.std + label.mean);
  const e = regressionErrors(truth, outputs);
  return { loss: (e.rmse / label.std) ** 2, ...e };
}
