/**
 * Runs every case of the bad-input corpus (tests/corpus/cases/index.json, written by make-corpus.ts)
 * against its targets — the core entry, the command line as a subprocess, `benchtop serve` over HTTP —
 * and asserts: no crash (no throw / no stack trace or unexpected exit code / no 5xx, server alive), a
 * clear error (expected substrings in the message), no loss (store snapshots before and after).
 * Each case is one test named `<category>/<id>`; a failing case's message says what each target did.
 * With CORPUS_SUMMARY=1 it writes tests/corpus/summary.json (per category: cases, clear errors,
 * notes, crashes, losses, failing ids) for the README's table.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { parseDelimitedBytes } from '../../src/core/data/parse-delimited.ts';
import { parseJsonRecords } from '../../src/core/data/parse-json.ts';
import { inferSchema, withRole } from '../../src/core/data/schema.ts';
import { datasetVersionId } from '../../src/core/data/dataset-hash.ts';
import type { Table } from '../../src/core/data/table.ts';
import { filesToBundle, unzipBundle } from '../../src/core/model/model-bundle.ts';
import { importOnnxModel } from '../../src/core/onnx/import-onnx.ts';
import { importBundle } from '../../src/core/store/bundle.ts';
import { MemoryStore } from '../../src/core/store/memory-store.ts';
import { registerOrtWebRunner } from '../../bin/ort-web-runner.ts';
import { FsStore } from '../../bin/fs-store.ts';
import { generatedInput } from './big-cases.ts';
import type { CorpusCase, CorpusIndex, Expectation, HttpRequestSpec, Target } from './corpus-types.ts';
import {
  bodyOf,
  core,
  CLI,
  delay,
  judge,
  rawHttp,
  requestHead,
  runCli,
  seenCli,
  seenHttp,
  snapshotDir,
  snapshotMemory,
  storeCheck,
  type Seen,
  type TableShape,
  type Verdict,
} from './runners.ts';

registerOrtWebRunner();

const HERE = new URL('.', import.meta.url).pathname;
const CASES = join(HERE, 'cases');
const BASE = join(CASES, '_base');
const index = JSON.parse(readFileSync(join(CASES, 'index.json'), 'utf8')) as CorpusIndex;
const TMP = mkdtempSync(join(tmpdir(), 'benchtop-corpus-run-'));
const WORK = join(TMP, 'cwd');
mkdirSync(WORK);
const MB = 2 ** 20;

const seedBytes = new Uint8Array(readFileSync(join(BASE, 'seed-bundle.zip')));
const SEEDED_FS = join(TMP, 'seeded-store');

/** The base dataset, for importing ONNX models against it. */
const baseTable = (() => {
  const t = parseDelimitedBytes(new Uint8Array(readFileSync(join(BASE, 'train.csv'))), 'train.csv');
  if (!t.ok) throw new Error(t.error.message);
  return t.value;
})();

function shapeOf(v: unknown): TableShape | undefined {
  const t = v as Table;
  if (!t || !Array.isArray(t.columns)) return undefined;
  const label = t.columns.find((c) => c.name === 'label');
  return {
    rows: t.rowCount,
    columns: t.columns.map((c) => c.name),
    labels: label ? [...label.dictionary].sort() : undefined,
  };
}

function readDirFiles(dir: string): Record<string, Uint8Array> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));
}

async function seededMemory(): Promise<MemoryStore> {
  const s = new MemoryStore();
  const r = await importBundle(s, seedBytes, 'seed-bundle.zip');
  if (!r.ok) throw new Error(`the seed bundle does not import: ${r.error.message}`);
  return s;
}

async function inputOf(c: CorpusCase): Promise<string> {
  if (c.generated) return generatedInput(c.generated, c.id, TMP);
  return join(CASES, c.category, c.id, c.input!);
}

const expectFor = (c: CorpusCase, t: Target): Expectation => ({ ...c.expect, ...t.expect }) as Expectation;

interface TargetResult {
  target: string;
  verdict: Verdict;
}

// ---------------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------------

async function runCore(c: CorpusCase, t: Extract<Target, { core: string }>, input: string): Promise<TargetResult> {
  const e = expectFor(c, t);
  const name = basename(input);
  let seen: Seen;
  let store: ReturnType<typeof storeCheck> | null = null;
  switch (t.core) {
    case 'parseDelimitedBytes':
      seen = await core(() => parseDelimitedBytes(new Uint8Array(readFileSync(input)), name), shapeOf);
      break;
    case 'parseJsonRecords':
      seen = await core(() => parseJsonRecords(new TextDecoder().decode(readFileSync(input)), name), shapeOf);
      break;
    case 'importOnnxModel': {
      const schema = withRole(inferSchema(baseTable, null), 'label', 'label');
      seen = await core(() =>
        importOnnxModel(
          new Uint8Array(readFileSync(input)),
          name,
          baseTable,
          { id: datasetVersionId(baseTable), name: 'train.csv' },
          schema,
          { kind: 'stratified', fractions: [0.7, 0.15, 0.15], seed: 1 },
          {
            runId: `onnx-${c.id}`,
            environment: { backend: 'wasm', backendReason: 'corpus', runtime: 'node', appVersion: 'test' },
          },
        ),
      );
      break;
    }
    case 'filesToBundle':
      seen = await core(() => filesToBundle(readDirFiles(input), name));
      break;
    case 'unzipBundle':
      seen = await core(() => unzipBundle(new Uint8Array(readFileSync(input)), name));
      break;
    case 'importBundle': {
      const mem = await seededMemory();
      const before = snapshotMemory(mem);
      seen = await core(async () => importBundle(mem, new Uint8Array(readFileSync(input)), name));
      store = e.store ? storeCheck(e.store, before, snapshotMemory(mem)) : null;
      break;
    }
  }
  return { target: `core ${t.core}`, verdict: withStore(judge(e, seen), store) };
}

function withStore(v: Verdict, s: ReturnType<typeof storeCheck> | null): Verdict {
  if (s?.loss) return { ...v, pass: false, loss: true, why: `${v.why}; LOSS: ${s.loss}` };
  if (s?.dropped) return { ...v, pass: false, why: `${v.why}; ${s.dropped}` };
  return v;
}

async function runCliTarget(
  c: CorpusCase,
  t: Extract<Target, { cli: string[] }>,
  input: string,
): Promise<TargetResult> {
  const e = expectFor(c, t);
  const out = mkdtempSync(join(TMP, 'out-'));
  const store = t.cli.some((a) => a.includes('{store}')) ? mkdtempSync(join(TMP, 'store-')) : null;
  if (store) cpSync(SEEDED_FS, store, { recursive: true });
  const args = t.cli.map((a) =>
    a
      .replaceAll('{input}', input)
      .replaceAll('{case}', join(CASES, c.category, c.id))
      .replaceAll('{base}', BASE)
      .replaceAll('{out}', out)
      .replaceAll('{store}', store ?? ''),
  );
  const before = store ? snapshotDir(store) : null;
  const r = await runCli(args, WORK, c.generated ? 120_000 : 90_000);
  const check = store && e.store ? storeCheck(e.store, before!, snapshotDir(store)) : null;
  rmSync(out, { recursive: true, force: true });
  if (store) rmSync(store, { recursive: true, force: true });
  return { target: `benchtop ${t.cli[0]}`, verdict: withStore(judge(e, seenCli(r)), check) };
}

// ---------------------------------------------------------------------------------------------------
// HTTP against `benchtop serve`
// ---------------------------------------------------------------------------------------------------

let server: { proc: ChildProcess; port: number; stderr: () => string } | null = null;

async function startServe(): Promise<void> {
  const proc = spawn(
    process.execPath,
    [CLI, 'serve', '--model', join(BASE, 'model.onnx'), '--name', 'corpus', '--port', '0'],
    { cwd: WORK, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '',
    err = '';
  proc.stderr!.on('data', (c) => (err += c));
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.on('data', (c) => {
      out += c;
      const m = /"url":"http:\/\/[^:]+:(\d+)"/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    proc.on('exit', (code) => reject(new Error(`benchtop serve exited ${code}: ${err}`)));
  });
  server = { proc, port, stderr: () => err };
}

const alive = async () =>
  server !== null &&
  server.proc.exitCode === null &&
  (
    await rawHttp(server.port, 'GET /v2/health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', {
      timeoutMs: 10_000,
    })
  ).status === 200;

const VALID_INFER = (() => {
  const body = Buffer.from(
    JSON.stringify({ inputs: [{ name: 'features', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] }] }),
  );
  return {
    head: `POST /v2/models/corpus/infer HTTP/1.1\r\nHost: x\r\nConnection: close\r\ncontent-type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    body,
  };
})();

async function sendHttpCase(c: CorpusCase): Promise<{ seen: Seen; extra?: string }> {
  const port = server!.port;
  const e = c.expect;
  const kind = c.generated?.kind;
  if (!kind) {
    const spec = JSON.parse(readFileSync(join(CASES, 'http', c.id, c.input!), 'utf8')) as HttpRequestSpec;
    const body = bodyOf(spec);
    const r = await rawHttp(port, requestHead(spec, body), {
      body: body ?? undefined,
      timeoutMs: spec.timeoutMs ?? 20_000,
    });
    return { seen: seenHttp(r, e) };
  }
  const chunk = Buffer.alloc(MB, 0x31);
  const framed = Buffer.concat([Buffer.from(`${MB.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
  if (kind === 'http-content-length-over' || kind === 'http-chunked-over') {
    const chunked = kind === 'http-chunked-over';
    const head =
      `POST /v2/models/corpus/infer HTTP/1.1\r\nHost: x\r\nConnection: close\r\ncontent-type: application/json\r\n` +
      (chunked ? 'Transfer-Encoding: chunked\r\n\r\n' : `Content-Length: ${70 * MB}\r\n\r\n`);
    const r = await rawHttp(port, head, {
      timeoutMs: 60_000,
      feed: async (write, stopped) => {
        for (let i = 0; i < 70 && !stopped(); i++) {
          // One write per chunk, size line and CRLF included. `write(size) && write(chunk) && write(CRLF)`
          // never wrote the CRLF (a 1 MiB write is over the socket's high-water mark, so it returns
          // false): the framing broke after the first chunk and the server rightly answered 400.
          const ok = write(chunked ? framed : chunk);
          await delay(ok ? 0 : 20);
        }
        if (chunked && !stopped()) write('0\r\n\r\n');
      },
    });
    return { seen: seenHttp(r, e) };
  }
  // Slowloris: a byte every 2 s, never finishing the headers. The server must close within 30 s and keep
  // answering others meanwhile.
  const slow = rawHttp(port, 'POST /v2/models/corpus/infer HTTP/1.1\r\nHost: x\r\n', {
    timeoutMs: 30_000,
    feed: async (write, stopped) => {
      while (!stopped()) {
        await delay(2000);
        if (!stopped()) write('X');
      }
    },
  });
  await delay(3000);
  const other = await rawHttp(port, VALID_INFER.head, { body: VALID_INFER.body, timeoutMs: 10_000 });
  const r = await slow;
  if (other.status !== 200)
    return { seen: { kind: 'crash', detail: `another client got HTTP ${other.status} while the slow one held on` } };
  if (r.status === -1)
    return { seen: { kind: 'accepted', notes: '', detail: 'the connection was still open after 30 s' } };
  return { seen: seenHttp(r, e) };
}

async function runHttp(c: CorpusCase): Promise<TargetResult> {
  const { seen } = await sendHttpCase(c);
  const v = judge(c.expect, seen);
  if (!(await alive()))
    return {
      target: 'http',
      verdict: { ...v, pass: false, crash: true, why: `${v.why}; the server died: ${server?.stderr().slice(-300)}` },
    };
  return { target: 'http', verdict: v };
}

// ---------------------------------------------------------------------------------------------------

interface CaseResult {
  id: string;
  category: string;
  expected: string;
  pass: boolean;
  crash: boolean;
  clear: boolean;
  loss: boolean;
  targets: { target: string; pass: boolean; why: string }[];
}
const results: CaseResult[] = [];

async function runCase(c: CorpusCase): Promise<CaseResult> {
  const input = c.category === 'http' ? '' : await inputOf(c);
  const jobs = c.targets.map((t) =>
    'core' in t ? runCore(c, t, input) : 'cli' in t ? runCliTarget(c, t, input) : runHttp(c),
  );
  const done = await Promise.all(jobs);
  const refusals = done.filter((d) => expectFor(c, c.targets[done.indexOf(d)]!).outcome === 'refused');
  const r: CaseResult = {
    id: c.id,
    category: c.category,
    expected: c.expect.outcome + (c.expect.alsoOk ? ` (or ${c.expect.alsoOk})` : ''),
    pass: done.every((d) => d.verdict.pass),
    crash: done.some((d) => d.verdict.crash),
    clear: refusals.length > 0 && refusals.every((d) => d.verdict.clear),
    loss: done.some((d) => d.verdict.loss),
    targets: done.map((d) => ({ target: d.target, pass: d.verdict.pass, why: d.verdict.why })),
  };
  results.push(r);
  return r;
}

beforeAll(async () => {
  const fs = new FsStore(SEEDED_FS);
  const r = await importBundle(fs, seedBytes, 'seed-bundle.zip');
  if (!r.ok) throw new Error(`the seed bundle does not import into a file-system store: ${r.error.message}`);
  if (index.cases.some((c) => c.category === 'http')) await startServe();
});

afterAll(async () => {
  server?.proc.kill('SIGTERM');
  const categories = [...new Set(index.cases.map((c) => c.category))];
  const table = Object.fromEntries(
    categories.map((cat) => {
      const rs = results.filter((r) => r.category === cat);
      return [
        cat,
        {
          cases: index.cases.filter((c) => c.category === cat).length,
          ran: rs.length,
          expectedRefusals: rs.filter((r) => r.expected.startsWith('refused')).length,
          clearErrors: rs.filter((r) => r.clear).length,
          crashes: rs.filter((r) => r.crash).length,
          losses: rs.filter((r) => r.loss).length,
          passing: rs.filter((r) => r.pass).length,
          failing: rs.filter((r) => !r.pass).map((r) => r.id),
        },
      ];
    }),
  );
  const sum = (k: 'cases' | 'ran' | 'clearErrors' | 'crashes' | 'losses' | 'passing') =>
    Object.values(table).reduce((s, x) => s + x[k], 0);
  const summary = {
    generatedAt: new Date().toISOString(),
    total: {
      cases: sum('cases'),
      ran: sum('ran'),
      clearErrors: sum('clearErrors'),
      crashes: sum('crashes'),
      losses: sum('losses'),
      passing: sum('passing'),
    },
    byCategory: table,
    failing: results
      .filter((r) => !r.pass)
      .sort((a, b) => `${a.category}/${a.id}`.localeCompare(`${b.category}/${b.id}`))
      .map((r) => ({ case: `${r.category}/${r.id}`, expected: r.expected, targets: r.targets.filter((t) => !t.pass) })),
  };
  if (process.env.CORPUS_SUMMARY) writeFileSync(join(HERE, 'summary.json'), JSON.stringify(summary, null, 1) + '\n');
  rmSync(TMP, { recursive: true, force: true });
}, 60_000);

describe('the bad-input corpus', () => {
  it('has at least 120 cases over all six categories, each with a target and a committed or generated input', ({
    expect,
  }) => {
    expect(index.cases.length).toBeGreaterThanOrEqual(120);
    expect(new Set(index.cases.map((c) => c.category))).toEqual(
      new Set(['csv', 'json', 'onnx', 'model-folder', 'bundle', 'http']),
    );
    for (const c of index.cases) {
      expect(c.targets.length, `${c.category}/${c.id}`).toBeGreaterThan(0);
      expect(Boolean(c.input) !== Boolean(c.generated), `${c.category}/${c.id}`).toBe(true);
    }
  });

  for (const c of index.cases)
    it.concurrent(
      `${c.category}/${c.id} — ${c.wrong}`,
      async ({ expect }) => {
        const r = await runCase(c);
        const report = r.targets.map((t) => `${t.pass ? 'ok  ' : 'FAIL'} ${t.target}: ${t.why}`).join('\n');
        expect(r.pass, `${c.category}/${c.id} (expected ${r.expected}):\n${report}`).toBe(true);
      },
      600_000,
    );
});
