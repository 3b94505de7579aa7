import { describe, expect, it } from 'vitest';
import { csvTable } from '../../../tests/unit/fixtures.ts';
import { inferSchema } from '../data/schema.ts';
import type { SplitSpec } from '../data/split.ts';
import { prepareData } from './prepare.ts';

const split: SplitSpec = { kind: 'stratified', fractions: [0.7, 0.15, 0.15], seed: 1 };

describe('prepareData: refusals and notes name the data file and the label', () => {
  it('no labelled rows: refused naming the file, the label and how many rows have one', () => {
    const t = csvTable('x,y\n1,\n2,\n3,\n4,\n', 'empty-label.csv');
    const r = prepareData(t, inferSchema(t, 'y'), split, 'empty-label.csv');
    expect(!r.ok && r.error).toMatchObject({ kind: 'too-few-rows', file: 'empty-label.csv', column: 'y' });
    expect(!r.ok && r.error.message).toMatch(/^empty-label\.csv: only 0 of 4 row\(s\) have a "y" value/);
    expect(r.warnings.map((w) => w.message)).toContain(
      'empty-label.csv: 4 row(s) have no "y" value and are left out of training and evaluation.',
    );
  });
  it('far more inputs than training rows: a wide-table note with the counts', () => {
    const n = 2000;
    const header = Array.from({ length: n }, (_, i) => `f${i}`).join(',') + ',y\n';
    const rows = Array.from(
      { length: 20 },
      (_, r) => Array.from({ length: n }, (_, i) => String((i * 7 + r) % 5)).join(',') + (r % 2 ? ',p\n' : ',q\n'),
    );
    const t = csvTable(header + rows.join(''), 'wide.csv');
    const r = prepareData(t, inferSchema(t, 'y'), split, 'wide.csv');
    expect(r.ok).toBe(true);
    const note = r.warnings.find((w) => w.kind === 'wide-table');
    expect(note?.message).toMatch(/^wide\.csv: 2,000 model inputs \(from 2,000 feature columns\) for 14 training rows/);
  });
  it('a narrow table gets no wide-table note', () => {
    const t = csvTable('x,y\n' + Array.from({ length: 30 }, (_, i) => `${i},${i % 2 ? 'p' : 'q'}\n`).join(''));
    const r = prepareData(t, inferSchema(t, 'y'), split, 'narrow.csv');
    expect(r.ok && r.warnings.some((w) => w.kind === 'wide-table')).toBe(false);
  });
});
