// `benchtop rehearse` against real `benchtop serve` processes on loopback, one per fault flag (--stall-rate,
// --error-rate, --malformed-rate, --latency): every kind honours --timeout-ms, runs --concurrency calls at
// once and finishes in bounded time; timeouts, errors and fallbacks are counted exactly. The server's faults
// are seeded (one draw per inference call, in arrival order), so the expected counts are computed here
// from the same random source.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../src/core/util/random.ts';
import { runBenchtop } from './run-cli.ts';
const CLI = new URL('./benchtop.mjs', import.meta.url).pathname;

const DATA = new URL('../public/datasets/wine.csv', import.meta.url).pathname;
const WORK = mkdtempSync(join(tmpdir(), 'benchtop-faults-'));
const MODEL = join(WORK, 'wine');

const benchtop = (args: string[]) => runBenchtop(args, { cwd: WORK, timeout: 45_000 });

const servers: ChildProcess[] = [];
/** Starts `benchtop serve --model MODEL --port 0 <flags>`; resolves with its URL once it prints it. */
function serve(flags: string[]): Promise<string> {
  const child = spawn(process.execPath, [CLI, 'serve', '--model', MODEL, '--port', '0', ...flags], { cwd: WORK });
  servers.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve ${flags.join(' ')} did not start`)), 30_000);
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
  });
}

/** How many of a server's first `calls` inference calls each fault hits (its seeded draws, in order). */
function faultsOf(calls: number, f: { stall?: number; malformed?: number; error?: number; seed: number }) {
  const rng = createRandom(f.seed);
  const n = { stall: 0, malformed: 0, error: 0 };
  const [s, m, e] = [f.stall ?? 0, f.malformed ?? 0, f.error ?? 0];
  for (let i = 0; i < calls; i++) {
    const r = rng.next();
    if (r < s) n.stall++;
    else if (r < s + m) n.malformed++;
    else if (r < s + m + e) n.error++;
  }
  return n;
}

type Out = { ms: number; summary: Record<string, number | string>; log: string[] };
async function rehearse(args: string[]): Promise<Out> {
  const r = await benchtop(['rehearse', '--model', MODEL, '--data', DATA, ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Out;
}

const url: Record<string, string> = {};
beforeAll(async () => {
  const t = await benchtop([
    'train',
    '--data',
    DATA,
    '--label',
    'cultivar',
    '--model',
    'logistic',
    '--epochs',
    '5',
    '--no-store',
    '--out',
    MODEL,
  ]);
  expect(t.code, t.stderr).toBe(0);
  const started = await Promise.all([
    serve(['--stall-rate', '0.2', '--seed', '3']),
    serve(['--error-rate', '0.25', '--malformed-rate', '0.1', '--seed', '5']),
    serve(['--stall-rate', '0.15', '--error-rate', '0.1', '--seed', '7']),
    serve(['--latency', '400']),
    serve(['--error-rate', '0.5', '--stall-rate', '0.1', '--seed', '9']),
  ]);
  [url.stall, url.errors, url.mixed, url.slow, url.bad] = started;
}, 60_000);

afterAll(() => {
  for (const s of servers) s.kill('SIGTERM');
});

describe('rehearse against a faulty server honours --timeout-ms and --concurrency', () => {
  it('shadow: every stalled challenger call is a counted timeout, and the stalls overlap', async () => {
    const timeout = 300;
    const r = await rehearse([
      '--kind',
      'shadow',
      '--challenger',
      url.stall!,
      '--requests',
      '120',
      '--timeout-ms',
      String(timeout),
      '--concurrency',
      '8',
    ]);
    const { stall } = faultsOf(120, { stall: 0.2, seed: 3 });
    expect(stall).toBeGreaterThan(10);
    expect(r.summary['Challenger timeouts (of its errors)']).toBe(stall);
    expect(r.summary['Challenger errors']).toBe(stall);
    expect(r.summary['Champion errors']).toBe(0);
    // One after another the stalls alone would take stall × timeout; concurrently far less.
    expect(r.ms).toBeLessThan(stall * timeout * 0.6);
    expect(r.log[0]).toMatch(/challenger failed: no answer within 300 ms/);
  }, 50_000);

  it('shadow against --latency beyond the timeout: every call times out, in bounded time', async () => {
    const r = await rehearse([
      '--kind',
      'shadow',
      '--challenger',
      url.slow!,
      '--requests',
      '40',
      '--timeout-ms',
      '150',
      '--concurrency',
      '10',
    ]);
    expect(r.summary['Challenger timeouts (of its errors)']).toBe(40);
    expect(r.ms).toBeLessThan(40 * 150); // ≈ 4 rounds of 150 ms, far under one-by-one
  }, 50_000);

  it('fallback with a faulty champion server: errors and malformed answers fall back to the backup', async () => {
    const r = await rehearse([
      '--kind',
      'fallback',
      '--champion-url',
      url.errors!,
      '--challenger',
      'heuristic',
      '--requests',
      '100',
      '--timeout-ms',
      '500',
    ]);
    const f = faultsOf(100, { error: 0.25, malformed: 0.1, seed: 5 });
    expect(f.error + f.malformed).toBeGreaterThan(20);
    expect(r.summary['Fallbacks (backup answered)']).toBe(f.error + f.malformed);
    expect(r.summary['… of which timeouts']).toBe(0);
    expect(r.summary['… of which primary errors']).toBe(f.error + f.malformed);
    expect(r.summary['Requests answered']).toBe('100 of 100');
  }, 50_000);

  it('fallback: stalls fall back as timeouts, errors as errors; every request answered', async () => {
    const r = await rehearse([
      '--kind',
      'fallback',
      '--champion-url',
      url.mixed!,
      '--challenger',
      'heuristic',
      '--requests',
      '100',
      '--timeout-ms',
      '250',
    ]);
    const f = faultsOf(100, { stall: 0.15, error: 0.1, seed: 7 });
    expect(f.stall).toBeGreaterThan(5);
    expect(r.summary['Fallbacks (backup answered)']).toBe(f.stall + f.error);
    expect(r.summary['… of which timeouts']).toBe(f.stall);
    expect(r.summary['Requests answered']).toBe('100 of 100');
    expect(r.ms).toBeLessThan(f.stall * 250);
  }, 50_000);

  it('canary, A/B and interleaving against a failing server finish with the failures counted', async () => {
    const common = ['--challenger', url.bad!, '--timeout-ms', '200', '--concurrency', '8'];
    const [canary, ab, inter] = await Promise.all([
      rehearse(['--kind', 'canary', '--steps', '20,50,100', '--per-step', '10', '--requests', '150', ...common]),
      rehearse(['--kind', 'ab', '--requests', '150', ...common]),
      rehearse(['--kind', 'interleaving', '--requests', '100', ...common]),
    ]);
    expect(canary.summary['Outcome']).toMatch(/rolled back/);
    expect(canary.summary['Rollback reason']).toMatch(/error rate/);
    expect(canary.summary['Errors seen by users']).toBeGreaterThan(0);
    const [, errB] = String(ab.summary['Errors (champion / challenger)']).split(' / ').map(Number);
    expect(errB).toBeGreaterThan(10);
    expect(ab.summary['Timeouts (of the errors)']).toBeGreaterThan(0);
    expect(ab.summary['Timeouts (of the errors)']).toBeLessThan(errB!);
    expect(inter.summary['Requests where a side failed']).toBeGreaterThan(20);
    expect(inter.summary['… of which a side timed out']).toBeGreaterThan(0);
  }, 55_000);

  it('bandit: a batch that times out counts its rows as failed instead of hanging', async () => {
    const r = await rehearse([
      '--kind',
      'bandit',
      '--challenger',
      url.slow!,
      '--requests',
      '200',
      '--timeout-ms',
      '150',
    ]);
    expect(r.summary['Stream rows a side failed on (champion / challenger)']).toMatch(/^0 \/ [1-9]\d*$/);
    expect(r.ms).toBeLessThan(5000);
  }, 50_000);
});
