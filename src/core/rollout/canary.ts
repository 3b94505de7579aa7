import type { Random } from '../util/random.ts';
import { latencySummary } from '../serving/remote-predict.ts';
import { twoProportionTest } from '../stats/ab-test.ts';
import { normalCdf } from '../stats/normal.ts';

export interface CanaryRule {
  /** Roll back when the candidate's error rate, p95 latency or accuracy drop exceeds these. */
  maxErrorRate: number;
  maxP95Ms: number;
  maxAccuracyDrop: number;
  /**
   * The accuracy rule fires only when the drop is also significant: a one-sided two-proportion test
   * (candidate below stable) at this level. Without it a 1% step with a few hundred requests rolls
   * back on noise. Default 0.05.
   */
  alpha?: number;
}

export interface CanaryEvent {
  request: number;
  kind: 'advance' | 'rollback' | 'complete';
  share: number;
  reason: string;
}

interface Tally {
  n: number;
  errors: number;
  correct: number;
  labelled: number;
  latencies: number[];
}

const empty = (): Tally => ({ n: 0, errors: 0, correct: 0, labelled: 0, latencies: [] });

/**
 * A canary rollout: the candidate gets `steps[i]` of the traffic; after `perStep` candidate requests
 * at a step, the rule is checked against the stable version over the same step — pass: next step;
 * fail: all traffic back to stable, with the reason. Every request is answered by one side.
 */
export class Canary {
  step = 0;
  state: 'running' | 'rolled-back' | 'complete' = 'running';
  readonly events: CanaryEvent[] = [];
  private requests = 0;
  private cand = empty();
  private stable = empty();

  constructor(
    readonly steps: readonly number[],
    readonly perStep: number,
    readonly rule: CanaryRule,
    private readonly rng: Random,
  ) {}

  get share(): number {
    return this.state === 'running' ? this.steps[this.step]! : this.state === 'complete' ? 1 : 0;
  }

  route(): 'candidate' | 'stable' {
    return this.rng.next() < this.share ? 'candidate' : 'stable';
  }

  /** Records one answered request; `correct` when a label is known. */
  record(side: 'candidate' | 'stable', r: { error: boolean; latencyMs: number; correct?: boolean }): void {
    this.requests++;
    const t = side === 'candidate' ? this.cand : this.stable;
    t.n++;
    if (r.error) t.errors++;
    t.latencies.push(r.latencyMs);
    if (r.correct !== undefined) (t.labelled++, (t.correct += Number(r.correct)));
    if (this.state === 'running' && side === 'candidate' && this.cand.n >= this.perStep) this.check();
  }

  private check(): void {
    const c = this.cand,
      s = this.stable;
    const errRate = c.errors / c.n,
      p95 = latencySummary(c.latencies).p95;
    const accC = c.labelled ? c.correct / c.labelled : NaN,
      accS = s.labelled ? s.correct / s.labelled : NaN;
    const share = this.share;
    let reason = '';
    if (errRate > this.rule.maxErrorRate)
      reason = `error rate ${(errRate * 100).toFixed(1)}% > ${(this.rule.maxErrorRate * 100).toFixed(1)}%`;
    else if (p95 > this.rule.maxP95Ms) reason = `p95 latency ${p95.toFixed(1)} ms > ${this.rule.maxP95Ms} ms`;
    else if (Number.isFinite(accC) && Number.isFinite(accS) && accS - accC > this.rule.maxAccuracyDrop) {
      const t = twoProportionTest(s.correct, s.labelled, c.correct, c.labelled);
      const p = normalCdf(t.z); // one-sided: candidate worse than stable
      if (p < (this.rule.alpha ?? 0.05))
        reason =
          `accuracy ${accC.toFixed(3)} is ${(accS - accC).toFixed(3)} below ` +
          `stable's ${accS.toFixed(3)} (one-sided p = ${p.toPrecision(2)})`;
    }
    if (reason) {
      this.state = 'rolled-back';
      this.events.push({ request: this.requests, kind: 'rollback', share, reason });
      return;
    }
    const summary =
      `${c.n} candidate requests: errors ${(errRate * 100).toFixed(1)}%, p95 ${p95.toFixed(1)} ` +
      `ms${Number.isFinite(accC) ? `, accuracy ${accC.toFixed(3)}` : ''}`;
    if (this.step === this.steps.length - 1) {
      this.state = 'complete';
      this.events.push({ request: this.requests, kind: 'complete', share, reason: summary });
    } else {
      this.step++;
      this.events.push({ request: this.requests, kind: 'advance', share: this.share, reason: summary });
    }
    this.cand = empty();
    this.stable = empty();
  }
}

export interface Answer<T> {
  value: T;
  source: 'primary' | 'backup';
  /** Why the backup answered: the primary's timeout or error. */
  reason?: string;
  ms: number;
}

/**
 * Smooth failing: the primary gets `timeoutMs`; on timeout or error the backup answers (and is
 * cancelled-safe: the primary's late answer is ignored). Every request gets an answer unless the
 * backup fails too.
 */
export async function withFallback<T>(
  primary: (signal: AbortSignal) => Promise<T>,
  backup: () => Promise<T>,
  timeoutMs: number,
): Promise<Answer<T>> {
  const t0 = performance.now();
  const ctl = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(() => (ctl.abort(), reject(new Error(`no answer within ${timeoutMs} ms`))), timeoutMs)),
  );
  try {
    const value = await Promise.race([primary(ctl.signal), timeout]);
    return { value, source: 'primary', ms: performance.now() - t0 };
  } catch (e) {
    ctl.abort();
    const value = await backup();
    return { value, source: 'backup', reason: (e as Error).message, ms: performance.now() - t0 };
  } finally {
    clearTimeout(timer);
  }
}
