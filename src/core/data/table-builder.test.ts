import { describe, expect, it } from 'vitest';
import { parseDelimitedText } from './parse-delimited.ts';
import { parseJsonRecords } from './parse-json.ts';
import { inferSchema } from './schema.ts';
import { cell } from './table.ts';
import { TableBuilder } from './table-builder.ts';
import { parseNumber } from './values.ts';

describe('non-finite numbers become missing values, with a note naming the column, the count and the first row', () => {
  // Before: "1e400" reached training as Infinity and "inf" turned a numeric column into categories.
  const rows = Array.from({ length: 120 }, (_, i) => `${(i * 0.37).toFixed(2)},${i % 2 ? 'a' : 'b'}`);
  rows[4] = '1e400,a';
  rows[9] = 'inf,b';
  rows[20] = '-Infinity,a';
  rows[30] = 'NaN,b';
  rows[31] = 'INF,a';
  const text = ['x,y', ...rows].join('\n');

  it('in a CSV', () => {
    const r = parseDelimitedText(text, 'nf.csv');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const x = r.value.columns[0]!;
    for (const row of [4, 9, 20, 30, 31]) expect(cell(x, row), `row ${row + 1}`).toBeNull();
    expect(x.dictionary.every((s) => Number.isFinite(Number(s)))).toBe(true);
    const notes = r.warnings.filter((w) => w.kind === 'non-finite-number');
    expect(notes).toEqual([expect.objectContaining({ file: 'nf.csv', column: 'x', row: 5 })]);
    expect(notes[0]!.message).toBe(
      'nf.csv: column "x" has 5 cell(s) that are not finite numbers (NaN, 1e400, inf, -Infinity), ' +
        'first at row 5; they are read as missing values.',
    );
    const schema = inferSchema(r.value);
    expect(schema.columns[0]).toMatchObject({ type: 'numeric', missing: 5 });
    expect(Number.isFinite(schema.columns[0]!.max)).toBe(true);
  });
  it('in JSON records (1e400 parses to Infinity)', () => {
    const r = parseJsonRecords('[{"a":1,"b":"x"},{"a":1e400,"b":"y"},{"a":-1e999,"b":"z"},{"a":2,"b":"w"}]', 'nf.json');
    expect(r.ok && cell(r.value.columns[0]!, 1)).toBeNull();
    expect(r.ok && cell(r.value.columns[0]!, 2)).toBeNull();
    expect(r.warnings).toContainEqual(expect.objectContaining({ kind: 'non-finite-number', column: 'a', row: 2 }));
  });
  it('text that merely says Infinity is left alone', () => {
    const r = parseDelimitedText('title,n\nInfinity,1\nBeyond,2\nUp,3\n', 't.csv');
    expect(r.ok && r.value.columns[0]!.dictionary).toEqual(['Infinity', 'Beyond', 'Up']);
    expect(r.warnings).toEqual([]);
  });
  it('NaN spelled out is noted in any column', () => {
    const b = new TableBuilder('n.csv', ['c']);
    b.addRows([['a'], ['NaN'], ['nan'], ['b'], ['']]);
    const r = b.finish();
    expect(r.ok && r.value.columns[0]!.dictionary).toEqual(['a', 'b']);
    expect(r.warnings).toContainEqual(expect.objectContaining({ kind: 'non-finite-number', column: 'c', row: 2 }));
    expect(r.warnings[0]!.message).toContain('has 2 cell(s)');
  });
  it('parseNumber never returns ±Infinity', () => {
    expect(parseNumber('1e400')).toBeNaN();
    expect(parseNumber('-1e400')).toBeNaN();
    expect(parseNumber('1e300')).toBe(1e300);
    expect(parseNumber('1e-400')).toBe(0);
  });
});

describe('records without fields', () => {
  it('[{}] is an error naming the file, not a crash (found by the property tests)', () => {
    const r = parseJsonRecords('[{}]', 'e.json');
    expect(!r.ok && r.error).toMatchObject({ kind: 'no-columns', file: 'e.json' });
  });
});

describe('a column with more distinct values than a Map holds', () => {
  it('is an error naming the column and the row, not a RangeError (the limit is lowered here)', () => {
    const b = new TableBuilder('ids.csv', ['id', 'y'], 1000);
    b.addRows(Array.from({ length: 1500 }, (_, i) => [`id-${i}`, 'a']));
    expect(b.error).toMatchObject({ kind: 'too-many-values', column: 'id', row: 1001 });
    const r = b.finish();
    expect(!r.ok && r.error.message).toMatch(/^ids\.csv: column "id" has more than 1,000 distinct values/);
  });
});

describe('JSON records that cannot be kept', () => {
  it('a field nested deeper than the call stack is an error naming the record and field', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const r = parseJsonRecords(`[{"a":1,"deep":${deep}}]`, 'd.json');
    expect(!r.ok && r.error).toMatchObject({ kind: 'too-deep', row: 1, column: 'deep' });
  });
  it('null is named as null', () => {
    const r = parseJsonRecords('null', 'n.json');
    expect(!r.ok && r.error.message).toContain('it holds null');
  });
});
