import { columnByName, type Table } from '../data/table.ts';
import { parseBoolean, parseDate, parseNumber } from '../data/values.ts';
import type { Schema } from '../data/schema.ts';
import { numericSummary, quantileSorted } from './univariate.ts';
import type { Expectation } from '../contracts/attachments.ts';
export type { Expectation } from '../contracts/attachments.ts';

export interface ExpectationResult {
  expectation: Expectation;
  passed: boolean;
  /** What was measured (share passing, a mean, a quantile…), in words. */
  observed: string;
  /** Rows that broke the expectation, and up to five examples (row number, value). */
  failing: number;
  examples: { row: number; value: string }[];
  /** When the check could not run (the column is missing). */
  error?: string;
}

export function describeExpectation(e: Expectation): string {
  const m =
    'mostly' in e && e.mostly !== undefined && e.mostly < 1
      ? ` (at least ${(e.mostly * 100).toFixed(0)}% of rows)`
      : '';
  switch (e.kind) {
    case 'column-exists':
      return `column "${e.column}" exists${e.type ? ` and is ${e.type}` : ''}`;
    case 'not-null':
      return `"${e.column}" is not null${m}`;
    case 'in-set':
      return `"${e.column}" is one of ${e.values
        .slice(0, 6)
        .map((v) => `"${v}"`)
        .join(', ')}${e.values.length > 6 ? ` … (${e.values.length})` : ''}${m}`;
    case 'between':
      return `"${e.column}" is between ${e.min ?? '−∞'} and ${e.max ?? '∞'}${m}`;
    case 'matches':
      return `"${e.column}" matches /${e.pattern}/${m}`;
    case 'unique':
      return `"${e.column}" is unique`;
    case 'greater-than':
      return `"${e.column}" ${e.orEqual ? '≥' : '>'} "${e.other}"${m}`;
    case 'mean-between':
      return `mean of "${e.column}" is between ${e.min} and ${e.max}`;
    case 'quantile-between':
      return `the ${e.quantile} quantile of "${e.column}" is between ${e.min} and ${e.max}`;
  }
}

const PARSERS = { numeric: parseNumber, date: parseDate, boolean: parseBoolean };

function typeOf(table: Table, column: string): 'numeric' | 'boolean' | 'date' | 'categorical' | 'text' {
  const col = columnByName(table, column)!;
  const dict = col.dictionary;
  if (!dict.length) return 'categorical';
  if (dict.every((s) => Number.isFinite(parseNumber(s)))) return 'numeric';
  if (dict.every((s) => Number.isFinite(parseBoolean(s)))) return 'boolean';
  if (dict.every((s) => Number.isFinite(parseDate(s)))) return 'date';
  return dict.length > 50 && dict.length > col.codes.length / 2 ? 'text' : 'categorical';
}

/** Runs every expectation on a table (all rows). */
export function runExpectations(table: Table, list: readonly Expectation[]): ExpectationResult[] {
  return list.map((e) => runOne(table, e));
}

function runOne(table: Table, e: Expectation): ExpectationResult {
  const col = columnByName(table, e.column);
  const n = table.rowCount;
  if (!col)
    return {
      expectation: e,
      passed: false,
      observed: 'column missing',
      failing: n,
      examples: [],
      error: `The data has no column "${e.column}".`,
    };
  const value = (r: number) => (col.codes[r]! < 0 ? '' : col.dictionary[col.codes[r]!]!);
  // Row-wise checks share one shape: a predicate over rows, a `mostly` fraction.
  const rowwise = (
    bad: (r: number) => boolean,
    mostly = 1,
    consider: (r: number) => boolean = () => true,
  ): ExpectationResult => {
    let failing = 0,
      counted = 0;
    const examples: ExpectationResult['examples'] = [];
    for (let r = 0; r < n; r++) {
      if (!consider(r)) continue;
      counted++;
      if (bad(r)) {
        failing++;
        if (examples.length < 5) examples.push({ row: r + 1, value: value(r) });
      }
    }
    const share = counted ? 1 - failing / counted : 1;
    return {
      expectation: e,
      passed: share >= mostly,
      observed: `${(share * 100).toFixed(2)}% of ${counted} rows pass`,
      failing,
      examples,
    };
  };
  const num = (() => {
    const d = Float64Array.from(col.dictionary, PARSERS.numeric);
    return (r: number) => (col.codes[r]! < 0 ? NaN : d[col.codes[r]!]!);
  })();
  const present = (r: number) => col.codes[r]! >= 0;
  switch (e.kind) {
    case 'column-exists': {
      const t = typeOf(table, e.column);
      return { expectation: e, passed: !e.type || e.type === t, observed: `present, ${t}`, failing: 0, examples: [] };
    }
    case 'not-null':
      return rowwise((r) => !present(r), e.mostly);
    case 'in-set': {
      const set = new Set(e.values);
      return rowwise((r) => !set.has(value(r)), e.mostly, present);
    }
    case 'between':
      return rowwise(
        (r) => {
          const x = num(r);
          return !Number.isFinite(x) || (e.min !== undefined && x < e.min) || (e.max !== undefined && x > e.max);
        },
        e.mostly,
        present,
      );
    case 'matches': {
      let re: RegExp;
      try {
        re = new RegExp(e.pattern);
      } catch (err) {
        return {
          expectation: e,
          passed: false,
          observed: 'invalid pattern',
          failing: 0,
          examples: [],
          error: `The pattern /${e.pattern}/ is not a valid regular expression: ${(err as Error).message}`,
        };
      }
      return rowwise((r) => !re.test(value(r)), e.mostly, present);
    }
    case 'unique': {
      const seen = new Int32Array(col.dictionary.length);
      return rowwise((r) => ++seen[col.codes[r]!]! > 1, 1, present);
    }
    case 'greater-than': {
      const other = columnByName(table, e.other);
      if (!other)
        return {
          expectation: e,
          passed: false,
          observed: 'column missing',
          failing: n,
          examples: [],
          error: `The data has no column "${e.other}".`,
        };
      const od = Float64Array.from(other.dictionary, parseNumber);
      const o = (r: number) => (other.codes[r]! < 0 ? NaN : od[other.codes[r]!]!);
      const res = rowwise(
        (r) => !(e.orEqual ? num(r) >= o(r) : num(r) > o(r)),
        e.mostly,
        (r) => present(r) && other.codes[r]! >= 0,
      );
      res.examples = res.examples.map((x) => ({
        ...x,
        value: `${x.value} vs ${other.codes[x.row - 1]! < 0 ? '' : other.dictionary[other.codes[x.row - 1]!]}`,
      }));
      return res;
    }
    case 'mean-between':
    case 'quantile-between': {
      const vals: number[] = [];
      for (let r = 0; r < n; r++) {
        const x = num(r);
        if (Number.isFinite(x)) vals.push(x);
      }
      const v =
        e.kind === 'mean-between'
          ? numericSummary(Float64Array.from(vals)).mean
          : quantileSorted(Float64Array.from(vals).sort(), e.quantile);
      return {
        expectation: e,
        passed: v >= e.min && v <= e.max,
        observed: `${e.kind === 'mean-between' ? 'mean' : `q${e.quantile}`} = ${v.toPrecision(5)}`,
        failing: v >= e.min && v <= e.max ? 0 : n,
        examples: [],
      };
    }
  }
}

/**
 * Expectations suggested from training data: every column exists with its type; numeric columns
 * between their observed range (widened 10%) and not null as often as they were; categorical columns
 * in their observed set; means within four standard errors widened by 10% of the spread.
 */
export function suggestExpectations(table: Table, schema: Schema): Expectation[] {
  const out: Expectation[] = [];
  for (const c of schema.columns) {
    if (c.role === 'ignore') continue;
    const col = columnByName(table, c.name);
    if (!col) continue;
    out.push({ kind: 'column-exists', column: c.name, type: c.type });
    let missing = 0;
    for (const code of col.codes) if (code < 0) missing++;
    const presentShare = 1 - missing / Math.max(1, table.rowCount);
    out.push({
      kind: 'not-null',
      column: c.name,
      mostly: Math.max(0, Math.floor((presentShare - 0.05) * 100) / 100) || undefined,
    });
    if (c.type === 'numeric') {
      const vals = Float64Array.from(col.dictionary, parseNumber);
      const xs: number[] = [];
      for (const code of col.codes) if (code >= 0 && Number.isFinite(vals[code]!)) xs.push(vals[code]!);
      const s = numericSummary(Float64Array.from(xs));
      const span = s.max - s.min || Math.abs(s.max) || 1;
      out.push({
        kind: 'between',
        column: c.name,
        min: round(s.min - 0.1 * span),
        max: round(s.max + 0.1 * span),
        mostly: 0.99,
      });
      const sd = Math.sqrt(s.variance) || span / 4;
      out.push({
        kind: 'mean-between',
        column: c.name,
        min: round(s.mean - 0.1 * span - (4 * sd) / Math.sqrt(s.n)),
        max: round(s.mean + 0.1 * span + (4 * sd) / Math.sqrt(s.n)),
      });
    } else if (c.type === 'categorical' || c.type === 'boolean')
      out.push({ kind: 'in-set', column: c.name, values: [...col.dictionary], mostly: 0.99 });
  }
  return out;
}

const round = (x: number) => Number(x.toPrecision(6));
