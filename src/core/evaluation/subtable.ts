import type { Column, Table } from '../data/table.ts';

/** A table of just `rows` (in that order), sharing dictionaries with the original. O(rows × columns). */
export function subTable(table: Table, rows: ArrayLike<number>): Table {
  return {
    rowCount: rows.length,
    columns: table.columns.map((c) => ({
      name: c.name,
      dictionary: c.dictionary,
      codes: Int32Array.from(rows, (r) => c.codes[r]!),
    })),
  };
}

/** A copy of `table` with one column's cells replaced (null = missing). */
export function withColumn(table: Table, name: string, cells: readonly (string | null)[]): Table {
  const dictionary: string[] = [];
  const lookup = new Map<string, number>();
  const codes = Int32Array.from(cells, (v) => {
    if (v === null) return -1;
    let k = lookup.get(v);
    if (k === undefined) {
      k = dictionary.length;
      dictionary.push(v);
      lookup.set(v, k);
    }
    return k;
  });
  const col: Column = { name, dictionary, codes };
  return { rowCount: table.rowCount, columns: table.columns.map((c) => (c.name === name ? col : c)) };
}
