import type { RunRecord } from '../contracts/run-record.ts';
import { inferSchema, withRole } from '../data/schema.ts';
import type { Table } from '../data/table.ts';
import type { Preprocessor } from '../data/preprocess.ts';
import { prepareData, type EncodedSet, type PreparedData } from '../model/prepare.ts';
import type { Result } from '../util/result.ts';

/**
 * Rebuilds a run's train/validation/test splits from its dataset: the run's label, split (kind,
 * fractions, seed) and task, with preprocessing refitted on the training rows — the same rows and
 * encoding the run was scored on when the table is the run's dataset version.
 * Cost: O(rows × inputs). Errors: those of `prepareData` (no label, too few rows, a missing column).
 * @example const p = prepareRunSplits(parent.run, table); if (p.ok) p.value.validation.rows
 */
export function prepareRunSplits(run: RunRecord, table: Table): Result<PreparedData> {
  const schema = withRole(inferSchema(table, run.label), run.label, 'label');
  return prepareData(table, schema, run.split, run.dataset.name, run.task);
}

/**
 * The splits with labels encoded in a model's own classes (its class order may differ from the
 * refitted preprocessor's); rows of a class the model never saw are left out, as `prepareData`
 * leaves out classes training never saw. Unchanged when the classes agree, and for regression.
 * Cost: O(rows × inputs) when relabelling, O(classes) otherwise.
 * @example const sets = inModelClasses(model.preprocessor, prepared.value)
 */
export function inModelClasses(modelPre: Preprocessor, prepared: PreparedData): PreparedData {
  const own = prepared.pre.label;
  const want = modelPre.label;
  if (want.task !== 'classification' || own.task !== 'classification') return prepared;
  if (want.classes.length === own.classes.length && want.classes.every((c, i) => c === own.classes[i])) return prepared;
  const index = own.classes.map((c) => want.classes.indexOf(c));
  const d = prepared.pre.inputSize;
  const relabel = (set: EncodedSet): EncodedSet => {
    const keep: number[] = [];
    set.y.forEach((v, i) => index[v]! >= 0 && keep.push(i));
    const X = new Float32Array(keep.length * d);
    keep.forEach((i, j) => X.set(set.X.subarray(i * d, (i + 1) * d), j * d));
    return {
      X,
      y: Int32Array.from(keep, (i) => index[set.y[i]!]!),
      rows: Uint32Array.from(keep, (i) => set.rows[i]!),
    };
  };
  return {
    ...prepared,
    train: relabel(prepared.train),
    validation: relabel(prepared.validation),
    test: relabel(prepared.test),
  };
}
