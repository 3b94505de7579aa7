import type { Preprocessor } from '../data/preprocess.ts';
import { columnByName, type Table } from '../data/table.ts';
import { parseBoolean, parseDate, parseNumber } from '../data/values.ts';
import type { Problem, Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';

/**
 * Checks an evaluation table against what a model needs: missing feature or label columns are an
 * error naming them; extra columns and values of the wrong type (numbers that do not parse, unseen
 * categories) are notes naming the column and how many cells.
 */
export function checkColumns(pre: Preprocessor, table: Table, file: string, needLabel = true): Result<void> {
  const names = new Set(table.columns.map((c) => c.name));
  const needed = pre.features.map((f) => f.column);
  const missing = needed.filter((c) => !names.has(c));
  const labelMissing = needLabel && !names.has(pre.label.column);
  if (missing.length || labelMissing) {
    const parts = [
      missing.length ? `feature column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')}` : '',
      labelMissing ? `label column "${pre.label.column}"` : '',
    ].filter(Boolean);
    return fail({
      kind: 'column-mismatch',
      file,
      column: missing[0] ?? pre.label.column,
      message: `${file} does not match the model: it lacks the ${parts.join(' and the ')}.`,
    });
  }
  const notes: Problem[] = [];
  const extra = [...names].filter((c) => !needed.includes(c) && c !== pre.label.column);
  if (extra.length)
    notes.push({
      kind: 'extra-columns',
      file,
      message: `${file} has ${extra.length} column(s) the model does not use: ${extra
        .slice(0, 8)
        .map((c) => `"${c}"`)
        .join(', ')}${extra.length > 8 ? ', …' : ''}. They are ignored.`,
    });
  for (const f of pre.features) {
    const col = columnByName(table, f.column)!;
    if (f.kind === 'numeric') {
      const parse = f.parse === 'numeric' ? parseNumber : f.parse === 'date' ? parseDate : parseBoolean;
      const bad = new Set(col.dictionary.map((s, k) => (Number.isNaN(parse(s)) ? k : -1)).filter((k) => k >= 0));
      let cells = 0;
      for (const c of col.codes) if (bad.has(c)) cells++;
      if (cells)
        notes.push({
          kind: 'mistyped-column',
          file,
          column: f.column,
          message:
            `Column "${f.column}" should be ${f.parse} but ${cells} cell(s) are not (for example ` +
            `"${col.dictionary[[...bad][0]!]}"); they are treated as missing.`,
        });
    } else {
      const unseen = col.dictionary.filter((s) => !f.categories.includes(s));
      if (unseen.length)
        notes.push({
          kind: 'unseen-categories',
          file,
          column: f.column,
          message: `Column "${f.column}" has value(s) training never saw (${unseen
            .slice(0, 5)
            .map((s) => `"${s}"`)
            .join(', ')}); they encode as none of the known categories.`,
        });
    }
  }
  return ok(undefined, notes);
}
