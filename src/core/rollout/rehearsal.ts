import { createRandom } from '../util/random.ts';
import { latencySummary } from '../serving/remote-predict.ts';
import { AlwaysValidP, samplesPerArm, twoProportionTest } from '../stats/ab-test.ts';
import { EpsilonGreedy, Thompson, Ucb1, runBandit, type Bandit } from './bandits.ts';
import { Canary, withFallback, type CanaryRule } from './canary.ts';
import { creditClicks, interleavingPreference, teamDraft } from './interleaving.ts';

/**
 * Production-test rehearsals over a replayed labelled stream. Two versions — champion and challenger,
 * each local (a model in the worker), remote (a model server) or a heuristic — answer requests one row
 * at a time, as they would in production, so latency, errors and timeouts are real. Request t replays
 * stream row t mod n (the stream is in time order where the data has time).
 */
export interface Responder {
  /** Shown in logs and plots: "local: run name", "cloud: model at URL", "heuristic: majority class". */
  name: string;
  kind: 'local' | 'remote' | 'heuristic';
  /** Outputs for stream rows (probabilities n × k for classification, values for regression). */
  predict(rows: Int32Array, signal: AbortSignal): Promise<Float64Array>;
}

export interface ReplayStream {
  /** Stream length (rows of the replayed split in order) and each row's label (class index or value). */
  n: number;
  y: Int32Array | Float32Array;
  task: 'classification' | 'regression';
  classes: string[];
}

export type RehearsalKind = 'shadow' | 'ab' | 'canary' | 'interleaving' | 'bandit' | 'fallback';

export interface RehearsalConfig {
  kind: RehearsalKind;
  /** Requests to replay (the stream repeats when it is shorter). */
  requests: number;
  seed: number;
  /** A/B: challenger's share of traffic; significance level (also for the always-valid p). */
  split?: number;
  alpha?: number;
  /** A/B: the smallest difference in accuracy worth detecting, for "samples needed". */
  minimumEffect?: number;
  canary?: { steps: number[]; perStep: number; rule: CanaryRule };
  bandit?: { epsilon: number };
  /** Interleaving: the length of the merged list shown to the simulated user. */
  listLength?: number;
  /** Smooth failing: the champion's (primary's) time budget per request. */
  timeoutMs?: number;
  /**
   * Every call to either side (every kind; in smooth failing the backup's) is abandoned after this many
   * milliseconds and counted as a timeout — a stalled server costs at most this per call. Unset: no
   * limit beyond the side's own (a remote side's HTTP timeout).
   */
  callTimeoutMs?: number;
  /**
   * Requests in flight at once (default 1: one after another). Results are folded in request order, so
   * the figures do not depend on it except through latency; a canary routes a window of this many
   * requests at its current share before it records them.
   */
  concurrency?: number;
  /** Regression: predictions within this of the label count as correct. */
  tolerance?: number;
}

export interface Series {
  name: string;
  y: number[];
}
export interface Trace {
  title: string;
  xTitle: string;
  yTitle: string;
  x: number[];
  series: Series[];
  /** Horizontal reference lines (thresholds, α). */
  lines?: { y: number; name: string }[];
}

export interface LogEntry {
  request: number;
  row: number;
  label: string;
  text: string;
}

export interface RehearsalResult {
  kind: RehearsalKind;
  config: RehearsalConfig;
  champion: string;
  challenger: string;
  requests: number;
  wallMs: number;
  /** Headline figures, in display order. */
  summary: { name: string; value: number | string }[];
  traces: Trace[];
  /** Events worth reading: canary steps and rollbacks, fallbacks, the A/B decision, shadow disagreements. */
  log: LogEntry[];
}

export interface RehearsalHooks {
  signal: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

const MAX_POINTS = 400;
const MAX_LOG = 300;

/** Keeps at most MAX_POINTS evenly spaced points of a per-request curve (always the last one). */
function thin(n: number): number[] {
  const step = Math.max(1, Math.ceil(n / MAX_POINTS));
  const xs: number[] = [];
  for (let i = step - 1; i < n; i += step) xs.push(i);
  if (xs.at(-1) !== n - 1 && n > 0) xs.push(n - 1);
  return xs;
}
const pick = (a: ArrayLike<number>, xs: number[]) => xs.map((i) => a[i]!);

function argmax(p: Float64Array, k: number, i = 0): number {
  let b = 0;
  for (let j = 1; j < k; j++) if (p[i * k + j]! > p[i * k + b]!) b = j;
  return b;
}

class Ctx {
  readonly k: number;
  /** Calls in flight: cancelling aborts them all (one listener on the rehearsal's signal, not one per call). */
  private readonly live = new Set<AbortController>();
  constructor(
    readonly s: ReplayStream,
    readonly c: RehearsalConfig,
    readonly h: RehearsalHooks,
  ) {
    this.k = s.task === 'classification' ? s.classes.length : 1;
    h.signal.addEventListener('abort', () => this.live.forEach((x) => x.abort()), { once: true });
  }
  row(t: number) {
    return t % this.s.n;
  }
  label(r: number) {
    return this.s.task === 'classification'
      ? (this.s.classes[this.s.y[r]!] ?? String(this.s.y[r]))
      : String(this.s.y[r]);
  }
  /** A prediction's display text and whether it is right. */
  judge(out: Float64Array, r: number): { text: string; correct: boolean } {
    if (this.s.task === 'classification') {
      const a = argmax(out, this.k);
      return { text: this.s.classes[a] ?? String(a), correct: a === this.s.y[r] };
    }
    return { text: out[0]!.toPrecision(4), correct: Math.abs(out[0]! - this.s.y[r]!) <= (this.c.tolerance ?? 0.5) };
  }
  get concurrency(): number {
    return Math.max(1, Math.floor(this.c.concurrency ?? 1));
  }
  /**
   * `side` predicting `rows` within `limitMs` (none when undefined): the side gets a signal that aborts
   * at the limit or on cancel; a side that ignores it is raced, so the call still ends at the limit.
   * @throws CallTimeout at the limit; the side's own error otherwise.
   */
  async timed(side: Responder, rows: Int32Array, limitMs = this.c.callTimeoutMs, signal?: AbortSignal) {
    const ctl = new AbortController();
    const stop = () => ctl.abort();
    if (this.h.signal.aborted || signal?.aborted) ctl.abort();
    this.live.add(ctl);
    signal?.addEventListener('abort', stop, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const p = side.predict(rows, ctl.signal);
      if (limitMs === undefined || !Number.isFinite(limitMs)) return await p;
      return await Promise.race([
        p,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => (ctl.abort(), reject(new CallTimeout(limitMs))), limitMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      this.live.delete(ctl);
      signal?.removeEventListener('abort', stop);
    }
  }
  /** One request to one side: its output (or error, and whether it was a timeout) and milliseconds. */
  async call(
    side: Responder,
    r: number,
  ): Promise<{ out?: Float64Array; error?: string; timedOut?: boolean; ms: number }> {
    const t0 = performance.now();
    try {
      const out = await this.timed(side, Int32Array.of(r));
      return { out, ms: performance.now() - t0 };
    } catch (e) {
      if (this.h.signal.aborted) throw e;
      const error = (e as Error).message;
      return { error, timedOut: isTimeout(e), ms: performance.now() - t0 };
    }
  }
  progress(t: number) {
    if (this.h.signal.aborted) throw new Error('Cancelled.');
    if ((t + 1) % 25 === 0 || t + 1 === this.c.requests) this.h.onProgress?.(t + 1, this.c.requests);
  }
  /**
   * fn(0), …, fn(n − 1) with at most `concurrency` in flight; results in request order. Progress is
   * reported as requests complete; cancelling stops issuing new ones.
   */
  async inOrder<R>(n: number, fn: (t: number) => Promise<R>): Promise<R[]> {
    const out = new Array<R>(n);
    let next = 0,
      done = 0;
    const worker = async () => {
      while (next < n) {
        if (this.h.signal.aborted) throw new Error('Cancelled.');
        const t = next++;
        out[t] = await fn(t);
        done++;
        if (done % 25 === 0 || done === n) this.h.onProgress?.(done, this.c.requests);
      }
    };
    await Promise.all(Array.from({ length: Math.min(n, this.concurrency) }, worker));
    if (this.h.signal.aborted) throw new Error('Cancelled.');
    return out;
  }
}

/** A call abandoned at the rehearsal's per-call time limit. */
export class CallTimeout extends Error {
  constructor(readonly limitMs: number) {
    super(`no answer within ${limitMs} ms`);
  }
}

/** Whether an error is a timeout: ours, withFallback's, or a serving client's ("did not answer within", "stalled"). */
function isTimeout(e: unknown): boolean {
  return (
    e instanceof CallTimeout ||
    (e as { kind?: string })?.kind === 'timeout' ||
    /no answer within|did not answer within|stalled/.test((e as Error)?.message ?? '')
  );
}

const pctText = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—');

/** Runs one rehearsal. Cancelling (the signal) stops it between requests with an error. */
export async function rehearse(
  kind: RehearsalKind,
  champion: Responder,
  challenger: Responder,
  stream: ReplayStream,
  config: RehearsalConfig,
  hooks: RehearsalHooks,
): Promise<RehearsalResult> {
  if (stream.n === 0) throw new Error('The replayed stream has no rows.');
  const needsClasses = kind === 'ab' || kind === 'bandit' || kind === 'interleaving';
  if (needsClasses && stream.task !== 'classification' && kind === 'interleaving')
    throw new Error(
      'Interleaving needs ranked outputs: it runs on classification models, whose classes each side ranks.',
    );
  const c = new Ctx(stream, { ...config, kind }, hooks);
  const t0 = performance.now();
  const run = { shadow, ab, canary, interleaving, bandit, fallback }[kind];
  const body = await run(c, champion, challenger);
  return {
    kind,
    config: c.c,
    champion: champion.name,
    challenger: challenger.name,
    requests: config.requests,
    wallMs: performance.now() - t0,
    ...body,
  };
}

type Body = Pick<RehearsalResult, 'summary' | 'traces' | 'log'>;

/** Shadow: both see every request (the challenger's answer is logged, never served). */
async function shadow(c: Ctx, A: Responder, B: Responder): Promise<Body> {
  const N = c.c.requests;
  const agree = new Float64Array(N),
    accA = new Float64Array(N),
    accB = new Float64Array(N);
  const msA: number[] = [],
    msB: number[] = [];
  let nAgree = 0,
    okA = 0,
    okB = 0,
    errA = 0,
    errB = 0,
    slowA = 0,
    slowB = 0,
    both = 0;
  const log: LogEntry[] = [];
  const calls = await c.inOrder(N, (t) => Promise.all([c.call(A, c.row(t)), c.call(B, c.row(t))]));
  for (let t = 0; t < N; t++) {
    const r = c.row(t);
    const [a, b] = calls[t]!;
    if (a.timedOut) slowA++;
    if (b.timedOut) slowB++;
    msA.push(a.ms);
    msB.push(b.ms);
    const ja = a.out ? c.judge(a.out, r) : null,
      jb = b.out ? c.judge(b.out, r) : null;
    if (!ja) errA++;
    if (!jb) errB++;
    if (ja?.correct) okA++;
    if (jb?.correct) okB++;
    if (ja && jb) {
      both++;
      if (ja.text === jb.text) nAgree++;
      else if (log.length < MAX_LOG)
        log.push({
          request: t,
          row: r,
          label: c.label(r),
          text: `champion ${ja.text}${ja.correct ? ' ✓' : ''} · challenger ${jb.text}${jb.correct ? ' ✓' : ''}`,
        });
    } else if (log.length < MAX_LOG)
      log.push({
        request: t,
        row: r,
        label: c.label(r),
        text:
          `${a.error ? `champion failed: ${a.error}` : ''}${a.error && b.error ? ' · ' : ''}` +
          `${b.error ? `challenger failed: ${b.error}` : ''}`,
      });
    agree[t] = both ? nAgree / both : NaN;
    accA[t] = okA / (t + 1);
    accB[t] = okB / (t + 1);
  }
  const la = latencySummary(msA),
    lb = latencySummary(msB);
  const xs = thin(N);
  return {
    summary: [
      { name: 'Requests answered (by the champion)', value: N - errA },
      { name: 'Agreement (both answered)', value: pctText(nAgree / Math.max(1, both)) },
      { name: 'Champion accuracy', value: okA / N },
      { name: 'Challenger accuracy (shadow)', value: okB / N },
      { name: 'Champion errors', value: errA },
      { name: 'Challenger errors', value: errB },
      { name: 'Champion timeouts (of its errors)', value: slowA },
      { name: 'Challenger timeouts (of its errors)', value: slowB },
      { name: 'Champion p50 / p95 ms', value: `${la.p50.toFixed(2)} / ${la.p95.toFixed(2)}` },
      { name: 'Challenger p50 / p95 ms', value: `${lb.p50.toFixed(2)} / ${lb.p95.toFixed(2)}` },
    ],
    traces: [
      {
        title: 'Shadow: running accuracy and agreement',
        xTitle: 'request',
        yTitle: 'share',
        x: xs,
        series: [
          { name: 'champion accuracy', y: pick(accA, xs) },
          { name: 'challenger accuracy', y: pick(accB, xs) },
          { name: 'agreement', y: pick(agree, xs) },
        ],
      },
      {
        title: 'Shadow: latency per request',
        xTitle: 'request',
        yTitle: 'ms',
        x: xs,
        series: [
          { name: 'champion', y: pick(msA, xs) },
          { name: 'challenger', y: pick(msB, xs) },
        ],
      },
    ],
    log,
  };
}

/**
 * A/B: each request goes to the challenger with probability `split`; success = a correct answer.
 * The fixed-horizon two-proportion test at the end, the always-valid p-value after every pair of
 * outcomes (safe to peek), and the fixed-horizon p recomputed at every request — the one that is NOT
 * safe to peek at, shown for contrast.
 */
async function ab(c: Ctx, A: Responder, B: Responder): Promise<Body> {
  const N = c.c.requests,
    split = c.c.split ?? 0.5,
    alpha = c.c.alpha ?? 0.05;
  const rng = createRandom(c.c.seed);
  const avp = new AlwaysValidP();
  const qa: number[] = [],
    qb: number[] = [];
  let nA = 0,
    nB = 0,
    sA = 0,
    sB = 0,
    errA = 0,
    errB = 0;
  const pAlways = new Float64Array(N),
    pNaive = new Float64Array(N),
    rateA = new Float64Array(N),
    rateB = new Float64Array(N);
  let decidedAt = -1,
    naiveFirst = -1;
  const log: LogEntry[] = [];
  let timeouts = 0;
  // Routing does not depend on answers: draw it first, then send the requests (concurrently).
  const routes = Array.from({ length: N }, () => rng.next() < split);
  const calls = await c.inOrder(N, (t) => c.call(routes[t] ? B : A, c.row(t)));
  for (let t = 0; t < N; t++) {
    const r = c.row(t);
    const toB = routes[t]!;
    const res = calls[t]!;
    const ok = res.out ? Number(c.judge(res.out, r).correct) : 0;
    if (res.timedOut) timeouts++;
    if (!res.out) {
      toB ? errB++ : errA++;
      if (log.length < MAX_LOG)
        log.push({
          request: t,
          row: r,
          label: c.label(r),
          text: `${toB ? 'challenger' : 'champion'} failed (counted as a miss): ${res.error}`,
        });
    }
    if (toB) (nB++, (sB += ok), qb.push(ok));
    else (nA++, (sA += ok), qa.push(ok));
    while (qa.length && qb.length) avp.push(qa.shift()!, qb.shift()!);
    pAlways[t] = avp.p;
    pNaive[t] = nA && nB ? twoProportionTest(sA, nA, sB, nB).p : 1;
    rateA[t] = nA ? sA / nA : NaN;
    rateB[t] = nB ? sB / nB : NaN;
    if (decidedAt < 0 && avp.p <= alpha) {
      decidedAt = t;
      log.unshift({
        request: t,
        row: r,
        label: c.label(r),
        text:
          `Always-valid p = ${avp.p.toPrecision(3)} ≤ ${alpha}: a decision after ${t + 1} requests ` +
          `(${nA} champion, ${nB} challenger).`,
      });
    }
    if (naiveFirst < 0 && t >= 20 && pNaive[t]! <= alpha) naiveFirst = t;
  }
  const test = twoProportionTest(sA, Math.max(1, nA), sB, Math.max(1, nB));
  const mde = c.c.minimumEffect ?? 0.02;
  const base = nA ? sA / nA : 0.5;
  const needed = samplesPerArm(base, Math.min(1, Math.max(0, base + (test.diff < 0 ? -mde : mde))), alpha);
  const xs = thin(N);
  return {
    summary: [
      { name: 'Champion requests', value: nA },
      { name: 'Champion accuracy', value: sA / Math.max(1, nA) },
      { name: 'Challenger requests', value: nB },
      { name: 'Challenger accuracy', value: sB / Math.max(1, nB) },
      {
        name: 'Difference (challenger − champion), 95% CI',
        value:
          `${(test.diff * 100).toFixed(2)} pts ` +
          `[${(test.ci[0] * 100).toFixed(2)}, ${(test.ci[1] * 100).toFixed(2)}]`,
      },
      { name: 'Two-proportion z / p (at the end)', value: `${test.z.toFixed(3)} / ${test.p.toPrecision(3)}` },
      { name: 'Always-valid p (at the end)', value: avp.p },
      { name: 'Decision (always-valid p ≤ α) at request', value: decidedAt >= 0 ? decidedAt + 1 : 'not reached' },
      {
        name: 'First time a peeked fixed-horizon p ≤ α (unsafe)',
        value: naiveFirst >= 0 ? naiveFirst + 1 : 'never',
      },
      {
        name: `Samples per arm needed to detect ±${(mde * 100).toFixed(1)} pts (α ${alpha}, power 0.8)`,
        value: Number.isFinite(needed) ? needed : '∞',
      },
      { name: 'Errors (champion / challenger)', value: `${errA} / ${errB}` },
      { name: 'Timeouts (of the errors)', value: timeouts },
    ],
    traces: [
      {
        title: 'A/B: p-values as the test runs',
        xTitle: 'request',
        yTitle: 'p',
        x: xs,
        series: [
          { name: 'always-valid p (safe to peek)', y: pick(pAlways, xs) },
          { name: 'fixed-horizon p, peeked (unsafe)', y: pick(pNaive, xs) },
        ],
        lines: [{ y: alpha, name: `α = ${alpha}` }],
      },
      {
        title: 'A/B: accuracy of each arm',
        xTitle: 'request',
        yTitle: 'accuracy',
        x: xs,
        series: [
          { name: 'champion', y: pick(rateA, xs) },
          { name: 'challenger', y: pick(rateB, xs) },
        ],
      },
    ],
    log,
  };
}

/**
 * Canary: the challenger gets a growing share; the rule rolls it back on errors, p95 or a significant accuracy drop.
 */
async function canary(c: Ctx, A: Responder, B: Responder): Promise<Body> {
  const N = c.c.requests,
    cfg = c.c.canary ?? {
      steps: [0.01, 0.05, 0.25, 1],
      perStep: 50,
      rule: { maxErrorRate: 0.05, maxP95Ms: 500, maxAccuracyDrop: 0.03 },
    };
  const ctl = new Canary(cfg.steps, cfg.perStep, cfg.rule, createRandom(c.c.seed));
  const share = new Float64Array(N),
    errRate = new Float64Array(N);
  let errors = 0,
    correct = 0,
    seen = 0,
    timeouts = 0;
  const log: LogEntry[] = [];
  const record = (t: number, side: 'candidate' | 'stable', res: Awaited<ReturnType<Ctx['call']>>) => {
    const r = c.row(t);
    if (res.timedOut) timeouts++;
    const j = res.out ? c.judge(res.out, r) : null;
    if (!j) errors++;
    if (j?.correct) correct++;
    const before = ctl.events.length;
    ctl.record(side, { error: !j, latencyMs: res.ms, correct: j ? j.correct : false });
    for (const e of ctl.events.slice(before))
      log.push({
        request: t,
        row: r,
        label: c.label(r),
        text: `${
          e.kind === 'advance'
            ? `advanced to ${(e.share * 100).toFixed(0)}%`
            : e.kind === 'complete'
              ? 'rollout complete (100%)'
              : `ROLLED BACK at ${(e.share * 100).toFixed(0)}%`
        }: ${e.reason}`,
      });
    seen++;
    share[t] = ctl.share;
    errRate[t] = errors / seen;
    c.progress(t);
  };
  // A window of `concurrency` requests is routed at the current share, sent at once, then recorded in order.
  for (let t0 = 0; t0 < N; t0 += c.concurrency) {
    const batch = Array.from({ length: Math.min(c.concurrency, N - t0) }, (_, i) => t0 + i);
    const sides = batch.map(() => ctl.route());
    const results = await Promise.all(batch.map((t, i) => c.call(sides[i] === 'candidate' ? B : A, c.row(t))));
    for (const [i, t] of batch.entries()) record(t, sides[i]!, results[i]!);
  }
  const xs = thin(N);
  return {
    summary: [
      {
        name: 'Outcome',
        value:
          ctl.state === 'rolled-back'
            ? `rolled back at step ${ctl.step + 1} of ${cfg.steps.length}`
            : ctl.state === 'complete'
              ? 'complete: the challenger serves all traffic'
              : `still at ${(ctl.share * 100).toFixed(0)}% when the replay ended`,
      },
      { name: 'Rollback reason', value: ctl.events.find((e) => e.kind === 'rollback')?.reason ?? '—' },
      { name: 'Steps', value: cfg.steps.map((s) => `${s * 100}%`).join(' → ') },
      { name: 'Errors seen by users', value: errors },
      { name: 'Timeouts (of the errors)', value: timeouts },
      { name: 'Accuracy of served answers', value: correct / N },
    ],
    traces: [
      {
        title: 'Canary: challenger traffic share and error rate',
        xTitle: 'request',
        yTitle: 'share',
        x: xs,
        series: [
          { name: 'challenger share', y: pick(share, xs) },
          { name: 'cumulative error rate', y: pick(errRate, xs) },
        ],
        lines: [{ y: cfg.rule.maxErrorRate, name: 'error-rate limit' }],
      },
    ],
    log,
  };
}

/** A side's ranking of the classes (most probable first). */
function ranking(out: Float64Array, k: number): number[] {
  return Array.from({ length: k }, (_, j) => j).sort((a, b) => out[b]! - out[a]! || a - b);
}

/**
 * Interleaving: each side ranks the classes; the team-draft merge is "shown"; the simulated user
 * clicks the true class when it is in the list. Credit goes to the team that placed it.
 */
async function interleaving(c: Ctx, A: Responder, B: Responder): Promise<Body> {
  const N = c.c.requests,
    k = c.k,
    L = Math.max(1, Math.min(k, c.c.listLength ?? 3));
  const rng = createRandom(c.c.seed);
  const outcomes: ('A' | 'B' | 'tie')[] = [];
  const prefer = new Float64Array(N),
    pv = new Float64Array(N);
  const log: LogEntry[] = [];
  let errors = 0,
    timeouts = 0;
  const calls = await c.inOrder(N, (t) => Promise.all([c.call(A, c.row(t)), c.call(B, c.row(t))]));
  for (let t = 0; t < N; t++) {
    const r = c.row(t);
    const [a, b] = calls[t]!;
    if (a.timedOut || b.timedOut) timeouts++;
    if (!a.out || !b.out) {
      errors++;
      outcomes.push('tie');
      if (log.length < MAX_LOG)
        log.push({
          request: t,
          row: r,
          label: c.label(r),
          text: `not interleaved (a side failed): ${a.error ?? b.error}`,
        });
    } else {
      const merged = teamDraft(ranking(a.out, k), ranking(b.out, k), L, rng);
      const pos = merged.items.indexOf(c.s.y[r]!);
      outcomes.push(creditClicks(merged.team, pos >= 0 ? [pos] : []));
    }
    if ((t + 1) % 10 === 0 || t === N - 1) {
      const pref = interleavingPreference(outcomes);
      prefer[t] = pref.preferB;
      pv[t] = pref.p;
    } else ((prefer[t] = prefer[t - 1] ?? 0.5), (pv[t] = pv[t - 1] ?? 1));
  }
  const pref = interleavingPreference(outcomes);
  const xs = thin(N);
  return {
    summary: [
      {
        name: 'Queries won by the champion / challenger / tied',
        value: `${pref.winsA} / ${pref.winsB} / ${pref.ties}`,
      },
      { name: 'Share of decided queries the challenger won', value: pref.preferB },
      { name: 'Sign test p (two-sided)', value: pref.p },
      {
        name: 'Preference',
        value:
          pref.p <= (c.c.alpha ?? 0.05)
            ? pref.preferB > 0.5
              ? 'challenger preferred'
              : 'champion preferred'
            : 'no significant preference',
      },
      { name: 'List length shown', value: L },
      { name: 'Requests where a side failed', value: errors },
      { name: '… of which a side timed out', value: timeouts },
    ],
    traces: [
      {
        title: 'Interleaving: challenger preference and sign-test p',
        xTitle: 'request',
        yTitle: 'share / p',
        x: xs,
        series: [
          { name: 'challenger share of wins', y: pick(prefer, xs) },
          { name: 'sign-test p', y: pick(pv, xs) },
        ],
        lines: [{ y: 0.5, name: 'no preference' }],
      },
    ],
    log,
  };
}

/**
 * Bandits: both versions answer the replayed stream once (in batches), so the reward of either arm
 * is known for every request; ε-greedy, UCB1, Thompson sampling and a fixed 50/50 split then route
 * the same requests, each from the same seed. Regret is against always routing to the better version.
 */
async function bandit(c: Ctx, A: Responder, B: Responder): Promise<Body> {
  const N = c.c.requests,
    n = c.s.n;
  const correct: Uint8Array[] = [];
  // Rows of a batch that failed or timed out count as wrong answers (reward 0), per side.
  const failedRows = [0, 0];
  const failures: LogEntry[] = [];
  for (const side of [A, B]) {
    const ok = new Uint8Array(n);
    for (let lo = 0; lo < n; lo += 256) {
      if (c.h.signal.aborted) throw new Error('Cancelled.');
      const rows = Int32Array.from({ length: Math.min(256, n - lo) }, (_, i) => lo + i);
      try {
        const out = await c.timed(side, rows);
        const w = out.length / rows.length;
        rows.forEach((r, i) => (ok[r] = Number(c.judge(out.subarray(i * w, (i + 1) * w), r).correct)));
      } catch (e) {
        if (c.h.signal.aborted) throw e;
        failedRows[side === A ? 0 : 1]! += rows.length;
        if (failures.length < MAX_LOG)
          failures.push({
            request: lo,
            row: lo,
            label: '',
            text:
              `${side === A ? 'champion' : 'challenger'} failed on rows ${lo + 1}–${lo + rows.length} ` +
              `(counted as wrong): ${(e as Error).message}`,
          });
      }
      c.h.onProgress?.(Math.round(((side === A ? 0 : n) + lo + rows.length) / 2), N);
    }
    correct.push(ok);
  }
  // True means over the replayed requests (row t mod n).
  const means = correct.map((ok) => {
    let s = 0;
    for (let t = 0; t < N; t++) s += ok[c.row(t)]!;
    return s / N;
  });
  const reward = (arm: number, t: number) => correct[arm]![c.row(t)]!;
  const eps = c.c.bandit?.epsilon ?? 0.1;
  const policies: Bandit[] = [
    new EpsilonGreedy(2, eps, createRandom(c.c.seed)),
    new Ucb1(2),
    new Thompson(2, createRandom(c.c.seed + 1)),
  ];
  const split = { name: '50/50 split (A/B)', rng: createRandom(c.c.seed + 2) };
  const traces = policies.map((p) => ({ name: p.name, trace: runBandit(p, N, reward, means), pulls: p.pulls }));
  const fixed = (() => {
    const b: Bandit = {
      name: split.name,
      pulls: [0, 0],
      means: [0, 0],
      choose: () => (split.rng.next() < 0.5 ? 0 : 1),
      update(a) {
        (this.pulls as number[])[a]!++;
      },
    };
    return { name: split.name, trace: runBandit(b, N, reward, means), pulls: b.pulls };
  })();
  const all = [...traces, fixed];
  c.h.onProgress?.(N, N);
  const xs = thin(N);
  const best = means[1]! > means[0]! ? 1 : 0;
  return {
    summary: [
      { name: 'Champion / challenger accuracy on the stream', value: `${pctText(means[0]!)} / ${pctText(means[1]!)}` },
      { name: 'Better version', value: means[0] === means[1] ? 'tie' : best ? 'challenger' : 'champion' },
      ...all.map((p) => ({
        name: `${p.name}: regret / share to the better version`,
        value: `${p.trace.regret[N - 1]!.toFixed(1)} / ${pctText(p.pulls[best]! / N)}`,
      })),
      { name: 'Stream rows a side failed on (champion / challenger)', value: `${failedRows[0]} / ${failedRows[1]}` },
    ],
    traces: [
      {
        title: 'Bandits: cumulative regret',
        xTitle: 'request',
        yTitle: 'expected regret (lost correct answers)',
        x: xs,
        series: all.map((p) => ({ name: p.name, y: pick(p.trace.regret, xs) })),
      },
      {
        title: 'Bandits: cumulative reward',
        xTitle: 'request',
        yTitle: 'correct answers',
        x: xs,
        series: all.map((p) => ({ name: p.name, y: pick(p.trace.reward, xs) })),
      },
    ],
    log: failures,
  };
}

/**
 * Smooth failing: the champion answers within `timeoutMs`, else (timeout or error) the challenger — the
 * backup — does. Every request gets an answer; each fallback is listed with its reason.
 */
async function fallback(c: Ctx, A: Responder, B: Responder): Promise<Body> {
  const N = c.c.requests,
    timeoutMs = c.c.timeoutMs ?? 200;
  const fb = new Float64Array(N),
    ms: number[] = [];
  let fallbacks = 0,
    timeouts = 0,
    correct = 0,
    unanswered = 0;
  const log: LogEntry[] = [];
  // The backup gets the per-call limit (a stalled backup must not hang the request either).
  const answers = await c.inOrder(N, async (t) => {
    const rows = Int32Array.of(c.row(t));
    try {
      return await withFallback(
        (signal) => c.timed(A, rows, undefined, signal),
        () => c.timed(B, rows),
        timeoutMs,
      );
    } catch (e) {
      if (c.h.signal.aborted) throw e;
      return e as Error;
    }
  });
  for (let t = 0; t < N; t++) {
    const r = c.row(t);
    const ans = answers[t]!;
    if (ans instanceof Error) {
      unanswered++;
      if (log.length < MAX_LOG)
        log.push({
          request: t,
          row: r,
          label: c.label(r),
          text: `no answer: the backup failed too (${ans.message})`,
        });
    } else {
      ms.push(ans.ms);
      if (c.judge(ans.value, r).correct) correct++;
      if (ans.source === 'backup') {
        fallbacks++;
        if (isTimeout({ message: ans.reason })) timeouts++;
        if (log.length < MAX_LOG)
          log.push({
            request: t,
            row: r,
            label: c.label(r),
            text: `backup answered after ${ans.ms.toFixed(0)} ms: ${ans.reason}`,
          });
      }
    }
    fb[t] = fallbacks;
  }
  const l = latencySummary(ms);
  const xs = thin(N);
  return {
    summary: [
      { name: 'Requests answered', value: `${N - unanswered} of ${N}` },
      { name: 'Fallbacks (backup answered)', value: fallbacks },
      { name: '… of which timeouts', value: timeouts },
      { name: '… of which primary errors', value: fallbacks - timeouts },
      { name: 'Backup failed too (unanswered)', value: unanswered },
      { name: 'Accuracy of the answers', value: correct / N },
      {
        name: 'Answer latency p50 / p95 / p99 ms',
        value: `${l.p50.toFixed(1)} / ${l.p95.toFixed(1)} / ${l.p99.toFixed(1)}`,
      },
      { name: 'Primary time budget ms', value: timeoutMs },
    ],
    traces: [
      {
        title: 'Smooth failing: fallbacks so far',
        xTitle: 'request',
        yTitle: 'fallbacks',
        x: xs,
        series: [{ name: 'fallbacks', y: pick(fb, xs) }],
      },
      {
        title: 'Smooth failing: answer latency',
        xTitle: 'request',
        yTitle: 'ms',
        x: xs,
        series: [{ name: 'answer latency', y: pick(ms, xs) }],
        lines: [{ y: timeoutMs, name: 'time budget' }],
      },
    ],
    log,
  };
}

/** The heuristic backup: always the most frequent training class (or the mean value). */
export function constantResponder(name: string, output: Float64Array): Responder {
  return {
    name,
    kind: 'heuristic',
    predict: async (rows) => {
      const out = new Float64Array(rows.length * output.length);
      for (let i = 0; i < rows.length; i++) out.set(output, i * output.length);
      return out;
    },
  };
}
