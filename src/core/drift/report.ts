import { columnByName, type Table } from '../data/table.ts';
import { parseBoolean, parseDate, parseNumber } from '../data/values.ts';
import type { Schema } from '../data/schema.ts';
import type { Preprocessor } from '../data/preprocess.ts';
import { benjaminiHochberg, bonferroni } from '../stats/multiple-testing.ts';
import {
  categoricalSample,
  DEFAULT_TESTS,
  DRIFT_MEASURES,
  largeEnough,
  measureDrift,
  numericSample,
  type DriftKind,
  type DriftMeasurements,
  type DriftTestId,
  type DriftTestLabel,
} from './measures/index.ts';
import { classifierTest, mmdTest, type ClassifierTestResult, type MmdResult } from './multivariate.ts';
import { numericSummary, type NumericSummary } from './univariate.ts';

/**
 * A drift report: every feature of a reference sample (a model version's training rows) against a
 * current sample, with the test that fits its type and every distance that applies (both from the
 * registry `DRIFT_MEASURES`, `measures/index.ts`), descriptive statistics side by side,
 * p-values corrected for multiple testing, a verdict, and schema findings (missing or extra columns,
 * values of another type, categories never seen) instead of crashes.
 *
 * Verdict: "drift" when the Benjamini–Hochberg-adjusted p is below α AND the shift is large enough to
 * matter (any verdict-gating distance's size ≥ 0.1: today PSI, Jensen–Shannon, or Wasserstein in
 * reference standard deviations);
 * "small" when significant but below those sizes (large samples make tiny shifts significant); else "none".
 */
export type NumericParse = 'numeric' | 'date' | 'boolean';
export interface DriftColumn {
  name: string;
  kind: DriftKind;
  parse?: NumericParse;
}

export interface CategoricalSummary {
  n: number;
  missingRate: number;
  distinct: number;
  top: { value: string; share: number }[];
}

export interface FeatureDrift {
  feature: string;
  kind: DriftKind;
  /** The test's label (`DRIFT_MEASURES[testId].label`), or 'none' when the column could not be compared. */
  test: DriftTestLabel | 'none';
  /** The test's registry id, or null when none ran. */
  testId: DriftTestId | null;
  statistic: number;
  pValue: number;
  pBonferroni: number;
  pBH: number;
  psi: number;
  js: number;
  /** Numeric: Wasserstein-1, and divided by the reference's standard deviation. */
  wasserstein?: number;
  wassersteinNorm?: number;
  /**
   * Every measure that ran, by registry id (the test and each distance that applies). The flat fields
   * above (`statistic`, `pValue`, `psi`, `js`, `wasserstein*`) are kept for the readers that use them.
   */
  measures: DriftMeasurements;
  reference: NumericSummary | CategoricalSummary;
  current: NumericSummary | CategoricalSummary;
  verdict: 'drift' | 'small' | 'none' | 'unavailable';
  /** Categories in the current data the reference never had, most frequent first. */
  unseen?: { value: string; count: number }[];
}

export interface SchemaFinding {
  kind: 'missing-column' | 'extra-column' | 'type-change' | 'unseen-categories' | 'all-missing';
  column: string;
  message: string;
}

export interface DriftReport {
  rows: [number, number];
  alpha: number;
  minSize: number;
  features: FeatureDrift[];
  schema: SchemaFinding[];
  drifted: string[];
  multivariate?: { mmd: MmdResult; classifier: ClassifierTestResult; inputs: number };
}

const PARSE: Record<NumericParse, (s: string) => number> = {
  numeric: parseNumber,
  date: parseDate,
  boolean: parseBoolean,
};
export const SIZE_THRESHOLD = 0.1;

/** Columns to compare, from a schema: numeric/date/boolean as numbers, categorical as categories; text skipped. */
export function driftColumnsFromSchema(schema: Schema): DriftColumn[] {
  return schema.columns.flatMap((c): DriftColumn[] =>
    c.type === 'text'
      ? []
      : c.type === 'categorical'
        ? [{ name: c.name, kind: 'categorical' }]
        : [{ name: c.name, kind: 'numeric', parse: c.type }],
  );
}

/** Columns a model version reads, from its preprocessing (and its label, for label drift). */
export function driftColumnsFromPreprocessor(pre: Preprocessor, withLabel = true): DriftColumn[] {
  const cols: DriftColumn[] = pre.features.map((f) =>
    f.kind === 'numeric'
      ? { name: f.column, kind: 'numeric', parse: f.parse }
      : { name: f.column, kind: 'categorical' },
  );
  if (withLabel)
    cols.push(
      pre.label.task === 'classification'
        ? { name: pre.label.column, kind: 'categorical' }
        : { name: pre.label.column, kind: 'numeric', parse: 'numeric' },
    );
  return cols;
}

/** Parsed values of a column over rows: finite numbers, and how many rows were missing or unparsable. */
export function numericValues(
  table: Table,
  column: string,
  rows: Uint32Array,
  parse: NumericParse = 'numeric',
): { values: Float64Array; missing: number; unparsable: number } {
  const col = columnByName(table, column)!;
  const dict = Float64Array.from(col.dictionary, PARSE[parse]);
  const out = new Float64Array(rows.length);
  let k = 0,
    missing = 0,
    unparsable = 0;
  for (const r of rows) {
    const c = col.codes[r]!;
    if (c < 0) missing++;
    else if (!Number.isFinite(dict[c]!)) unparsable++;
    else out[k++] = dict[c]!;
  }
  return { values: out.subarray(0, k), missing, unparsable };
}

/** Category counts of a column over rows (missing counted apart). */
export function categoryCounts(
  table: Table,
  column: string,
  rows: Uint32Array,
): { counts: Map<string, number>; missing: number } {
  const col = columnByName(table, column)!;
  const byCode = new Float64Array(col.dictionary.length);
  let missing = 0;
  for (const r of rows) {
    const c = col.codes[r]!;
    if (c < 0) missing++;
    else byCode[c]!++;
  }
  const counts = new Map<string, number>();
  byCode.forEach((v, i) => v && counts.set(col.dictionary[i]!, v));
  return { counts, missing };
}

function categoricalSummary(counts: Map<string, number>, missing: number): CategoricalSummary {
  const n = [...counts.values()].reduce((a, b) => a + b, 0);
  const top = [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([value, c]) => ({ value, share: c / Math.max(1, n) }));
  return { n, missingRate: n + missing ? missing / (n + missing) : 0, distinct: counts.size, top };
}

export interface DriftOptions {
  alpha?: number;
  /** Run MMD and the classifier two-sample test on the encoded rows (slower). */
  multivariate?: boolean;
  /** The size that matters for a "drift" verdict (PSI, JS or Wasserstein in reference σ); default 0.1. */
  minSize?: number;
  seed?: number;
  /** The test per column kind, by registry id; default `DEFAULT_TESTS` (Kolmogorov–Smirnov, chi-square). */
  tests?: Partial<Record<DriftKind, DriftTestId>>;
}

/** Compares `current` rows with `reference` rows column by column. */
export function driftReport(
  ref: { table: Table; rows: Uint32Array },
  cur: { table: Table; rows: Uint32Array },
  columns: DriftColumn[],
  o: DriftOptions = {},
): DriftReport {
  const alpha = o.alpha ?? 0.05;
  const schema: SchemaFinding[] = [];
  const features: FeatureDrift[] = [];
  const present: DriftColumn[] = [];
  for (const c of columns) {
    if (!columnByName(ref.table, c.name)) continue;
    if (!columnByName(cur.table, c.name))
      schema.push({
        kind: 'missing-column',
        column: c.name,
        message: `The current data has no column "${c.name}", which the reference has${c.kind ? ` (${c.kind})` : ''}.`,
      });
    else present.push(c);
  }
  const known = new Set(columns.map((c) => c.name));
  for (const col of cur.table.columns)
    if (!known.has(col.name) && !columnByName(ref.table, col.name))
      schema.push({
        kind: 'extra-column',
        column: col.name,
        message: `The current data has a column "${col.name}" the reference does not; it is not compared.`,
      });

  for (const c of present) {
    if (c.kind === 'numeric') {
      const r = numericValues(ref.table, c.name, ref.rows, c.parse),
        k = numericValues(cur.table, c.name, cur.rows, c.parse);
      const curRows = cur.rows.length;
      if (k.unparsable > 0.2 * Math.max(1, curRows - k.missing))
        schema.push({
          kind: 'type-change',
          column: c.name,
          message:
            `"${c.name}" was ${c.parse ?? 'numeric'} in the reference, but ${k.unparsable} ` +
            `of ${curRows - k.missing} current values are not ` +
            `(${((100 * k.unparsable) / Math.max(1, curRows - k.missing)).toFixed(0)}%); the type changed.`,
        });
      const refSum = numericSummary(r.values, r.missing + r.unparsable),
        curSum = numericSummary(k.values, k.missing + k.unparsable);
      if (!r.values.length || !k.values.length) {
        if (!k.values.length)
          schema.push({
            kind: 'all-missing',
            column: c.name,
            message: `"${c.name}" has no usable values in the current data.`,
          });
        features.push({
          feature: c.name,
          kind: 'numeric',
          test: 'none',
          testId: null,
          statistic: NaN,
          pValue: NaN,
          pBonferroni: NaN,
          pBH: NaN,
          psi: NaN,
          js: NaN,
          measures: {},
          reference: refSum,
          current: curSum,
          verdict: 'unavailable',
        });
        continue;
      }
      const m = measureDrift(numericSample(r.values, k.values), o.tests);
      features.push({
        feature: c.name,
        kind: 'numeric',
        test: m.test.label,
        testId: m.test.id,
        statistic: m.outcome.statistic,
        pValue: m.outcome.p ?? NaN,
        pBonferroni: NaN,
        pBH: NaN,
        ...flatFields(m.measures),
        measures: m.measures,
        reference: refSum,
        current: curSum,
        verdict: 'none',
      });
    } else {
      const r = categoryCounts(ref.table, c.name, ref.rows),
        k = categoryCounts(cur.table, c.name, cur.rows);
      const cats = [...new Set([...r.counts.keys(), ...k.counts.keys()])];
      const rc = cats.map((x) => r.counts.get(x) ?? 0),
        cc = cats.map((x) => k.counts.get(x) ?? 0);
      const unseen = cats
        .filter((x) => !r.counts.has(x))
        .map((value) => ({ value, count: k.counts.get(value)! }))
        .sort((a, b) => b.count - a.count);
      if (unseen.length)
        schema.push({
          kind: 'unseen-categories',
          column: c.name,
          message:
            `"${c.name}" has ${unseen.length} categor${unseen.length === 1 ? 'y' : 'ies'} the ` +
            `reference never had (${unseen
              .slice(0, 5)
              .map((u) => `"${u.value}" × ${u.count}`)
              .join(', ')}${unseen.length > 5 ? ', …' : ''}).`,
        });
      const refSum = categoricalSummary(r.counts, r.missing),
        curSum = categoricalSummary(k.counts, k.missing);
      if (!refSum.n || !curSum.n) {
        features.push({
          feature: c.name,
          kind: 'categorical',
          test: 'none',
          testId: null,
          statistic: NaN,
          pValue: NaN,
          pBonferroni: NaN,
          pBH: NaN,
          psi: NaN,
          js: NaN,
          measures: {},
          reference: refSum,
          current: curSum,
          verdict: 'unavailable',
          unseen,
        });
        continue;
      }
      const m = measureDrift(categoricalSample(cats, rc, cc), o.tests);
      features.push({
        feature: c.name,
        kind: 'categorical',
        test: m.test.label,
        testId: m.test.id,
        statistic: m.outcome.statistic,
        pValue: m.outcome.p ?? NaN,
        pBonferroni: NaN,
        pBH: NaN,
        ...flatFields(m.measures),
        measures: m.measures,
        reference: refSum,
        current: curSum,
        verdict: 'none',
        unseen,
      });
    }
  }
  const tested = features.filter((f) => f.test !== 'none');
  const ps = tested.map((f) => f.pValue),
    bh = benjaminiHochberg(ps),
    bf = bonferroni(ps);
  tested.forEach((f, i) => {
    f.pBH = bh[i]!;
    f.pBonferroni = bf[i]!;
    const big = largeEnough(f.measures, o.minSize ?? SIZE_THRESHOLD);
    f.verdict = f.pBH < alpha ? (big ? 'drift' : 'small') : 'none';
  });
  const report: DriftReport = {
    rows: [ref.rows.length, cur.rows.length],
    alpha,
    minSize: o.minSize ?? SIZE_THRESHOLD,
    features,
    schema,
    drifted: features.filter((f) => f.verdict === 'drift').map((f) => f.feature),
  };
  if (o.multivariate) {
    const enc = encodeForShift(ref, cur, present);
    if (enc.d > 0)
      report.multivariate = {
        mmd: mmdTest(enc.A, ref.rows.length, enc.B, cur.rows.length, enc.d, { seed: o.seed }),
        classifier: classifierTest(enc.A, ref.rows.length, enc.B, cur.rows.length, enc.d, {
          seed: o.seed,
          names: enc.names,
        }),
        inputs: enc.d,
      };
  }
  return report;
}

/**
 * The flat fields the report had before the registry (`psi`, `js`, `wasserstein`, `wassersteinNorm`),
 * filled from the measures so the CLI's JSON and the app keep reading them. A new measure appears in
 * `FeatureDrift.measures` only; it needs no line here.
 */
function flatFields(m: DriftMeasurements): Pick<FeatureDrift, 'psi' | 'js' | 'wasserstein' | 'wassersteinNorm'> {
  const out: Pick<FeatureDrift, 'psi' | 'js' | 'wasserstein' | 'wassersteinNorm'> = {
    psi: m.psi?.size ?? NaN,
    js: m.js?.size ?? NaN,
  };
  if (m.wasserstein) {
    out.wasserstein = m.wasserstein.statistic;
    out.wassersteinNorm = m.wasserstein.size;
  }
  return out;
}

/**
 * Rows encoded for the multivariate tests: numbers standardized by the reference (missing → 0, plus a
 * missing flag when any are missing), categories one-hot over the reference's 20 most frequent.
 */
export function encodeForShift(
  ref: { table: Table; rows: Uint32Array },
  cur: { table: Table; rows: Uint32Array },
  columns: DriftColumn[],
): { A: Float32Array; B: Float32Array; d: number; names: string[] } {
  const names: string[] = [];
  const encoders: ((table: Table, rows: Uint32Array) => Float32Array[])[] = [];
  for (const c of columns) {
    if (c.kind === 'numeric') {
      const r = numericValues(ref.table, c.name, ref.rows, c.parse);
      const s = numericSummary(r.values);
      const sd = Math.sqrt(s.variance) || 1;
      names.push(c.name, `${c.name} missing`);
      const parse = PARSE[c.parse ?? 'numeric'];
      encoders.push((table, rows) => {
        const col = columnByName(table, c.name)!;
        const dict = Float64Array.from(col.dictionary, parse);
        const v = new Float32Array(rows.length),
          m = new Float32Array(rows.length);
        rows.forEach((row, i) => {
          const x = col.codes[row]! < 0 ? NaN : dict[col.codes[row]!]!;
          if (Number.isFinite(x)) v[i] = (x - s.mean) / sd;
          else m[i] = 1;
        });
        return [v, m];
      });
    } else {
      const top = [...categoryCounts(ref.table, c.name, ref.rows).counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 20)
        .map(([v]) => v);
      names.push(...top.map((t) => `${c.name}=${t}`), `${c.name}=other`);
      encoders.push((table, rows) => {
        const col = columnByName(table, c.name)!;
        const slot = col.dictionary.map((v) => {
          const i = top.indexOf(v);
          return i < 0 ? top.length : i;
        });
        const out = Array.from({ length: top.length + 1 }, () => new Float32Array(rows.length));
        rows.forEach((row, i) => {
          const code = col.codes[row]!;
          out[code < 0 ? top.length : slot[code]!]![i] = 1;
        });
        return out;
      });
    }
  }
  const build = (table: Table, rows: Uint32Array) => {
    const cols = encoders.flatMap((e) => e(table, rows));
    const d = cols.length,
      X = new Float32Array(rows.length * d);
    cols.forEach((c, j) => c.forEach((v, i) => (X[i * d + j] = v)));
    return X;
  };
  return { A: build(ref.table, ref.rows), B: build(cur.table, cur.rows), d: names.length, names };
}

/**
 * Drift of a model's outputs: the predicted class mix (the categorical default test, PSI) and its
 * top-class confidence (the numeric default test); or the predicted values (numeric default test, PSI).
 * Today the defaults are chi-square and Kolmogorov–Smirnov (`DEFAULT_TESTS`).
 */
export interface OutputDrift {
  test: string;
  statistic: number;
  pValue: number;
  psi: number;
  /** Classification: the predicted-class shares on each side. */
  shares?: { reference: number[]; current: number[] };
  confidence?: { statistic: number; pValue: number; reference: number; current: number };
}

export function outputDrift(ref: Float64Array, cur: Float64Array, k: number): OutputDrift {
  const psi = DRIFT_MEASURES.psi;
  if (k === 1) {
    const s = numericSample(ref, cur);
    const t = measureDrift(s);
    return {
      test: t.test.label,
      statistic: t.outcome.statistic,
      pValue: t.outcome.p ?? NaN,
      psi: psi.run(s).statistic,
    };
  }
  const top = (o: Float64Array) => {
    const n = o.length / k,
      counts = new Array<number>(k).fill(0),
      conf = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let b = 0;
      for (let j = 1; j < k; j++) if (o[i * k + j]! > o[i * k + b]!) b = j;
      counts[b]!++;
      conf[i] = o[i * k + b]!;
    }
    return { counts, conf, n };
  };
  const a = top(ref),
    b = top(cur);
  const classes = Array.from({ length: k }, (_, i) => String(i));
  const mix = categoricalSample(classes, a.counts, b.counts);
  const chi = DRIFT_MEASURES[DEFAULT_TESTS.categorical].run(mix);
  const conf = DRIFT_MEASURES[DEFAULT_TESTS.numeric].run(numericSample(a.conf, b.conf));
  const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / Math.max(1, x.length);
  return {
    test: DRIFT_MEASURES[DEFAULT_TESTS.categorical].label,
    statistic: chi.statistic,
    pValue: chi.p ?? NaN,
    psi: psi.run(mix).statistic,
    shares: { reference: a.counts.map((c) => c / a.n), current: b.counts.map((c) => c / b.n) },
    confidence: {
      statistic: conf.statistic,
      pValue: conf.p ?? NaN,
      reference: mean(a.conf),
      current: mean(b.conf),
    },
  };
}
