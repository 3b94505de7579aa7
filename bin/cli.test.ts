import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLI = new URL('./benchtop.mjs', import.meta.url).pathname;
const DATA = new URL('../public/datasets/', import.meta.url).pathname;

async function benchtop(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('benchtop command line', () => {
  it('--help lists the commands', async () => {
    const r = await benchtop(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/train\s+Train a model/);
  });

  it('train is reproducible on the same backend and writes a model directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'benchtop-'));
    const args = ['train', '--data', join(DATA, 'wine.csv'), '--label', 'cultivar', '--model', 'mlp', '--hidden', '16', '--epochs', '5', '--lr', '0.01', '--seed', '7', '--backend', 'wasm'];
    const a = await benchtop([...args, '--out', join(dir, 'a')]);
    const b = await benchtop([...args, '--out', join(dir, 'b')]);
    expect(a.code).toBe(0);
    const ja = JSON.parse(a.stdout), jb = JSON.parse(b.stdout);
    expect(ja.metrics).toEqual(jb.metrics);
    expect(ja.metrics.validation.accuracy).toBeGreaterThan(0.8);
    expect(ja.backend).toBe('wasm');
    const run = JSON.parse(await readFile(join(dir, 'a', 'run.json'), 'utf8'));
    expect(run.format).toBe('benchtop-run@1');
    const modelJson = JSON.parse(await readFile(join(dir, 'a', 'model.json'), 'utf8'));
    expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);

    const info = await benchtop(['info', '--model', join(dir, 'a'), '--data', join(DATA, 'wine.csv')]);
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout).fingerprint.maxAbsDiff).toBeLessThan(1e-6);
    const other = await benchtop(['info', '--model', join(dir, 'a'), '--data', join(DATA, 'german-credit.csv')]);
    expect(JSON.parse(other.stderr).error.kind).toBe('other-dataset');

    const preds = join(dir, 'preds.csv');
    const p = await benchtop(['predict', '--model', join(dir, 'a'), '--data', join(DATA, 'wine.csv'), '--out', preds]);
    expect(p.code).toBe(0);
    const lines = (await readFile(preds, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('predicted,class_0,class_1,class_2');
    expect(lines).toHaveLength(179);
    const probs = lines[1]!.split(',').slice(1).map(Number);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('bad input exits non-zero with a JSON error naming the file and column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'benchtop-'));
    const f = join(dir, 'ragged.csv');
    await writeFile(f, 'a,b\n1,2\n3\n');
    const r = await benchtop(['train', '--data', f, '--label', 'b', '--out', join(dir, 'm')]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error).toMatchObject({ kind: 'ragged-rows', file: 'ragged.csv', row: 2 });
    const r2 = await benchtop(['train', '--data', join(DATA, 'wine.csv'), '--label', 'nope', '--out', join(dir, 'm')]);
    expect(JSON.parse(r2.stderr).error).toMatchObject({ kind: 'missing-column', column: 'nope' });
    const r3 = await benchtop(['train', '--data', join(DATA, 'wine.csv')]);
    expect(r3.code).toBe(64);
    expect(r3.stderr).toMatch(/--label is required/);
  });
});
