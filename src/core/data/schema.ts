import type { Table } from './table.ts';
import { parseBoolean, parseDate, parseNumber } from './values.ts';

export type ColumnType = 'numeric' | 'categorical' | 'boolean' | 'date' | 'text';
export type ColumnRole = 'feature' | 'label' | 'ignore';
export const COLUMN_TYPES: readonly ColumnType[] = Object.freeze(['numeric', 'categorical', 'boolean', 'date', 'text']);
export const COLUMN_ROLES: readonly ColumnRole[] = Object.freeze(['feature', 'label', 'ignore']);

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  /** What inference decided; `type` may differ when the person changed it. */
  inferredType: ColumnType;
  role: ColumnRole;
  missing: number;
  distinct: number;
  /** For numeric/date/boolean columns: range and mean of the parsed values. */
  min?: number;
  max?: number;
  mean?: number;
  /** Up to five distinct values, for display. */
  examples: string[];
  /**
   * Rows per value, most frequent first, for columns with at most 50 distinct values (booleans,
   * categories, small integer codes): what a yes/no column's 1 is, and each class's share.
   */
  counts?: { value: string; count: number }[];
}

export interface Schema {
  columns: ColumnSchema[];
  /** Name of the label column, or null. */
  label: string | null;
}

/** A column is categorical when it has at most this many distinct values… */
const MAX_CATEGORIES = 50;

/**
 * Infers each column's type from its distinct values: boolean if every value is true/false-like,
 * numeric if every value parses as a number, date if every value is an ISO or m/d/yyyy date,
 * categorical if few distinct values (≤ 50 and ≤ half the non-missing rows, or ≤ 10), else text.
 * Counts missing cells, and the rows of each value of columns with at most 50 distinct values.
 * Columns with no values, and text columns, default to `ignore`.
 * Cost: O(rows × columns) for missing and value counts, O(distinct) for parsing.
 * @example inferSchema(table, 'class').columns[0].type
 */
export function inferSchema(table: Table, label: string | null = null, ignore: readonly string[] = []): Schema {
  const columns = table.columns.map((col): ColumnSchema => {
    let missing = 0;
    for (let i = 0; i < col.codes.length; i++) if (col.codes[i]! < 0) missing++;
    const dict = col.dictionary;
    const present = table.rowCount - missing;
    let type: ColumnType;
    let parsed: ((s: string) => number) | null = null;
    if (dict.length === 0) type = 'text';
    else if (dict.every((s) => !Number.isNaN(parseBoolean(s)))) ((type = 'boolean'), (parsed = parseBoolean));
    else if (dict.every((s) => !Number.isNaN(parseNumber(s)))) ((type = 'numeric'), (parsed = parseNumber));
    else if (dict.every((s) => !Number.isNaN(parseDate(s)))) ((type = 'date'), (parsed = parseDate));
    else if (dict.length <= 10 || (dict.length <= MAX_CATEGORIES && dict.length <= present / 2)) type = 'categorical';
    else type = 'text';
    const out: ColumnSchema = {
      name: col.name,
      type,
      inferredType: type,
      role: dict.length === 0 || type === 'text' || ignore.includes(col.name) ? 'ignore' : 'feature',
      missing,
      distinct: dict.length,
      examples: dict.slice(0, 5),
    };
    if (dict.length > 0 && dict.length <= MAX_CATEGORIES) {
      const n = new Float64Array(dict.length);
      for (let i = 0; i < col.codes.length; i++) if (col.codes[i]! >= 0) n[col.codes[i]!]!++;
      out.counts = dict.map((value, k) => ({ value, count: n[k]! })).sort((a, b) => b.count - a.count);
    }
    if (parsed) {
      let min = Infinity,
        max = -Infinity,
        sum = 0;
      const counts = new Float64Array(dict.length);
      for (let i = 0; i < col.codes.length; i++) if (col.codes[i]! >= 0) counts[col.codes[i]!]!++;
      dict.forEach((s, k) => {
        const v = parsed!(s);
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v * counts[k]!;
      });
      Object.assign(out, { min, max, mean: present > 0 ? sum / present : NaN });
    }
    return out;
  });
  const chosen = label !== null && columns.some((c) => c.name === label) ? label : null;
  for (const c of columns) if (c.name === chosen) c.role = 'label';
  return { columns, label: chosen };
}

/** Returns a schema with one column's role changed; only one column can be the label. */
export function withRole(schema: Schema, name: string, role: ColumnRole): Schema {
  const columns = schema.columns.map((c) => {
    if (c.name === name) return { ...c, role };
    if (role === 'label' && c.role === 'label') return { ...c, role: 'feature' as const };
    return c;
  });
  const label = role === 'label' ? name : schema.label === name ? null : schema.label;
  return { columns, label };
}

/** Returns a schema with one column's type changed. */
export function withType(schema: Schema, name: string, type: ColumnType): Schema {
  return { ...schema, columns: schema.columns.map((c) => (c.name === name ? { ...c, type } : c)) };
}
