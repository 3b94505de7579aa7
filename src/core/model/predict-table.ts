import type { Table } from '../data/table.ts';
import { transformFeatures } from '../data/preprocess.ts';
import { predictClassical } from '../families/index.ts';
import { applyCalibrator } from '../calibration/calibrators.ts';
import { onnxRunner, toProbabilities } from './onnx-runner.ts';
import type { Result } from '../util/result.ts';
import { assert, ok } from '../util/result.ts';
import { artifactsToModel, disposeModel } from './artifacts.ts';
import { checkModel, STORED_MODEL_NAMES } from './model-sanity.ts';
import { predictOutputs, rawToOutputs } from './predict.ts';
import type { TrainedModel } from './spec.ts';

/**
 * Predicts preprocessed rows (row-major n × inputSize) with any trained model: class probabilities
 * (n × k) or regression values in the label's units.
 */
export async function predictMatrix(model: TrainedModel, X: Float32Array, n: number): Promise<Float64Array> {
  const pre = model.preprocessor;
  assert(
    model.kind !== 'ensemble',
    () => 'predictMatrix: ensembles predict from table rows (predictAnyRows), not one matrix',
  );
  let out: Float64Array;
  if (model.kind === 'onnx') {
    const raw = await onnxRunner()(new Uint8Array(model.onnx.bytes), X, n, pre.inputSize);
    const k = pre.label.task === 'classification' ? pre.label.classes.length : 1;
    out = pre.label.task === 'classification' ? toProbabilities(raw, n, k) : Float64Array.from(raw);
  } else if (model.kind === 'classical')
    out = rawToOutputs(pre, predictClassical(model.classical, X, n, pre.inputSize), n);
  else {
    const m = await artifactsToModel(model.artifacts);
    try {
      out = await predictOutputs(m, pre, X, n);
    } finally {
      disposeModel(m);
    }
  }
  return calibrated(model, out);
}

/** A model loaded once for many predictions (a serving loop): predict() per request, dispose() at the end. */
export interface LoadedPredictor {
  predict(X: Float32Array, n: number): Promise<Float64Array>;
  dispose(): void;
}

/**
 * Loads a model for repeated prediction: the tfjs graph is built once (predictMatrix builds it per
 * call, fine for one batch, wrong for per-request latency), ONNX bytes keep one identity so the
 * runtime's session cache hits.
 */
export async function loadPredictor(model: TrainedModel): Promise<LoadedPredictor> {
  const pre = model.preprocessor;
  assert(model.kind !== 'ensemble', () => 'loadPredictor: ensembles predict from table rows');
  if (model.kind === 'onnx') {
    const bytes = new Uint8Array(model.onnx.bytes);
    const k = pre.label.task === 'classification' ? pre.label.classes.length : 1;
    return {
      predict: async (X, n) => {
        const raw = await onnxRunner()(bytes, X, n, pre.inputSize);
        return calibrated(
          model,
          pre.label.task === 'classification' ? toProbabilities(raw, n, k) : Float64Array.from(raw),
        );
      },
      dispose: () => {},
    };
  }
  if (model.kind === 'classical') {
    const c = model.classical;
    return {
      predict: async (X, n) => calibrated(model, rawToOutputs(pre, predictClassical(c, X, n, pre.inputSize), n)),
      dispose: () => {},
    };
  }
  const m = await artifactsToModel(model.artifacts);
  let live = true;
  return {
    predict: async (X, n) => {
      assert(live, () => 'loadPredictor: the model was disposed');
      return calibrated(model, await predictOutputs(m, pre, X, n));
    },
    dispose: () => {
      if (live) disposeModel(m);
      live = false;
    },
  };
}

/** Applies the model's calibrator, if it has one, to its class probabilities. */
export function calibrated(model: TrainedModel, out: Float64Array): Float64Array {
  if (!model.calibrator || model.preprocessor.label.task !== 'classification') return out;
  return applyCalibrator(model.calibrator, out, model.preprocessor.label.classes.length);
}

/**
 * Loads a saved model and predicts the given rows of a table, applying the saved preprocessing.
 * Returns outputs row-major (probabilities n × k, or regression values).
 * Errors: a column the model needs is missing from the table; the model fails its sanity check
 * (src/core/model/model-sanity.ts: sizes, memory, non-finite weights) — checked before it is built.
 */
export async function predictTableRows(
  model: TrainedModel,
  table: Table,
  rows: Uint32Array,
  file = 'the dataset',
): Promise<Result<Float64Array>> {
  const sane = checkModel(model, STORED_MODEL_NAMES);
  if (!sane.ok) return sane;
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
