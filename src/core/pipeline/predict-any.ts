import type { TrainedModel } from '../contracts/model.ts';
import type { Table } from '../data/table.ts';
import { combineOutputs } from '../ensemble/combine-outputs.ts';
import { calibrated, predictTableRows } from '../model/predict-table.ts';
import type { Result } from '../util/result.ts';
import { ok } from '../util/result.ts';

/**
 * Outputs of any trained model — network, classical, ONNX or an ensemble of any of them — on rows of
 * a table: class probabilities (rows × k, row-major) or regression values in the label's units, with
 * the model's calibrator applied. Each model encodes the rows with its own preprocessor, so members
 * of an ensemble may read the table differently. For an already encoded matrix use `predictMatrix`.
 * Cost: one prediction per (member) model over `rows`.
 * Errors: a column the model (or a member) needs is missing from the table.
 * @example const p = await predictAny(model, table, Uint32Array.of(0, 1, 2)); // p.value: 3 × k
 */
export async function predictAny(
  model: TrainedModel,
  table: Table,
  rows: Uint32Array,
  file = 'the dataset',
): Promise<Result<Float64Array>> {
  if (model.kind !== 'ensemble') return predictTableRows(model, table, rows, file);
  const outs: Float64Array[] = [];
  for (const m of model.ensemble.members) {
    const o = await predictAny(m, table, rows, file);
    if (!o.ok) return o;
    outs.push(o.value);
  }
  const pre = model.preprocessor;
  const k = pre.label.task === 'classification' ? pre.label.classes.length : 1;
  return ok(calibrated(model, combineOutputs(model.ensemble, outs, rows.length, k)));
}
