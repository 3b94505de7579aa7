import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../src/core/data/limits.ts';
import { parseDelimitedBytes } from '../src/core/data/parse-delimited.ts';
import { cell, type Table } from '../src/core/data/table.ts';
import type { Problem } from '../src/core/util/result.ts';
import { readTableFile } from './node-io.ts';

let dir: string;
const WINE = new URL('../public/datasets/wine.csv', import.meta.url);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'benchtop-node-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function cells(t: Table): (string | null)[][] {
  return Array.from({ length: t.rowCount }, (_, r) => t.columns.map((c) => cell(c, r)));
}

describe('readTableFile', () => {
  it('an unbalanced quote in wine.csv is an error naming the file, the row, the line and the column', async () => {
    // Before: `benchtop train` and `drift` exited 0 on 11 of 178 rows.
    const lines = (await readFile(WINE, 'utf8')).split('\r\n');
    lines[11] = lines[11]!.replace(/class_0$/, '"class_0');
    const path = join(dir, 'wine.csv');
    await writeFile(path, lines.join('\r\n'));
    const r = await readTableFile(path, () => {});
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ kind: 'unclosed-quote', file: 'wine.csv', row: 11, column: 'cultivar' });
      expect(r.error.message).toMatch(/^wine\.csv: row 11 \(line 12\) opens a quoted field that never closes/);
    }
  });

  it('refuses a file over the shared 512 MB limit before reading it', async () => {
    // Before: a 600 MB CSV crashed the CLI with ERR_STRING_TOO_LONG. A sparse file costs no disk.
    const path = join(dir, 'huge.csv');
    const f = await open(path, 'w');
    await f.truncate(600 * 2 ** 20);
    await f.close();
    const started = performance.now();
    const r = await readTableFile(path, () => {});
    expect(performance.now() - started).toBeLessThan(1000);
    expect(!r.ok && r.error).toMatchObject({ kind: 'too-large', file: 'huge.csv' });
    expect(!r.ok && r.error.message).toBe(
      `huge.csv is 600 MB; Benchtop reads files up to ${MAX_FILE_BYTES / 2 ** 20} MB. Sample or split it first.`,
    );
    // The app's data worker refuses past the same constant.
    expect(MAX_FILE_BYTES).toBe(512 * 2 ** 20);
  });

  it('streams a multi-chunk file to the same table as the in-memory parser', async () => {
    // ~3.5 MB: several 1 MB reads, with multibyte characters and quoted line breaks across the cuts.
    const rows = ['id,city,note,value'];
    for (let i = 0; i < 40_000; i++)
      rows.push(`${i},${i % 3 ? 'Köln' : '東京'},"line ${i}\nsecond, part",${(i * 0.25).toFixed(2)}`);
    const text = rows.join('\n') + '\n';
    const path = join(dir, 'big.csv');
    await writeFile(path, text);
    const streamed = await readTableFile(path, () => {});
    const whole = parseDelimitedBytes(new TextEncoder().encode(text), 'big.csv');
    expect(streamed.ok && whole.ok).toBe(true);
    if (streamed.ok && whole.ok) {
      expect(streamed.value.rowCount).toBe(40_000);
      expect(cells(streamed.value)).toEqual(cells(whole.value));
    }
  });

  it('hands each note of a table that loads to onNote, and keeps them in warnings', async () => {
    const path = join(dir, 'nf.csv');
    await writeFile(path, 'a,b\n1,x\n1e400,y\ninf,x\n4,y\n');
    const notes: Problem[] = [];
    const r = await readTableFile(path, (n) => notes.push(n));
    expect(r.ok).toBe(true);
    expect(notes).toEqual([
      expect.objectContaining({ kind: 'non-finite-number', file: 'nf.csv', column: 'a', row: 2 }),
    ]);
    expect(r.warnings).toEqual(notes);
    const json = join(dir, 'nf.json');
    await writeFile(json, '[{"a":1},{"a":1e400},{"a":3}]');
    const j = await readTableFile(json, () => {});
    expect(j.ok && cell(j.value.columns[0]!, 1)).toBeNull();
    expect(j.warnings).toContainEqual(expect.objectContaining({ kind: 'non-finite-number', row: 2 }));
  });

  it('names a missing file, a folder, and bad UTF-8 in JSON with its line', async () => {
    expect((await readTableFile(join(dir, 'nope.csv'))).ok).toBe(false);
    const folder = await readTableFile(dir);
    expect(!folder.ok && folder.error.message).toContain('is not a file');
    const path = join(dir, 'bad.json');
    await writeFile(path, Buffer.from([...Buffer.from('[{"a":1},\n{"a":"'), 0xff, ...Buffer.from('"}]')]));
    const r = await readTableFile(path);
    expect(!r.ok && r.error).toMatchObject({ kind: 'not-utf8', file: 'bad.json', row: 1 });
    expect(!r.ok && r.error.message).toContain('line 2');
  });
});
