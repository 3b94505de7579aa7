/**
 * The in-memory table: columnar and dictionary-encoded. Each column keeps its distinct cell strings
 * once (`dictionary`) and one Int32 code per row (`-1` = missing). Everything is a typed array or a
 * short string list, so a table crosses threads cheaply (codes are transferable) and a 50 MB CSV
 * costs a few bytes per cell instead of one JS string per cell.
 */
export interface Column {
  name: string;
  /** Distinct non-missing cell values, trimmed, in order of first appearance. */
  dictionary: string[];
  /** One code per row: index into `dictionary`, or -1 for a missing cell. */
  codes: Int32Array;
}

export interface Table {
  columns: Column[];
  rowCount: number;
}

/** Cell spellings that mean "no value". Compared after trimming. */
export const MISSING_TOKENS: ReadonlySet<string> = new Set([
  '',
  'NA',
  'N/A',
  'NaN',
  'nan',
  'null',
  'NULL',
  'None',
  '?',
  '-nan',
]);

/** True when a (trimmed) cell means "no value". */
export function isMissing(cell: string): boolean {
  return MISSING_TOKENS.has(cell);
}

/** Per columns array: the index of the first column of each name (built on first look-up). */
const NAME_INDEX = new WeakMap<Column[], Map<string, number>>();

/**
 * Finds a column by name (the first of that name). O(1) amortized: the first look-up in a table
 * indexes its names in O(columns), so code that looks up every column (preprocessing a 100,000-column
 * file) is O(columns), not O(columns²). A hit is checked against the column itself and a miss falls
 * back to a scan, so a table whose columns were renamed or added in place still answers (column names
 * are unique in a table, so the indexed column is the first of its name).
 */
export function columnByName(table: Table, name: string): Column | undefined {
  const cols = table.columns;
  let index = NAME_INDEX.get(cols);
  if (!index) {
    index = new Map();
    for (let i = 0; i < cols.length; i++) if (!index.has(cols[i]!.name)) index.set(cols[i]!.name, i);
    NAME_INDEX.set(cols, index);
  }
  const i = index.get(name);
  const hit = i === undefined ? undefined : cols[i];
  if (hit && hit.name === name) return hit;
  return cols.find((c) => c.name === name);
}

/** The string in a cell, or null when missing. */
export function cell(column: Column, row: number): string | null {
  const code = column.codes[row]!;
  return code < 0 ? null : column.dictionary[code]!;
}

/** The first `n` rows as strings (null = missing), for previews. */
export function previewRows(table: Table, n: number): (string | null)[][] {
  const out: (string | null)[][] = [];
  for (let r = 0; r < Math.min(n, table.rowCount); r++) out.push(table.columns.map((c) => cell(c, r)));
  return out;
}

/** The typed-array buffers of a table, for `transfer` across threads. */
export function tableTransferables(table: Table): ArrayBuffer[] {
  return table.columns.map((c) => c.codes.buffer as ArrayBuffer);
}

/** A rough size in bytes (codes plus dictionary characters), used for storage limits. */
export function tableByteSize(table: Table): number {
  let bytes = 0;
  for (const c of table.columns) {
    bytes += c.codes.byteLength;
    for (const s of c.dictionary) bytes += s.length * 2 + 16;
  }
  return bytes;
}
