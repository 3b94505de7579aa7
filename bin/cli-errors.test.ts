// No stack trace reaches a person on the command line: every failure is one JSON object on stderr with
// a documented exit code — unknown commands and options (named, with the nearest), failed runs (never
// exit 0), file-system errors, and anything thrown or rejected that nobody caught (exit 70).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeThrown, editDistance, EXIT, nearest, UsageError } from './cli-errors.ts';

const CLI = new URL('./benchtop.mjs', import.meta.url).pathname;
const WINE = new URL('../public/datasets/wine.csv', import.meta.url).pathname;
const WORK = mkdtempSync(join(tmpdir(), 'benchtop-errors-'));
const run = promisify(execFile);

async function benchtop(args: string[], o: { env?: Record<string, string>; nodeArgs?: string[] } = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [...(o.nodeArgs ?? []), CLI, ...args], {
      cwd: WORK,
      env: { ...process.env, BENCHTOP_DEBUG: '', ...o.env },
      maxBuffer: 1 << 24,
      timeout: 40_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** stderr must be exactly one JSON error object, without stack frames. */
function jsonError(stderr: string): { kind: string; message: string; [k: string]: unknown } {
  expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  const parsed = JSON.parse(stderr) as { ok: boolean; error: { kind: string; message: string } };
  expect(parsed.ok).toBe(false);
  return parsed.error;
}

/** wine.csv with the first column's cells replaced in rows 1..n. */
function wineWith(name: string, cell: string, n: number): string {
  const lines = readFileSync(WINE, 'utf8').trim().split('\n');
  for (let i = 1; i <= n; i++) lines[i] = lines[i]!.replace(/^[^,]*/, cell);
  const path = join(WORK, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('the command line names what is wrong', () => {
  it('an unknown command says so, lists the commands and suggests the nearest', async () => {
    const [fairness, typo, flag] = await Promise.all([
      benchtop(['fairness', '--model', 'x']),
      benchtop(['trian', '--data', 'x']),
      benchtop(['--model', 'x']),
    ]);
    for (const r of [fairness, typo, flag]) expect(r.code).toBe(EXIT.usage);
    const e = jsonError(fairness.stderr);
    expect(e).toMatchObject({ kind: 'usage', command: 'fairness' });
    expect(e.message).toMatch(/^benchtop has no command "fairness"\. Commands: train, tune, predict, evaluate/);
    expect(e.message).not.toMatch(/Unknown option/);
    expect(e.suggestion).toBeUndefined();
    expect(jsonError(typo.stderr)).toMatchObject({ suggestion: 'train' });
    expect(jsonError(typo.stderr).message).toMatch(/did you mean "train"\?/);
    expect(jsonError(flag.stderr).message).toMatch(/"--model" is not a command/);
  }, 40_000);

  it('an unknown option names the option and the command (and the nearest option)', async () => {
    const [train, serve, registry, missing] = await Promise.all([
      benchtop(['train', '--modle', 'mlp']),
      benchtop(['serve', '--stall-rat', '0.1']),
      benchtop(['runs', '--bogus']),
      benchtop(['train', '--data']),
    ]);
    for (const r of [train, serve, registry, missing]) expect(r.code).toBe(EXIT.usage);
    expect(jsonError(train.stderr)).toMatchObject({
      kind: 'usage',
      command: 'train',
      option: '--modle',
      suggestion: '--model',
    });
    expect(jsonError(train.stderr).message).toMatch(/^benchtop train has no option --modle \(did you mean --model\?\)/);
    expect(jsonError(serve.stderr)).toMatchObject({ command: 'serve', suggestion: '--stall-rate' });
    expect(jsonError(registry.stderr)).toMatchObject({ command: 'runs', option: '--bogus' });
    expect(jsonError(missing.stderr).message).toBe('benchtop train: --data needs a value.');
  }, 40_000);

  it('the help text documents the exit codes', async () => {
    const r = await benchtop(['--help']);
    expect(r.code).toBe(0);
    for (const line of [
      /^ {2}0 {3}done/m,
      /^ {2}2 {3}bad input/m,
      /^ {2}3 {3}the run/m,
      /^ {2}64 {2}usage/m,
      /^ {2}70 {2}internal/m,
    ])
      expect(r.stdout).toMatch(line);
  }, 40_000);
});

describe('a failed run is never a success', () => {
  it('training that ends with a non-finite loss exits 3 with the reason and writes no model', async () => {
    // Cells of 1.5e308 are finite, but their sum is not: the standardized column, and the loss, become NaN.
    const overflow = wineWith('overflow.csv', '1.5e308', 40);
    const out = join(WORK, 'never-written');
    const r = await benchtop([
      'train',
      '--data',
      overflow,
      '--label',
      'cultivar',
      '--epochs',
      '3',
      '--no-store',
      '--out',
      out,
    ]);
    expect(r.code, r.stdout).toBe(EXIT.failedRun);
    expect(r.stdout).toBe('');
    const e = jsonError(r.stderr);
    expect(e).toMatchObject({ kind: 'run-failed', status: 'failed' });
    expect(e.message).toMatch(/^The run failed: The loss became .*No model was written\.$/);
    expect(existsSync(out)).toBe(false);
  }, 40_000);

  it('the 1e400 cell of the probe: whatever the parser makes of it, a failed run never exits 0', async () => {
    const inf = wineWith('inf.csv', '1e400', 1);
    const r = await benchtop([
      'train',
      '--data',
      inf,
      '--label',
      'cultivar',
      '--epochs',
      '3',
      '--no-store',
      '--out',
      join(WORK, 'inf'),
    ]);
    if (r.code === 0) expect(JSON.parse(r.stdout).status).toBe('finished');
    else (expect([EXIT.input, EXIT.failedRun]).toContain(r.code), jsonError(r.stderr));
  }, 40_000);
});

describe('what nobody caught is reported, not dumped', () => {
  const preload = (name: string, code: string) => {
    const path = join(WORK, name);
    writeFileSync(path, code);
    return ['--import', `file://${path}`];
  };

  it('an exception thrown in a timer (as inside tfjs) exits 70 with {"kind":"internal"} and no stack', async () => {
    const nodeArgs = preload('throw.mjs', `setTimeout(() => { throw new TypeError('kaboom in a timer'); }, 300);\n`);
    const r = await benchtop(['train', '--help'], { nodeArgs });
    expect(r.code).toBe(EXIT.internal);
    const e = jsonError(r.stderr);
    expect(e).toMatchObject({ kind: 'internal' });
    expect(e.message).toMatch(/kaboom in a timer.*BENCHTOP_DEBUG=1/);
    expect(e.stack).toBeUndefined();
  }, 40_000);

  it('an unhandled rejection exits 70 too; BENCHTOP_DEBUG=1 adds the stack to the JSON', async () => {
    const nodeArgs = preload(
      'reject.mjs',
      `setTimeout(() => Promise.reject(new Error('rejected in a backend')), 300);\n`,
    );
    const [plain, debug] = await Promise.all([
      benchtop(['--help'], { nodeArgs }),
      benchtop(['--help'], { nodeArgs, env: { BENCHTOP_DEBUG: '1' } }),
    ]);
    expect(plain.code).toBe(EXIT.internal);
    expect(jsonError(plain.stderr)).toMatchObject({ kind: 'internal' });
    expect(debug.code).toBe(EXIT.internal);
    const e = JSON.parse(debug.stderr).error;
    expect(e.message).toMatch(/rejected in a backend/);
    expect(e.stack).toMatch(/reject\.mjs/);
  }, 40_000);

  it('thrown errors map to kinds: usage 64, file system 2 (naming the path), anything else 70', () => {
    expect(describeThrown(new UsageError('--data is required'), 'train')).toMatchObject({
      code: 64,
      error: {
        kind: 'usage',
        option: '--data',
        message: 'benchtop train: --data is required. Run "benchtop train --help" for its options.',
      },
    });
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/x/y.csv'"), {
      code: 'ENOENT',
      syscall: 'open',
      path: '/x/y.csv',
    });
    expect(describeThrown(enoent, 'predict')).toMatchObject({
      code: 2,
      error: { kind: 'io', file: '/x/y.csv', message: '/x/y.csv does not exist.' },
    });
    const bug = describeThrown(new TypeError("Cannot read properties of undefined (reading 'shape')"), 'train');
    expect(bug.code).toBe(70);
    expect(bug.error).toMatchObject({ kind: 'internal' });
    expect(bug.error.stack).toBeUndefined();
  });

  it('suggestions come from a transposition-aware edit distance, and only for likely typos', () => {
    expect(editDistance('trian', 'train')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(nearest('evalute', ['train', 'evaluate'])).toBe('evaluate');
    expect(nearest('fairness', ['train', 'tune', 'drift', 'serve'])).toBeUndefined();
  });
});
