/**
 * How the corpus feeds a case to each target and what it observed: the core (a Result, or a throw),
 * the command line as a subprocess (exit code, stderr), and `benchtop serve` over raw HTTP. The judge
 * turns an observation and an expectation into pass / crash / clear / loss.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join, relative } from 'node:path';
import type { Expectation, HttpRequestSpec, Match } from './corpus-types.ts';

export type Seen =
  | {
      kind: 'refused';
      message: string;
      detail: string;
      /** Why the refusal is not a clear one (not JSON…). */ unclear?: string;
    }
  | { kind: 'accepted'; notes: string; detail: string; table?: TableShape }
  | { kind: 'crash'; detail: string };

export interface TableShape {
  rows: number;
  columns: string[];
  labels?: string[];
}

export interface Verdict {
  pass: boolean;
  crash: boolean;
  /** A refusal whose message held every expected substring. */
  clear: boolean;
  loss: boolean;
  why: string;
}

const has = (text: string, m: Match) =>
  (Array.isArray(m) ? m : [m]).some((s) => text.toLowerCase().includes(s.toLowerCase()));
const missing = (text: string, subs: Match[]) => subs.filter((m) => !has(text, m));
const show = (m: Match[]) => m.map((x) => (Array.isArray(x) ? `one of [${x.join(' | ')}]` : `"${x}"`)).join(', ');

/** Judges one target's observation against the expectation (the store is judged apart). */
export function judge(e: Expectation, seen: Seen): Verdict {
  const allowed = new Set([e.outcome, e.alsoOk].filter(Boolean));
  const v = (pass: boolean, why: string, clear = false): Verdict => ({ pass, crash: false, clear, loss: false, why });
  if (seen.kind === 'crash')
    return { pass: false, crash: true, clear: false, loss: false, why: `crash: ${seen.detail}` };
  if (seen.kind === 'refused') {
    if (!allowed.has('refused')) return v(false, `refused, expected ${[...allowed].join(' or ')}: ${seen.message}`);
    if (seen.unclear) return v(false, `refused, but ${seen.unclear}: ${seen.message}`);
    const miss = missing(seen.message, e.substrings);
    return miss.length
      ? v(false, `refused, but the message lacks ${show(miss)}: ${seen.message}`)
      : v(true, `refused clearly: ${seen.message}`, true);
  }
  if (e.table && seen.table) {
    const t = seen.table;
    if (t.rows !== e.table.rows || t.columns.join('\u0001') !== e.table.columns.join('\u0001'))
      return v(
        false,
        `accepted, but as ${t.rows} rows × [${t.columns.join(', ')}]; expected ${e.table.rows} × [${e.table.columns.join(', ')}]`,
      );
    if (e.table.labels && t.labels?.join('\u0001') !== e.table.labels.join('\u0001'))
      return v(
        false,
        `accepted, but the labels are ${JSON.stringify(t.labels)}; expected ${JSON.stringify(e.table.labels)}`,
      );
  }
  if (allowed.has('accepted')) return v(true, 'accepted');
  if (allowed.has('accepted-with-note')) {
    const miss = missing(seen.notes, e.substrings);
    return miss.length
      ? v(false, `accepted without a note naming ${show(miss)} (notes: ${seen.notes.slice(0, 300) || 'none'})`)
      : v(true, 'accepted with a note');
  }
  return v(false, `accepted, expected a refusal naming ${show(e.substrings)} (${seen.detail.slice(0, 300)})`);
}

// ---------------------------------------------------------------------------------------------------
// Core
// ---------------------------------------------------------------------------------------------------

type AnyResult =
  | { ok: true; value: unknown; warnings: { message: string }[] }
  | { ok: false; error: { message: string }; warnings: { message: string }[] };

/** Runs a core call; a throw is a crash (bad input must come back as a Result). */
export async function core(
  call: () => AnyResult | Promise<AnyResult>,
  table?: (v: unknown) => TableShape | undefined,
): Promise<Seen> {
  try {
    const r = await call();
    if (!r || typeof r !== 'object' || !('ok' in r)) return { kind: 'crash', detail: `not a Result: ${String(r)}` };
    if (!r.ok) return { kind: 'refused', message: String(r.error?.message ?? ''), detail: JSON.stringify(r.error) };
    const notes = r.warnings.map((w) => w.message).join('\n');
    return { kind: 'accepted', notes, detail: notes, table: table?.(r.value) };
  } catch (e) {
    const err = e as Error;
    return { kind: 'crash', detail: `threw ${err?.name}: ${String(err?.message).slice(0, 300)}` };
  }
}

// ---------------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------------

export const CLI = new URL('../../bin/benchtop.mjs', import.meta.url).pathname;

/** Exit codes that mean "something unexpected happened", never an answer to bad input. */
const UNEXPECTED = new Set([1, 7, 70]);
// tfjs prints this on the cpu backend in Node; it is advice, not an error.
const TFJS_BANNER = /=+\nHi, looks like you are running TensorFlow\.js in Node\.js[^\n]*\n=+\n?/g;

let slots = 2;
const queue: (() => void)[] = [];
/** Runs `f` when one of two subprocess slots is free (the CI machine has 2 cores). */
export async function limited<T>(f: () => Promise<T>): Promise<T> {
  if (slots === 0) await new Promise<void>((r) => queue.push(r));
  else slots--;
  try {
    return await f();
  } finally {
    const next = queue.shift();
    if (next) next();
    else slots++;
  }
}

export interface CliRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** serve: the URL line appeared (the server started). */
  served?: boolean;
}

/** Runs the CLI; with `serve`, returns as soon as the server prints its URL (and stops it). */
export function runCli(args: string[], cwd: string, timeoutMs = 150_000): Promise<CliRun> {
  return limited(
    () =>
      new Promise<CliRun>((resolve) => {
        const p = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '',
          stderr = '',
          served = false,
          timedOut = false;
        const timer = setTimeout(() => ((timedOut = true), p.kill('SIGKILL')), timeoutMs);
        p.stdout.on('data', (c) => {
          stdout += c;
          if (args[0] === 'serve' && !served && /"url":"http/.test(stdout)) {
            served = true;
            p.kill('SIGTERM');
          }
        });
        p.stderr.on('data', (c) => (stderr += c));
        p.on('close', (code, signal) => {
          clearTimeout(timer);
          resolve({ code, signal, stdout, stderr, timedOut, served });
        });
      }),
  );
}

/** What a CLI run means: exit 0 (or a started server) is acceptance; else a JSON error or a crash. */
export function seenCli(r: CliRun): Seen {
  const stderr = r.stderr.replace(TFJS_BANNER, '').trim();
  const detail = `exit ${r.code ?? r.signal}; stderr: ${stderr.slice(0, 400)}`;
  if (/^\s+at /m.test(stderr))
    return { kind: 'crash', detail: `stack trace on stderr (exit ${r.code ?? r.signal}): ${stderr.slice(0, 300)}` };
  if (r.served || (r.code === 0 && !r.timedOut)) return { kind: 'accepted', notes: `${r.stdout}\n${stderr}`, detail };
  if (r.timedOut) return { kind: 'crash', detail: `did not finish within the time limit; ${detail}` };
  if (r.code === null || UNEXPECTED.has(r.code) || r.code >= 128)
    return { kind: 'crash', detail: `exit ${r.code ?? r.signal} (unexpected); stderr: ${stderr.slice(0, 300)}` };
  let parsed: { error?: unknown } | null;
  try {
    parsed = JSON.parse(stderr) as { error?: unknown };
  } catch {
    parsed = null;
  }
  if (!parsed || parsed.error === undefined)
    return { kind: 'refused', message: stderr, detail, unclear: 'stderr is not JSON {"error": …}' };
  const err = parsed.error as { message?: unknown } | string;
  const message = typeof err === 'string' ? err : String(err.message ?? JSON.stringify(err));
  return { kind: 'refused', message, detail };
}

// ---------------------------------------------------------------------------------------------------
// Store snapshots
// ---------------------------------------------------------------------------------------------------

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** Every file under `root` with its SHA-256. */
export function snapshotDir(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p), sha(readFileSync(p)));
    }
  };
  walk(root);
  return out;
}

/** Stable text of a value, with buffers as their hashes (for a MemoryStore's maps). */
function stable(v: unknown): string {
  if (v instanceof ArrayBuffer) return `#${sha(new Uint8Array(v))}`;
  if (ArrayBuffer.isView(v)) return `#${sha(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))}`;
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'undefined';
}

/** Every record of a MemoryStore-like object (its Map fields and arrays) with a hash of its content. */
export function snapshotMemory(store: object): Map<string, string> {
  const out = new Map<string, string>();
  for (const [field, value] of Object.entries(store)) {
    if (value instanceof Map) for (const [k, x] of value) out.set(`${field}/${k}`, sha(stable(x)));
    else if (Array.isArray(value)) value.forEach((x, i) => out.set(`${field}/${i}`, sha(stable(x))));
  }
  return out;
}

/**
 * Compares two snapshots by the case's store rule. `loss`: something stored was changed or removed, or
 * a refused import wrote anyway; `dropped`: an import that should have been kept beside what exists
 * added nothing (a failure, but nothing stored was lost).
 */
export function storeCheck(
  rule: NonNullable<Expectation['store']>,
  before: Map<string, string>,
  after: Map<string, string>,
): { loss: string | null; dropped: string | null } {
  const changed = [...before]
    .filter(([k, h]) => after.get(k) !== h)
    .map(([k]) => (after.has(k) ? `${k} changed` : `${k} removed`));
  if (changed.length) return { loss: `the store lost what it had: ${changed.slice(0, 5).join(', ')}`, dropped: null };
  const added = [...after.keys()].filter((k) => !before.has(k));
  if (rule === 'unchanged' && added.length)
    return { loss: `a refused import still wrote ${added.slice(0, 5).join(', ')}`, dropped: null };
  if ((rule === 'keep-both' || rule === 'added') && added.length === 0)
    return { loss: null, dropped: 'nothing was added beside what the store had' };
  return { loss: null, dropped: null };
}

// ---------------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------------

export interface HttpSeen {
  status: number;
  body: string;
  /** The connection closed without any answer. */
  closed: boolean;
  ms: number;
}

function parseResponse(raw: Buffer): { status: number; body: string } {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  if (!m || end < 0) return { status: 0, body: '' };
  const head = text.slice(0, end).toLowerCase();
  let body = raw.subarray(end + 4);
  if (/transfer-encoding:\s*chunked/.test(head)) {
    const parts: Buffer[] = [];
    let i = 0;
    for (;;) {
      const nl = body.indexOf('\r\n', i);
      if (nl < 0) break;
      const n = parseInt(body.subarray(i, nl).toString('latin1'), 16);
      if (!n) break;
      parts.push(body.subarray(nl + 2, nl + 2 + n));
      i = nl + 2 + n + 2;
    }
    body = Buffer.concat(parts);
  }
  return { status: Number(m[1]), body: body.toString('utf8') };
}

/**
 * Sends one request on a fresh connection. `feed` may keep writing after the head (big bodies); it
 * stops when the server answers or closes.
 */
export function rawHttp(
  port: number,
  head: string,
  opts: {
    body?: Buffer;
    feed?: (write: (b: Buffer | string) => boolean, stopped: () => boolean) => Promise<void>;
    timeoutMs?: number;
  } = {},
): Promise<HttpSeen> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const s = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      const raw = Buffer.concat(chunks);
      const r = parseResponse(raw);
      resolve({ ...r, closed: raw.length === 0, ms: Date.now() - t0 });
    };
    const timer = setTimeout(() => {
      done = true;
      s.destroy();
      resolve({ status: -1, body: '', closed: false, ms: Date.now() - t0 });
    }, opts.timeoutMs ?? 20_000);
    s.on('data', (c) => chunks.push(c));
    s.on('end', finish);
    s.on('close', finish);
    s.on('error', () => undefined);
    s.on('connect', () => {
      s.write(head);
      if (opts.body) s.write(opts.body);
      if (opts.feed)
        void opts
          .feed(
            (b) => (!s.destroyed && !done ? s.write(b) : false),
            () => done || s.destroyed || chunks.length > 0,
          )
          .then(() => undefined);
    });
  });
}

export function requestHead(spec: HttpRequestSpec, body: Buffer | null): string {
  const headers = { ...spec.headers };
  const lines = [`${spec.method} ${spec.path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (body) lines.push(`Content-Length: ${body.length}`);
  return lines.join('\r\n') + '\r\n\r\n';
}

export function bodyOf(spec: HttpRequestSpec): Buffer | null {
  if (spec.bodyBase64 !== undefined) return Buffer.from(spec.bodyBase64, 'base64');
  if (spec.body !== undefined) return Buffer.from(spec.body, 'utf8');
  return null;
}

/** An HTTP answer judged: 4xx with a JSON {"error"} is a refusal, 5xx or no answer a crash. */
export function seenHttp(r: HttpSeen, e: Expectation): Seen {
  const detail = `HTTP ${r.status} after ${r.ms} ms: ${r.body.slice(0, 300)}`;
  if (r.status === -1) return { kind: 'crash', detail: `no answer within the time limit` };
  if (r.status >= 500) return { kind: 'crash', detail };
  if (r.status === 0)
    return e.status?.includes(0)
      ? { kind: 'refused', message: 'connection closed', detail }
      : { kind: 'crash', detail: 'the connection closed without an answer' };
  if (r.status >= 200 && r.status < 300) return { kind: 'accepted', notes: r.body, detail };
  if (e.status && !e.status.includes(r.status))
    return { kind: 'refused', message: r.body, detail, unclear: `status ${r.status}, expected ${e.status.join('/')}` };
  let reason: string;
  try {
    const j = JSON.parse(r.body) as { error?: unknown };
    reason = typeof j.error === 'string' ? j.error : j.error ? JSON.stringify(j.error) : '';
  } catch {
    reason = '';
  }
  if (!reason)
    return { kind: 'refused', message: r.body, detail, unclear: `no JSON {"error"} reason (status ${r.status})` };
  return { kind: 'refused', message: reason, detail };
}

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
