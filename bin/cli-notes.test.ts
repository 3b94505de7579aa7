/**
 * The command line never drops what loading a data file noted (values read as missing, repaired
 * names, keys JSON.parse dropped), and every refusal about the data names the file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBenchtop } from './run-cli.ts';

const DIR = mkdtempSync(join(tmpdir(), 'benchtop-notes-'));

const benchtop = (args: string[]) => runBenchtop(args, { cwd: DIR });

const rows = (n: number, row: (i: number) => string) => Array.from({ length: n }, (_, i) => row(i)).join('\n') + '\n';
/** 80 rows; column x holds "inf" in row 5, which the table builder reads as missing, with a note. */
const NOTED = join(DIR, 'noted.csv');
writeFileSync(
  NOTED,
  'a,x,label\n' + rows(80, (i) => `${i % 10},${i === 4 ? 'inf' : (i * 7) % 13},${i % 10 < 5 ? 'yes' : 'no'}`),
);
const NOTE = 'noted.csv: column "x" has 1 cell(s) that are not finite numbers (inf), first at row 5';

const warningsOf = (r: { code: number; stdout: string; stderr: string }) => {
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { warnings: string[] }).warnings.join('\n');
};

describe('every command that reads a data file reports its load notes', () => {
  it('train, tune, predict, evaluate, calibrate, drift and rehearse', async () => {
    const model = join(DIR, 'm');
    const tree = ['--model', 'tree', '--max-depth', '2'];
    expect(
      warningsOf(await benchtop(['train', '--data', NOTED, '--label', 'label', ...tree, '--out', model, '--no-store'])),
    ).toContain(NOTE);
    const withModel = ['--model', model, '--data', NOTED];
    const results = await Promise.all([
      benchtop([
        'tune',
        '--data',
        NOTED,
        '--label',
        'label',
        ...tree,
        '--search',
        'random',
        '--trials',
        '2',
        '--out',
        join(DIR, 't'),
      ]),
      benchtop(['predict', ...withModel, '--out', join(DIR, 'p.csv')]),
      benchtop(['evaluate', ...withModel, '--json']),
      benchtop(['calibrate', ...withModel, '--method', 'temperature', '--out', join(DIR, 'c')]),
      benchtop(['drift', '--reference', NOTED, '--current', NOTED, '--json']),
      benchtop(['rehearse', ...withModel, '--kind', 'ab', '--challenger', 'heuristic', '--requests', '40']),
    ]);
    for (const r of results) expect(warningsOf(r)).toContain(NOTE);
  }, 240_000);
});

describe('train: refusals about the data name the file and the column', () => {
  const refusal = async (name: string, text: string) => {
    const f = join(DIR, name);
    writeFileSync(f, text);
    const r = await benchtop([
      'train',
      '--data',
      f,
      '--label',
      'label',
      '--model',
      'tree',
      '--out',
      join(DIR, 'x'),
      '--no-store',
    ]);
    expect(r.code, r.stderr).toBe(2);
    return JSON.parse(r.stderr).error as { kind: string; file: string; column?: string; message: string };
  };
  it('only the label column, no label values, one class', async () => {
    const [one, none, same] = await Promise.all([
      refusal('one-column.csv', 'label\n' + rows(20, (i) => (i % 2 ? 'yes' : 'no'))),
      refusal('label-all-missing.csv', 'a,label\n' + rows(20, (i) => `${i},`)),
      refusal('label-one-class.csv', 'a,label\n' + rows(20, (i) => `${i},yes`)),
    ]);
    expect(one).toMatchObject({ kind: 'no-features', file: 'one-column.csv', column: 'label' });
    expect(one.message).toMatch(/^one-column\.csv: no feature column to learn "label" from/);
    expect(none).toMatchObject({ kind: 'too-few-rows', file: 'label-all-missing.csv', column: 'label' });
    expect(none.message).toMatch(/^label-all-missing\.csv: only 0 of 20 row\(s\) have a "label" value/);
    expect(same).toMatchObject({ kind: 'one-class-label', file: 'label-one-class.csv', column: 'label' });
    expect(same.message).toMatch(/^label-one-class\.csv: the label "label" has only one class/);
  }, 120_000);
  it('a JSON file that repeats a key trains, with a note naming the key', async () => {
    const f = join(DIR, 'dup.json');
    writeFileSync(
      f,
      JSON.stringify(Array.from({ length: 40 }, (_, i) => ({ a: i, label: i % 2 ? 'p' : 'q' })))
        .replaceAll('"a":', '"price":1,"a":')
        .replaceAll('"label"', '"price":2,"label"'),
    );
    const w = warningsOf(
      await benchtop([
        'train',
        '--data',
        f,
        '--label',
        'label',
        '--model',
        'tree',
        '--out',
        join(DIR, 'd'),
        '--no-store',
      ]),
    );
    expect(w).toContain('dup.json: in 40 record(s) the key "price" appears more than once (first in record 1)');
  }, 120_000);
});
