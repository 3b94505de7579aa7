import Papa from 'papaparse';
import type { Problem, Result } from '../util/result.ts';
import { fail } from '../util/result.ts';
import { TableBuilder } from './table-builder.ts';
import type { Table } from './table.ts';

/** Characters collected before the delimiter and line ending are guessed (papaparse reads 10 rows). */
const GUESS_CHARS = 1 << 16;

/**
 * The longest row, in characters, that may stay open across chunks. Past it the row is reported
 * (almost always a quote that never closes) instead of being re-read with every later chunk,
 * which would cost O(file²) and build one string as large as the rest of the file.
 */
export const MAX_ROW_CHARS = 16 * 1024 * 1024;

interface PapaRows {
  data: string[][];
  errors: { code: string; row?: number; index?: number }[];
  meta: { cursor: number };
}

/** Blank lines carry no cell: papaparse yields them as one empty field. */
function isBlankLine(fields: readonly string[]): boolean {
  return fields.length === 1 && fields[0]!.trim() === '';
}

function countNewlines(text: string, end = text.length): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Incremental parser for delimited text (CSV, TSV): text arrives in chunks of any size, rows go
 * into a {@link TableBuilder} as soon as they are complete, and only the unfinished last row is
 * kept between chunks, so a file never has to sit in memory as one string. RFC 4180 quoting via
 * papaparse's core parser; the first non-blank row is the header; blank lines are skipped.
 *
 * Nothing is dropped silently: a quoted field that never closes, a closing quote followed by other
 * characters, and a row that stays open past {@link MAX_ROW_CHARS} are errors naming the file, the
 * data row, the line and the column; rows with the wrong number of fields are errors from the
 * builder (it names them). When no delimiter can be guessed the file is read as one column, with a
 * note.
 *
 * Cost: O(characters) time; memory O(one chunk + the longest row + the encoded table).
 * @example
 *   const p = new DelimitedParser('a.csv');
 *   p.push('a,b\n1,'); p.push('2\n');
 *   const t = p.finish(); // t.ok && t.value.rowCount === 1
 */
export class DelimitedParser {
  private pending = '';
  private parser: Papa.Parser | null = null;
  private builder: TableBuilder | null = null;
  /** Non-blank rows handed on so far, the header included (so it is also the next data row's number). */
  private rowsSeen = 0;
  /** Line breaks in the text already consumed. */
  private linesBefore = 0;
  private problem: Problem | null = null;
  private readonly warnings: Problem[] = [];
  /** papaparse found no delimiter in the first rows. */
  private undetectable = false;

  /** @param delimiter fixed delimiter, or `undefined` to guess among , tab | ; */
  constructor(
    readonly file: string,
    private readonly delimiter?: string,
  ) {}

  /** Data rows read so far. */
  get rows(): number {
    return Math.max(0, this.rowsSeen - 1);
  }

  /** The error that stopped the parse, if any; later chunks are ignored once set. */
  get error(): Problem | null {
    return this.problem;
  }

  /** Feeds the next piece of text. */
  push(text: string): void {
    if (this.problem) return;
    this.pending += text;
    if (this.parser === null && this.pending.length < GUESS_CHARS) return;
    this.parse(false);
  }

  /** Parses what is left and finishes the table, or explains why the text cannot become one. */
  finish(): Result<Table> {
    if (!this.problem) this.parse(true);
    if (this.problem) return fail(this.problem, this.warnings);
    if (this.builder === null)
      return fail({
        kind: 'empty-file',
        file: this.file,
        message: `${this.file} is empty: it has no header and no rows.`,
      });
    if (this.undetectable && this.builder.names.length === 1)
      this.warnings.push({
        kind: 'one-column',
        file: this.file,
        message:
          `${this.file}: no delimiter (comma, tab, | or ;) separates the first rows into fields, so ` +
          'each line is read as one cell of a single column.',
      });
    const r = this.builder.finish();
    return { ...r, warnings: [...this.warnings, ...r.warnings] };
  }

  private start(): Papa.Parser {
    const sample = this.pending.slice(0, GUESS_CHARS);
    const guess = Papa.parse<string[]>(sample, { delimiter: this.delimiter, preview: 10, skipEmptyLines: 'greedy' });
    this.undetectable = guess.errors.some((e) => e.code === 'UndetectableDelimiter');
    return new Papa.Parser({ delimiter: guess.meta.delimiter, newline: guess.meta.linebreak as '\n' });
  }

  private parse(last: boolean): void {
    if (this.pending === '' && (!last || this.parser === null)) return;
    this.parser ??= this.start();
    const nul = this.pending.indexOf('\u0000');
    if (nul !== -1) {
      this.problem = this.nulProblem(nul);
      return;
    }
    const parsed = this.parser.parse(this.pending, 0, !last) as PapaRows;
    const rows = parsed.data;
    // Errors of the unfinished last row come again once the row is complete; handle only emitted rows.
    const errors = parsed.errors
      .filter((e) => e.row !== undefined && e.row < rows.length)
      .sort((a, b) => a.row! - b.row! || (a.index ?? 0) - (b.index ?? 0));
    const stopAt = errors.length > 0 ? errors[0]!.row! : rows.length;
    const batch: string[][] = [];
    let next = this.rowsSeen;
    for (let i = 0; i < stopAt; i++) {
      const fields = rows[i]!;
      if (isBlankLine(fields)) continue;
      if (next === 0) this.builder = new TableBuilder(this.file, fields);
      else batch.push(fields);
      next++;
    }
    this.builder?.addRows(batch);
    this.rowsSeen = next;
    if (this.builder?.error) {
      this.problem = this.builder.error;
      return;
    }
    if (errors.length > 0) {
      this.problem = this.quoteProblem(errors[0]!);
      return;
    }
    const consumed = last ? this.pending.length : parsed.meta.cursor;
    this.linesBefore += countNewlines(this.pending, consumed);
    this.pending = this.pending.slice(consumed);
    if (!last && this.pending.length > MAX_ROW_CHARS) this.problem = this.openRowProblem();
  }

  private lineAt(index: number): number {
    return this.linesBefore + 1 + countNewlines(this.pending, index);
  }

  /**
   * The field a quoted field opening at `index` (just after its quote) belongs to: the pending text
   * starts at a row boundary, so the last row of the text before the quote holds the fields before it.
   */
  private fieldAt(index: number): number {
    const probe = this.parser!.parse(this.pending.slice(0, Math.max(0, index - 1)), 0, false) as PapaRows;
    const lastRow = probe.data[probe.data.length - 1];
    return lastRow ? lastRow.length - 1 : 0;
  }

  private columnName(field: number): string {
    const name = this.builder?.names[field];
    return name !== undefined ? `column "${name}"` : `field ${field + 1}`;
  }

  private where(): string {
    return this.rowsSeen === 0 ? 'the header row' : `row ${this.rowsSeen}`;
  }

  private quoteProblem(err: { code: string; index?: number }): Problem {
    const file = this.file;
    const index = err.index ?? 0;
    const line = this.lineAt(index);
    const row = this.rowsSeen;
    const field = this.fieldAt(index);
    const column = this.columnName(field);
    const at = { file, row, ...(this.builder?.names[field] !== undefined && { column: this.builder.names[field] }) };
    if (err.code === 'MissingQuotes') {
      return {
        kind: 'unclosed-quote',
        ...at,
        message:
          `${file}: ${this.where()} (line ${line}) opens a quoted field that never closes (${column}); ` +
          'everything after it would be read as one cell. Add the closing quote (or remove the opening ' +
          'one) and load the file again.',
      };
    }
    return {
      kind: 'malformed-quote',
      ...at,
      message:
        `${file}: ${this.where()} (line ${line}) has a quoted field whose closing quote is followed by ` +
        `other characters (${column}). Quote the whole cell and double each quote inside it (""), then ` +
        'load the file again.',
    };
  }

  /** A NUL character: binary data, or UTF-16 text read as UTF-8 (every other byte is NUL). */
  private nulProblem(index: number): Problem {
    const probe = this.parser!.parse(this.pending.slice(0, index), 0, false) as PapaRows;
    const before = probe.data.slice(0, -1).filter((f) => !isBlankLine(f)).length;
    const row = this.rowsSeen + before;
    const field = Math.max(0, (probe.data[probe.data.length - 1]?.length ?? 1) - 1);
    const name = row === 0 ? undefined : this.builder?.names[field];
    const where = row === 0 ? 'the header row' : `row ${row}`;
    return {
      kind: 'nul-byte',
      file: this.file,
      row,
      ...(name !== undefined && { column: name }),
      message:
        `${this.file}: ${where} (line ${this.lineAt(index)}) holds a NUL byte` +
        `${name !== undefined ? ` (column "${name}")` : ''}: the file is binary, or text saved as UTF-16 ` +
        'rather than UTF-8. Save it as UTF-8 text (for example "CSV UTF-8") and load it again.',
    };
  }

  private openRowProblem(): Problem {
    const probe = this.parser!.parse(this.pending, 0, false) as PapaRows;
    const quote = probe.errors.find((e) => e.code === 'MissingQuotes');
    const mb = MAX_ROW_CHARS / 2 ** 20;
    if (quote) {
      const p = this.quoteProblem(quote);
      return {
        ...p,
        message: p.message.replace('never closes', `does not close within ${mb} MB`),
      };
    }
    return {
      kind: 'row-too-long',
      file: this.file,
      row: this.rowsSeen,
      message:
        `${this.file}: ${this.where()} (line ${this.linesBefore + 1}) is longer than ${mb} MB without a line ` +
        'break; check that the file is delimited text with one row per line.',
    };
  }
}
