import type { Table } from '../data/table.ts';
import { transformFeatures } from '../data/preprocess.ts';
import { predictClassical } from '../classical/classical-model.ts';
import { applyCalibrator } from '../calibration/calibrators.ts';
import { onnxRunner, toProbabilities } from './onnx-runner.ts';
import type { Result } from '../util/result.ts';
import { assert, ok } from '../util/result.ts';
import { artifactsToModel, disposeModel } from './artifacts.ts';
import { predictOutputs, rawToOutputs } from './predict.ts';
import type { TrainedModel } from './spec.ts';

/**
 * Predicts preprocessed rows (row-major n × inputSize) with any trained model: class probabilities
 * (n × k) or regression values in the label's units.
 */
export async function predictMatrix(model: TrainedModel, X: Float32Array, n: number): Promise<Float64Array> {
  const pre = model.preprocessor;
  assert(!model.ensemble, () => 'predictMatrix: ensembles predict from table rows (predictAnyRows), not one matrix');
  let out: Float64Array;
  if (model.onnx) {
    const raw = await onnxRunner()(new Uint8Array(model.onnx.bytes), X, n, pre.inputSize);
    const k = pre.label.task === 'classification' ? pre.label.classes.length : 1;
    out = pre.label.task === 'classification' ? toProbabilities(raw, n, k) : Float64Array.from(raw);
  } else if (model.classical) out = rawToOutputs(pre, predictClassical(model.classical, X, n, pre.inputSize), n);
  else {
    const m = await artifactsToModel(model.artifacts!);
    try {
      out = await predictOutputs(m, pre, X, n);
    } finally {
      disposeModel(m);
    }
  }
  return calibrated(model, out);
}

/** Applies the model's calibrator, if it has one, to its class probabilities. */
export function calibrated(model: TrainedModel, out: Float64Array): Float64Array {
  if (!model.calibrator || model.preprocessor.label.task !== 'classification') return out;
  return applyCalibrator(model.calibrator, out, model.preprocessor.label.classes.length);
}

/**
 * Loads a saved model and predicts the given rows of a table, applying the saved preprocessing.
 * Returns outputs row-major (probabilities n × k, or regression values).
 * Errors: a column the model needs is missing from the table.
 */
export async function predictTableRows(model: TrainedModel, table: Table, rows: Uint32Array, file = 'the dataset'): Promise<Result<Float64Array>> {
  const X = transformFeatures(model.preprocessor, table, rows, file);
  if (!X.ok) return X;
  return ok(await predictMatrix(model, X.value, rows.length));
}

/** Largest absolute difference between two output vectors (Infinity when lengths differ). */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
