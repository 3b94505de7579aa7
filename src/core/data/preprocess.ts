import type { Problem, Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import type { Schema } from './schema.ts';
import { columnByName, type Column, type Table } from './table.ts';
import { parseBoolean, parseDate, parseNumber } from './values.ts';
import type { NumericParse, FeatureTransform, LabelEncoding, Preprocessor, Task } from '../contracts/data.ts';
export type { NumericParse, FeatureTransform, LabelEncoding, Preprocessor, Task } from '../contracts/data.ts';

const PARSERS: Readonly<Record<NumericParse, (s: string) => number>> = Object.freeze({
  numeric: parseNumber,
  date: parseDate,
  boolean: parseBoolean,
});

/** Parsed numeric value of each dictionary entry. */
function parsedDictionary(col: Column, parse: NumericParse): Float64Array {
  return Float64Array.from(col.dictionary, PARSERS[parse]);
}

/** The task a label implies: numeric with more than 20 distinct values → regression. */
export function inferTask(schema: Schema): Task {
  const label = schema.columns.find((c) => c.name === schema.label);
  return label && label.type === 'numeric' && label.distinct > 20 ? 'regression' : 'classification';
}

/** Rows whose label cell is present. O(rows). */
export function labelledRows(table: Table, label: string): Uint32Array {
  const col = columnByName(table, label);
  if (!col) return new Uint32Array(0);
  const out: number[] = [];
  for (let i = 0; i < table.rowCount; i++) if (col.codes[i]! >= 0) out.push(i);
  return Uint32Array.from(out);
}

/**
 * Fits the preprocessing on the training rows only: imputation values, standardization moments,
 * one-hot categories and the label encoding.
 * Errors (as values): no label, no features, a feature with no values in the training split,
 * a label with fewer than two classes.
 * Cost: O(train rows × feature columns).
 */
export function fitPreprocessor(
  table: Table,
  schema: Schema,
  trainRows: Uint32Array,
  task: Task = inferTask(schema),
  file = 'the dataset',
): Result<Preprocessor> {
  const warnings: Problem[] = [];
  if (schema.label === null)
    return fail({
      kind: 'no-label',
      file,
      message: `${file}: choose a label column (the value to predict) before training.`,
    });
  const labelCol = columnByName(table, schema.label);
  if (!labelCol)
    return fail({
      kind: 'missing-column',
      file,
      column: schema.label,
      message: `${file} has no column "${schema.label}".`,
    });
  const featureCols = schema.columns.filter((c) => c.role === 'feature' && c.name !== schema.label);
  if (featureCols.length === 0) {
    const others = schema.columns.filter((c) => c.name !== schema.label).map((c) => `"${c.name}"`);
    return fail({
      kind: 'no-features',
      file,
      column: schema.label,
      message:
        `${file}: no feature column to learn "${schema.label}" from: ` +
        (others.length === 0
          ? `the label is the only column. `
          : `every other column (${others.slice(0, 5).join(', ')}${others.length > 5 ? ', …' : ''}) is ignored. `) +
        'Choose at least one feature column.',
    });
  }

  const features: FeatureTransform[] = [];
  const inputNames: string[] = [];
  for (const cs of featureCols) {
    const col = columnByName(table, cs.name)!;
    if (cs.type === 'numeric' || cs.type === 'date' || cs.type === 'boolean') {
      const values = parsedDictionary(col, cs.type);
      let n = 0,
        sum = 0,
        sumSq = 0,
        unparsable = -1;
      for (const r of trainRows) {
        const code = col.codes[r]!;
        if (code < 0) continue;
        const v = values[code]!;
        if (Number.isNaN(v)) {
          if (unparsable < 0) unparsable = r;
          continue;
        }
        n++;
        sum += v;
      }
      if (unparsable >= 0) {
        warnings.push({
          kind: 'unparsable-cell',
          file,
          row: unparsable + 1,
          column: cs.name,
          message:
            `${file}: column "${cs.name}" has values that are not ${cs.type} (first at ` +
            `row ${unparsable + 1}: "${col.dictionary[col.codes[unparsable]!]}"); they are treated as missing.`,
        });
      }
      if (n === 0)
        return fail(
          {
            kind: 'no-values',
            file,
            column: cs.name,
            message:
              `${file}: column "${cs.name}" has no ${cs.type} values in the training split; set it to ignore ` +
              `or change its type.`,
          },
          warnings,
        );
      const mean = sum / n;
      for (const r of trainRows) {
        const code = col.codes[r]!;
        const v = code < 0 ? NaN : values[code]!;
        if (!Number.isNaN(v)) sumSq += (v - mean) * (v - mean);
      }
      const std = Math.sqrt(sumSq / n);
      features.push({ kind: 'numeric', column: cs.name, parse: cs.type, mean, std: std > 0 ? std : 1 });
      inputNames.push(cs.name);
    } else {
      const counts = new Float64Array(col.dictionary.length);
      for (const r of trainRows) if (col.codes[r]! >= 0) counts[col.codes[r]!]!++;
      const categories = col.dictionary.filter((_, k) => counts[k]! > 0).sort();
      if (categories.length === 0)
        return fail(
          {
            kind: 'no-values',
            file,
            column: cs.name,
            message: `${file}: column "${cs.name}" has no values in the training split; set it to ignore.`,
          },
          warnings,
        );
      // The most frequent category (the first in sorted order on a tie). A Map, not indexOf: an
      // id-like column has as many categories as rows.
      const codeOf = new Map(col.dictionary.map((s, k) => [s, k] as const));
      let fill = categories[0]!,
        best = -1;
      for (const c of categories) {
        const k = codeOf.get(c)!;
        if (counts[k]! > best) ((best = counts[k]!), (fill = c));
      }
      features.push({ kind: 'onehot', column: cs.name, categories, fill });
      for (const c of categories) inputNames.push(`${cs.name}=${c}`);
    }
  }

  let label: LabelEncoding;
  if (task === 'classification') {
    const present = new Set<number>();
    for (const r of trainRows) if (labelCol.codes[r]! >= 0) present.add(labelCol.codes[r]!);
    const numericLabel = labelCol.dictionary.every((s) => !Number.isNaN(parseNumber(s)));
    const classes = labelCol.dictionary.filter((_, k) => present.has(k));
    classes.sort(numericLabel ? (a, b) => parseNumber(a) - parseNumber(b) : undefined);
    if (classes.length < 2) {
      return fail(
        {
          kind: 'one-class-label',
          file,
          column: schema.label,
          message:
            `${file}: the label "${schema.label}" has only one class ` +
            `(${classes.length ? `"${classes[0]}"` : 'none'}) in the training split; a classifier needs at least two.`,
        },
        warnings,
      );
    }
    label = { task, column: schema.label, classes };
  } else {
    const values = parsedDictionary(labelCol, 'numeric');
    let n = 0,
      sum = 0,
      sumSq = 0;
    for (const r of trainRows) {
      const v = labelCol.codes[r]! < 0 ? NaN : values[labelCol.codes[r]!]!;
      if (!Number.isNaN(v)) (n++, (sum += v));
    }
    if (n < 2)
      return fail(
        {
          kind: 'no-values',
          file,
          column: schema.label,
          message: `${file}: the label "${schema.label}" needs at least two numeric values in the training split.`,
        },
        warnings,
      );
    const mean = sum / n;
    for (const r of trainRows) {
      const v = labelCol.codes[r]! < 0 ? NaN : values[labelCol.codes[r]!]!;
      if (!Number.isNaN(v)) sumSq += (v - mean) ** 2;
    }
    const std = Math.sqrt(sumSq / n);
    label = { task, column: schema.label, mean, std: std > 0 ? std : 1 };
  }
  return ok({ format: 'benchtop-preprocessor@1', features, label, inputSize: inputNames.length, inputNames }, warnings);
}

/**
 * Encodes rows of any table with a fitted preprocessor: the row-major float32 matrix a model eats.
 * Columns are found by name, so a new file with the same columns in another order works.
 * Errors: a feature column the table lacks.
 * Cost: O(rows × inputs).
 * @example const X = transformFeatures(pre, table, rows); // X.value.length === rows.length * pre.inputSize
 */
export function transformFeatures(
  pre: Preprocessor,
  table: Table,
  rows: Uint32Array,
  file = 'the dataset',
): Result<Float32Array> {
  const d = pre.inputSize;
  const out = new Float32Array(rows.length * d);
  let offset = 0;
  for (const f of pre.features) {
    const col = columnByName(table, f.column);
    if (!col)
      return fail({
        kind: 'missing-column',
        file,
        column: f.column,
        message: `${file} has no column "${f.column}", which the model needs as an input.`,
      });
    if (f.kind === 'numeric') {
      const values = parsedDictionary(col, f.parse);
      for (let i = 0; i < rows.length; i++) {
        const code = col.codes[rows[i]!]!;
        const v = code < 0 ? NaN : values[code]!;
        out[i * d + offset] = Number.isNaN(v) ? 0 : (v - f.mean) / f.std;
      }
      offset += 1;
    } else {
      const at = new Map(f.categories.map((c, p) => [c, p] as const));
      const position = Int32Array.from(col.dictionary, (s) => at.get(s) ?? -1);
      const fillPos = at.get(f.fill) ?? -1;
      for (let i = 0; i < rows.length; i++) {
        const code = col.codes[rows[i]!]!;
        const p = code < 0 ? fillPos : position[code]!;
        if (p >= 0) out[i * d + offset + p] = 1;
      }
      offset += f.categories.length;
    }
  }
  return ok(out);
}

/**
 * Encodes the label of each row: class index (Int32, -1 for an unknown class or missing) or
 * standardized target (Float32, NaN when missing).
 */
export function encodeLabels(
  pre: Preprocessor,
  table: Table,
  rows: Uint32Array,
  file = 'the dataset',
): Result<Int32Array | Float32Array> {
  const col = columnByName(table, pre.label.column);
  if (!col)
    return fail({
      kind: 'missing-column',
      file,
      column: pre.label.column,
      message: `${file} has no label column "${pre.label.column}".`,
    });
  const enc = pre.label;
  if (enc.task === 'classification') {
    const map = col.dictionary.map((s) => enc.classes.indexOf(s));
    return ok(Int32Array.from(rows, (r) => (col.codes[r]! < 0 ? -1 : map[col.codes[r]!]!)));
  }
  const values = parsedDictionary(col, 'numeric');
  return ok(Float32Array.from(rows, (r) => (col.codes[r]! < 0 ? NaN : (values[col.codes[r]!]! - enc.mean) / enc.std)));
}
