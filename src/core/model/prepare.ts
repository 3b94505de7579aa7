import { columnByName, type Table } from '../data/table.ts';
import type { Schema } from '../data/schema.ts';
import {
  encodeLabels,
  fitPreprocessor,
  inferTask,
  labelledRows,
  transformFeatures,
  type Preprocessor,
  type Task,
} from '../data/preprocess.ts';
import { splitRows, type SplitIndices, type SplitSpec } from '../data/split.ts';
import { parseDate, parseNumber } from '../data/values.ts';
import type { Problem, Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';

/** Model inputs above which (and above 10 per training row) a table is noted as far wider than long. */
const WIDE_INPUTS = 1000;

/** One encoded split: features (row-major n × d), labels, and the table rows they came from. */
export interface EncodedSet {
  X: Float32Array;
  y: Int32Array | Float32Array;
  rows: Uint32Array;
}

export interface PreparedData {
  pre: Preprocessor;
  task: Task;
  train: EncodedSet;
  validation: EncodedSet;
  test: EncodedSet;
}

/**
 * From a table and a schema to encoded train/validation/test sets: drops rows without a label,
 * splits them (seeded; stratified by the label for classification; ordered by `timeColumn` for a
 * time split), fits preprocessing on the training rows only and encodes all three sets.
 * Errors name the column at fault.
 * Cost: O(rows × inputs).
 */
export function prepareData(
  table: Table,
  schema: Schema,
  split: SplitSpec,
  file = 'the dataset',
  task: Task = inferTask(schema),
): Result<PreparedData> {
  if (schema.label === null)
    return fail({
      kind: 'no-label',
      file,
      message: `${file}: choose a label column (the value to predict) before training.`,
    });
  const warnings: Problem[] = [];
  const labelled = labelledRows(table, schema.label);
  const dropped = table.rowCount - labelled.length;
  if (dropped > 0)
    warnings.push({
      kind: 'missing-label',
      file,
      column: schema.label,
      message: `${file}: ${dropped} row(s) have no "${schema.label}" value and are left out of training and evaluation.`,
    });
  if (labelled.length < 3)
    return fail(
      {
        kind: 'too-few-rows',
        file,
        column: schema.label,
        message:
          `${file}: only ${labelled.length} of ${table.rowCount} row(s) have a "${schema.label}" value; ` +
          `at least 3 are needed to split into train, validation and test.`,
      },
      warnings,
    );

  let strata: Int32Array | undefined;
  let order: Float64Array | undefined;
  const labelCol = columnByName(table, schema.label)!;
  if (split.kind === 'stratified' && task === 'classification')
    strata = Int32Array.from(labelled, (r) => labelCol.codes[r]!);
  if (split.kind === 'time') {
    const timeCol = split.timeColumn ? columnByName(table, split.timeColumn) : undefined;
    if (!timeCol)
      return fail(
        {
          kind: 'no-time-column',
          file,
          column: split.timeColumn,
          message:
            `A time-ordered split needs a date or numeric column to order ` +
            `by${split.timeColumn ? `; "${split.timeColumn}" is not in ${file}` : ''}.`,
        },
        warnings,
      );
    const parsed = timeCol.dictionary.map((s) => {
      const d = parseDate(s);
      return Number.isNaN(d) ? parseNumber(s) : d;
    });
    order = Float64Array.from(labelled, (r) => (timeCol.codes[r]! < 0 ? NaN : parsed[timeCol.codes[r]!]!));
  }
  const local: SplitIndices = splitRows(labelled.length, split, strata, order);
  const toRows = (idx: Uint32Array) => Uint32Array.from(idx, (i) => labelled[i]!);
  const rows = { train: toRows(local.train), validation: toRows(local.validation), test: toRows(local.test) };
  if (rows.validation.length === 0)
    return fail(
      {
        kind: 'empty-split',
        file,
        message: `${file}: the validation split is empty; give it a larger fraction or use more rows.`,
      },
      warnings,
    );

  const fitted = fitPreprocessor(table, schema, rows.train, task, file);
  if (!fitted.ok) return fail(fitted.error, [...warnings, ...fitted.warnings]);
  warnings.push(...fitted.warnings);
  const pre = fitted.value;
  if (pre.inputSize > Math.max(WIDE_INPUTS, 10 * rows.train.length))
    warnings.push({
      kind: 'wide-table',
      file,
      message:
        `${file}: ${pre.inputSize.toLocaleString('en-US')} model inputs (from ${pre.features.length.toLocaleString('en-US')} ` +
        `feature columns) for ${rows.train.length} training rows; with far more inputs than rows a model can fit ` +
        `noise. Ignore columns or use more rows (a file with rows and columns swapped looks like this).`,
    });

  const encode = (r: Uint32Array): Result<EncodedSet> => {
    const X = transformFeatures(pre, table, r, file);
    if (!X.ok) return X;
    const y = encodeLabels(pre, table, r, file);
    if (!y.ok) return y;
    // Rows whose class never appeared in training cannot be scored; keep them out, loudly.
    if (y.value instanceof Int32Array && y.value.some((v) => v < 0)) {
      const keep: number[] = [];
      y.value.forEach((v, i) => v >= 0 && keep.push(i));
      warnings.push({
        kind: 'unseen-class',
        file,
        column: pre.label.column,
        message:
          `${r.length - keep.length} row(s) outside training have a "${pre.label.column}" class that ` +
          `training never saw; they are left out of evaluation.`,
      });
      const d = pre.inputSize;
      const X2 = new Float32Array(keep.length * d);
      keep.forEach((i, j) => X2.set(X.value.subarray(i * d, (i + 1) * d), j * d));
      return ok({ X: X2, y: Int32Array.from(keep, (i) => y.value[i]!), rows: Uint32Array.from(keep, (i) => r[i]!) });
    }
    return ok({ X: X.value, y: y.value, rows: r });
  };
  const train = encode(rows.train),
    validation = encode(rows.validation),
    test = encode(rows.test);
  for (const s of [train, validation, test]) if (!s.ok) return fail(s.error, warnings);
  return ok(
    {
      pre,
      task,
      train: (train as { value: EncodedSet }).value,
      validation: (validation as { value: EncodedSet }).value,
      test: (test as { value: EncodedSet }).value,
    },
    warnings,
  );
}
