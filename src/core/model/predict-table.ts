import type { Table } from '../data/table.ts';
import { transformFeatures } from '../data/preprocess.ts';
import type { Result } from '../util/result.ts';
import { ok } from '../util/result.ts';
import { artifactsToModel, disposeModel } from './artifacts.ts';
import { predictOutputs } from './predict.ts';
import type { TrainedModel } from './spec.ts';

/**
 * Loads a saved model and predicts the given rows of a table, applying the saved preprocessing.
 * Returns outputs row-major (probabilities n × k, or regression values).
 * Errors: a column the model needs is missing from the table.
 */
export async function predictTableRows(model: TrainedModel, table: Table, rows: Uint32Array, file = 'the dataset'): Promise<Result<Float64Array>> {
  const X = transformFeatures(model.preprocessor, table, rows, file);
  if (!X.ok) return X;
  const m = await artifactsToModel(model.artifacts);
  try {
    return ok(await predictOutputs(m, model.preprocessor, X.value, rows.length));
  } finally {
    disposeModel(m);
  }
}

/** Largest absolute difference between two output vectors (Infinity when lengths differ). */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
