import type { Problem, Result } from '../util/result.ts';
import { fail } from '../util/result.ts';
import { describeValue } from '../store/schemas/describe-value.ts';
import { scanJsonRecords, type JsonScan } from './json-scan.ts';
import { TableBuilder } from './table-builder.ts';
import type { Table } from './table.ts';

/** 1-based line of a character offset in `text`. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Parses a JSON array of records (`[{"a": 1, "b": "x"}, ...]`) into a table. Columns are the union
 * of keys in order of first appearance; `null`/absent fields are missing; nested values are kept as
 * JSON text, with a warning. What `JSON.parse` would drop silently is noted: a key repeated in one
 * object (the last value is kept) and integers beyond a double's precision (a record's own field
 * keeps the digits as written; inside a nested value they round).
 * Cost: O(characters).
 * @example parseJsonRecords('[{"a":1}]', 'x.json')
 */
export function parseJsonRecords(text: string, file: string): Result<Table> {
  if (text.trim() === '') return fail({ kind: 'empty-file', file, message: `${file} is empty.` });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const where = pos ? ` near line ${lineOf(text, Number(pos[1]))}` : '';
    return fail({ kind: 'bad-json', file, message: `${file} is not valid JSON${where}: ${msg}` });
  }
  if (!Array.isArray(data)) {
    return fail({
      kind: 'not-records',
      file,
      message: `${file} must hold a JSON array of records ([{...}, {...}]); it holds ${describeValue(data)}.`,
    });
  }
  const keys = new Map<string, number>();
  for (let i = 0; i < data.length; i++) {
    const rec = data[i];
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) {
      return fail({
        kind: 'not-records',
        file,
        row: i + 1,
        message: `${file}: element ${i + 1} of the array is not a record (an object with named fields).`,
      });
    }
    for (const k of Object.keys(rec)) if (!keys.has(k)) keys.set(k, keys.size);
  }
  const names = [...keys.keys()];
  const scan = scanJsonRecords(text);
  const warnings: Problem[] = scanNotes(scan, file);
  const nested = new Set<string>();
  const builder = new TableBuilder(file, names);
  let tooDeep: Problem | null = null;
  const rows = data.map((rec: Record<string, unknown>, i: number) => {
    const exact = scan.exact.get(i);
    return names.map((k) => {
      const v = rec[k];
      // An integer a double rounds keeps the digits as written (as a CSV cell would).
      const digits = exact?.get(k);
      if (digits !== undefined && typeof v === 'number') return digits;
      if (v === null || v === undefined) return '';
      if (typeof v === 'object') {
        nested.add(k);
        try {
          return JSON.stringify(v);
        } catch {
          // Nesting deeper than the call stack (JSON.parse reads it, JSON.stringify cannot write it back).
          tooDeep ??= {
            kind: 'too-deep',
            file,
            row: i + 1,
            column: k,
            message: `${file}: record ${i + 1}'s field "${k}" is nested too deeply to keep as a value.`,
          };
          return '';
        }
      }
      // A number out of range (1e400) parses as Infinity: the builder makes it missing, with a note.
      return String(v);
    });
  });
  if (tooDeep) return fail(tooDeep);
  builder.addRows(rows);
  for (const k of nested)
    warnings.push({
      kind: 'nested-value',
      file,
      column: k,
      message: `${file}: column "${k}" holds nested values; they are kept as JSON text.`,
    });
  const result = builder.finish();
  return result.ok ? { ...result, warnings: [...warnings, ...result.warnings] } : result;
}

/** Notes for what the scan found: one per repeated key path and one per column of rounded integers. */
function scanNotes(scan: JsonScan, file: string): Problem[] {
  const notes: Problem[] = [];
  for (const d of scan.duplicates) {
    const where =
      d.path === d.field
        ? `the key "${d.field}" appears more than once`
        : `field "${d.field}" holds an object in which the key "${d.path.slice(d.field.length + 1)}" appears more than once`;
    notes.push({
      kind: 'duplicate-key',
      file,
      row: d.firstRecord,
      column: d.field,
      message:
        `${file}: in ${d.count} record(s) ${where} (first in record ${d.firstRecord}); JSON keeps only the ` +
        `last value, so the earlier ones are not read. Give each field its own name.`,
    });
  }
  for (const r of scan.rounded) {
    const reads = String(Number(r.text));
    notes.push({
      kind: 'rounded-integer',
      file,
      row: r.firstRecord,
      column: r.field,
      message: r.nested
        ? `${file}: field "${r.field}" holds ${r.count} integer(s) inside nested values that a double cannot ` +
          `hold exactly (first in record ${r.firstRecord}: ${r.text} reads as ${reads}); the nested JSON text ` +
          `keeps the rounded numbers. Write such ids as strings ("${r.text}").`
        : `${file}: column "${r.field}" has ${r.count} integer(s) beyond 2^53 that a double cannot hold exactly ` +
          `(first in record ${r.firstRecord}: ${r.text} reads as ${reads}); the exact digits are kept as text, ` +
          `but as numbers different values can become equal. If they are ids, ignore the column or write ` +
          `them as strings ("${r.text}").`,
    });
  }
  return notes;
}
