// What the monitoring methods share: the run's reference rows, time order, the model's outputs and metric.
import type { Table } from '../../src/core/data/table.ts';
import { columnByName } from '../../src/core/data/table.ts';
import { parseDate } from '../../src/core/data/values.ts';
import { encodeLabels, transformFeatures } from '../../src/core/data/preprocess.ts';
import { runSplitRows } from '../../src/core/evaluation/report.ts';
import { predictMatrix } from '../../src/core/model/predict-table.ts';
import { splitMetrics } from '../../src/core/model/split-metrics.ts';
import type { RunRecord, TrainedModel } from '../../src/core/model/spec.ts';
import type { RunWithModel } from '../../src/core/pipeline/derive-run.ts';
import type { Result } from '../../src/core/util/result.ts';
import type { RunRef } from '../train/run-cache.ts';
import { ok } from '../../src/core/util/result.ts';

type TableSource = (id: string) => Promise<Result<{ table: Table; name: string }>>;

/** What the monitoring modules are given: tables and runs by id, the backend, and a cancel flag they share. */
export interface MonitorContext {
  table: TableSource;
  /** A run and its model by id (through the training worker's run cache), or the pair itself. */
  resolve: (ref: RunRef) => Promise<Result<RunWithModel>>;
  ensureBackend: () => Promise<unknown>;
  cancel: { requested: boolean };
}

/** Every row index of a table of n rows. */
export const all = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

/** Rows in time order: by the run's time column (or a date column) when the table has one, else file order. */
export function timeOrder(table: Table, column: string | undefined): Uint32Array {
  const rows = all(table.rowCount);
  const col = column ? columnByName(table, column) : undefined;
  if (!col) return rows;
  const t = col.dictionary.map(parseDate);
  const at = (r: number) => (col.codes[r]! < 0 ? Infinity : t[col.codes[r]!]!);
  return rows.sort((a, b) => at(a) - at(b) || a - b);
}

/** The run's table and its seeded train/validation/test rows. */
export async function reference(o: MonitorContext, run: RunRecord) {
  const t = await o.table(run.dataset.id);
  if (!t.ok) return t;
  const s = runSplitRows(run, t.value.table);
  if (!s.ok) return s;
  return ok({ ...t.value, split: s.value });
}

/**
 * What every monitoring job starts with: the run and its model (by id through the run source, or as
 * given), the backend up, a fresh cancel flag, and the run's dataset with its split rows.
 */
export async function openRun(o: MonitorContext, runRef: RunRef) {
  const found = await o.resolve(runRef);
  if (!found.ok) return found;
  await o.ensureBackend();
  o.cancel.requested = false;
  const ref = await reference(o, found.value.run);
  if (!ref.ok) return ref;
  return ok({ ...found.value, ref: ref.value });
}

/** The model's outputs on rows of a table (null when the rows cannot be encoded). */
export async function outputs(model: TrainedModel, table: Table, rows: Uint32Array, name: string) {
  const X = transformFeatures(model.preprocessor, table, rows, name);
  if (!X.ok) return null;
  return predictMatrix(model, X.value, rows.length);
}

/** The model's accuracy (or RMSE) on rows that carry labels; null without labels or outputs. */
export function metricOn(model: TrainedModel, table: Table, rows: Uint32Array, name: string, out: Float64Array | null) {
  const pre = model.preprocessor;
  if (!out || !columnByName(table, pre.label.column)) return null;
  const y = encodeLabels(pre, table, rows, name);
  if (!y.ok) return null;
  const m = splitMetrics(pre, out, y.value);
  return pre.label.task === 'classification'
    ? { name: 'accuracy' as const, value: m.accuracy! }
    : { name: 'rmse' as const, value: m.rmse! };
}
