import type { Problem, Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import { isMissing, type Column, type Table } from './table.ts';
import { parseNumber } from './values.ts';

/** How many bad rows we name before summarising the rest. */
const MAX_NAMED_ROWS = 5;

/** Distinct values one column may hold: a JavaScript Map holds at most 2^24 entries. */
export const MAX_DISTINCT = 2 ** 24 - 1;

/** Missing-value tokens that are NaN spelled out (noted, unlike an empty cell or NA). */
const NAN_SPELLING = /^[+-]?nan$/i;
/** Spellings of non-finite numbers that are not missing tokens: inf, -Infinity, NAN, … */
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;
/** A decimal number, possibly out of a double's range. */
const NUMBER_LIKE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Builds a {@link Table} from rows that arrive in chunks (a streaming CSV parser, a JSON array).
 * It repairs the header (empty and duplicate names get unique names, with a warning), rejects ragged
 * rows naming the first few, and dictionary-encodes cells as they come so memory stays small.
 *
 * Cost: O(cells) time; memory O(rows × columns × 4 bytes + distinct cells).
 * @example
 *   const b = new TableBuilder('a.csv', ['x', 'y']);
 *   b.addRows([['1', 'a'], ['2', 'b']]);
 *   const t = b.finish(); // t.ok && t.value.rowCount === 2
 */
export class TableBuilder {
  readonly names: string[];
  private readonly lookups: Map<string, number>[];
  private readonly dictionaries: string[][];
  private codes: Int32Array[];
  private rowCount = 0;
  private readonly warnings: Problem[] = [];
  private readonly ragged: { row: number; fields: number }[] = [];
  private raggedCount = 0;
  /** Per column: cells spelled NaN (missing tokens), and the first data row holding one. */
  private readonly nanCells: number[];
  private readonly nanFirst: number[];

  /** Set when a column outgrows {@link MAX_DISTINCT}; later rows are ignored and finish() fails. */
  private overflow: Problem | null = null;

  /** @param maxDistinct distinct values one column may hold (tests lower it). */
  constructor(
    readonly file: string,
    header: string[],
    private readonly maxDistinct = MAX_DISTINCT,
  ) {
    this.names = repairHeader(file, header, this.warnings);
    this.lookups = this.names.map(() => new Map());
    this.dictionaries = this.names.map(() => []);
    // 1024 rows per column to start, fewer for very wide headers (100,000 columns × 1024 would
    // reserve 400 MB before the first row); ensureCapacity doubles as rows arrive.
    const start = Math.max(16, Math.min(1024, Math.floor(2 ** 22 / Math.max(1, this.names.length))));
    this.codes = this.names.map(() => new Int32Array(start));
    this.nanCells = this.names.map(() => 0);
    this.nanFirst = this.names.map(() => 0);
  }

  /** Rows seen so far. */
  get rows(): number {
    return this.rowCount;
  }

  /**
   * Appends data rows. `rows[i]` is the list of raw cell strings of one row.
   * A row whose field count differs from the header's is recorded as ragged and skipped.
   */
  addRows(rows: readonly (readonly string[])[]): void {
    const width = this.names.length;
    for (const fields of rows) {
      if (this.overflow) return;
      if (fields.length !== width) {
        this.raggedCount++;
        if (this.ragged.length < MAX_NAMED_ROWS)
          this.ragged.push({ row: this.rowCount + this.raggedCount, fields: fields.length });
        continue;
      }
      this.ensureCapacity(this.rowCount + 1);
      for (let c = 0; c < width; c++) {
        const v = String(fields[c] ?? '').trim();
        let code = -1;
        if (isMissing(v)) {
          if (NAN_SPELLING.test(v) && this.nanCells[c]!++ === 0) this.nanFirst[c] = this.rowCount + 1;
        } else {
          const lookup = this.lookups[c]!;
          const found = lookup.get(v);
          if (found === undefined) {
            code = this.dictionaries[c]!.length;
            if (code >= this.maxDistinct) {
              this.tooManyValues(c);
              return;
            }
            this.dictionaries[c]!.push(v);
            lookup.set(v, code);
          } else code = found;
        }
        this.codes[c]![this.rowCount] = code;
      }
      this.rowCount++;
    }
  }

  /** The problem that stops the table early (a column with too many distinct values), if any. */
  get error(): Problem | null {
    return this.overflow;
  }

  private tooManyValues(c: number): void {
    const name = this.names[c]!;
    this.overflow = {
      kind: 'too-many-values',
      file: this.file,
      row: this.rowCount + 1,
      column: name,
      message:
        `${this.file}: column "${name}" has more than ${this.maxDistinct.toLocaleString('en-US')} distinct ` +
        `values (reached at row ${this.rowCount + 1}), more than Benchtop can hold for one column. ` +
        'Drop or round that column, or sample rows.',
    };
  }

  /** Finishes the table, or explains why the input cannot become one. */
  finish(): Result<Table> {
    const file = this.file;
    if (this.overflow) return fail(this.overflow, this.warnings);
    if (this.raggedCount > 0) {
      const first = this.ragged[0]!;
      const named = this.ragged.map((r) => `row ${r.row} has ${r.fields}`).join(', ');
      const more =
        this.raggedCount > this.ragged.length ? ` and ${this.raggedCount - this.ragged.length} more rows` : '';
      return fail(
        {
          kind: 'ragged-rows',
          file,
          row: first.row,
          message:
            `${file}: ${this.raggedCount} row(s) do not have the header's ${this.names.length} ` +
            `fields: ${named}${more}. Check for unquoted delimiters or a missing field.`,
        },
        this.warnings,
      );
    }
    if (this.rowCount === 0) {
      return fail({ kind: 'header-only', file, message: `${file} has a header row but no data rows.` }, this.warnings);
    }
    if (this.names.length === 0)
      return fail(
        { kind: 'no-columns', file, message: `${file} has no columns: no row names a field.` },
        this.warnings,
      );
    const columns: Column[] = this.names.map((name, c) => ({
      name,
      dictionary: this.dictionaries[c]!,
      codes: this.codes[c]!.slice(0, this.rowCount),
    }));
    columns.forEach((col, c) => this.dropNonFinite(col, c));
    for (const col of columns) {
      if (col.dictionary.length === 0) {
        this.warnings.push({
          kind: 'all-missing',
          file,
          column: col.name,
          message:
            `${file}: column "${col.name}" has no values (all ${this.rowCount} rows are missing); ` + `it is ignored.`,
        });
      }
    }
    return ok({ columns, rowCount: this.rowCount }, this.warnings);
  }

  /**
   * In a column of numbers, cells that are not finite numbers (NaN, ±Infinity, inf, or a number too
   * large for a double, like 1e400) become missing values, with one note per column: the count,
   * the spellings and the first row. Otherwise a single "inf" would turn the column into categories
   * and a 1e400 would reach training as Infinity. NaN spellings are missing in every column, and noted.
   */
  private dropNonFinite(col: Column, c: number): void {
    const dict = col.dictionary;
    const bad = dict.map((s) => NON_FINITE.test(s) || (NUMBER_LIKE.test(s) && !Number.isFinite(Number(s))));
    const finite = dict.map((s) => !Number.isNaN(parseNumber(s)));
    const numeric = bad.some(Boolean) && finite.some(Boolean) && dict.every((_, k) => bad[k] || finite[k]);
    let count = this.nanCells[c]!;
    let first = count > 0 ? this.nanFirst[c]! : Infinity;
    const spellings = count > 0 ? ['NaN'] : [];
    if (numeric) {
      const remap = new Int32Array(dict.length);
      const kept: string[] = [];
      dict.forEach((s, k) => {
        remap[k] = bad[k] ? -1 : kept.push(s) - 1;
        if (bad[k] && spellings.length < 4) spellings.push(s);
      });
      const codes = col.codes;
      for (let r = 0; r < codes.length; r++) {
        const code = codes[r]!;
        if (code < 0) continue;
        const next = remap[code]!;
        if (next < 0) {
          count++;
          if (r + 1 < first) first = r + 1;
        }
        codes[r] = next;
      }
      col.dictionary = kept;
    }
    if (count === 0) return;
    this.warnings.push({
      kind: 'non-finite-number',
      file: this.file,
      column: col.name,
      row: first,
      message:
        `${this.file}: column "${col.name}" has ${count} cell(s) that are not finite numbers ` +
        `(${spellings.join(', ')}), first at row ${first}; they are read as missing values.`,
    });
  }

  private ensureCapacity(n: number): void {
    if (this.codes.length === 0 || n <= this.codes[0]!.length) return;
    const cap = Math.max(n, this.codes[0]!.length * 2);
    this.codes = this.codes.map((old) => {
      const next = new Int32Array(cap);
      next.set(old);
      return next;
    });
  }
}

/** Gives every column a non-empty, unique name; warns about each repair. */
function repairHeader(file: string, header: string[], warnings: Problem[]): string[] {
  const seen = new Map<string, number>();
  const names: string[] = [];
  header.forEach((raw, i) => {
    let name = String(raw ?? '').trim();
    if (name === '') {
      name = `column_${i + 1}`;
      warnings.push({
        kind: 'empty-column-name',
        file,
        column: name,
        message: `${file}: column ${i + 1} has no name; it is called "${name}".`,
      });
    }
    const count = seen.get(name) ?? 0;
    if (count > 0) {
      let candidate = `${name}_${count + 1}`;
      while (seen.has(candidate)) candidate = `${candidate}_`;
      warnings.push({
        kind: 'duplicate-column-name',
        file,
        column: candidate,
        message: `${file}: column ${i + 1} repeats the name "${name}"; it is called "${candidate}".`,
      });
      seen.set(name, count + 1);
      name = candidate;
    }
    seen.set(name, Math.max(1, seen.get(name) ?? 0));
    names.push(name);
  });
  return names;
}
