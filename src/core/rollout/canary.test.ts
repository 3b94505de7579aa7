import { describe, expect, it } from 'vitest';
import { createRandom } from '../util/random.ts';
import { Canary, withFallback } from './canary.ts';

const RULE = { maxErrorRate: 0.05, maxP95Ms: 100, maxAccuracyDrop: 0.03 };

function replay(c: Canary, candidate: { errorRate: number; latency: number; accuracy: number }, n: number, seed = 5) {
  const rng = createRandom(seed);
  let answered = 0;
  for (let i = 0; i < n; i++) {
    const side = c.route();
    const q = side === 'candidate' ? candidate : { errorRate: 0.01, latency: 20, accuracy: 0.9 };
    c.record(side, {
      error: rng.next() < q.errorRate,
      latencyMs: q.latency * (0.5 + rng.next()),
      correct: rng.next() < q.accuracy,
    });
    answered++;
  }
  return answered;
}

describe('canary rollout', () => {
  it('a healthy candidate walks 1% → 5% → 25% → 100%', () => {
    const c = new Canary([0.01, 0.05, 0.25, 1], 200, RULE, createRandom(1));
    expect(replay(c, { errorRate: 0.01, latency: 25, accuracy: 0.9 }, 60000)).toBe(60000);
    expect(c.state).toBe('complete');
    expect(c.events.map((e) => e.kind)).toEqual(['advance', 'advance', 'advance', 'complete']);
    expect(c.events.map((e) => e.share)).toEqual([0.05, 0.25, 1, 1]);
  });
  it('rolls back with the reason: errors, latency, or accuracy', () => {
    for (const [bad, why] of [
      [{ errorRate: 0.2, latency: 25, accuracy: 0.9 }, /error rate/],
      [{ errorRate: 0.01, latency: 300, accuracy: 0.9 }, /p95 latency/],
      [{ errorRate: 0.01, latency: 25, accuracy: 0.7 }, /accuracy .* below stable/],
    ] as const) {
      const c = new Canary([0.01, 0.05, 0.25, 1], 200, RULE, createRandom(2));
      replay(c, bad, 60000);
      expect(c.state).toBe('rolled-back');
      expect(c.events.at(-1)!.reason).toMatch(why);
      expect(c.share).toBe(0);
    }
  });
});

describe('canary accuracy rule', () => {
  it('does not roll back on a drop that is noise, and does on a real one', () => {
    // 20 labelled candidate requests: 16/20 = 0.80 against stable's 0.85 — a 0.05 drop, p ≈ 0.3.
    const noisy = new Canary([0.5, 1], 20, { ...RULE, alpha: 0.05 }, createRandom(3));
    for (let i = 0; i < 200; i++) noisy.record('stable', { error: false, latencyMs: 1, correct: i % 20 < 17 });
    for (let i = 0; i < 20; i++) noisy.record('candidate', { error: false, latencyMs: 1, correct: i < 16 });
    expect(noisy.events[0]!.kind).toBe('advance');
    // The same drop at 2,000 requests each is significant.
    const real = new Canary([0.5, 1], 2000, { ...RULE, alpha: 0.05 }, createRandom(3));
    for (let i = 0; i < 2000; i++) real.record('stable', { error: false, latencyMs: 1, correct: i % 20 < 17 });
    for (let i = 0; i < 2000; i++) real.record('candidate', { error: false, latencyMs: 1, correct: i % 5 < 4 });
    expect(real.state).toBe('rolled-back');
    expect(real.events[0]!.reason).toMatch(/one-sided p = /);
  });
});

describe('smooth failing', () => {
  const later =
    <T>(ms: number, v: T, fail = false) =>
    (signal?: AbortSignal) =>
      new Promise<T>((resolve, reject) => {
        const t = setTimeout(() => (fail ? reject(new Error('primary crashed')) : resolve(v)), ms);
        signal?.addEventListener('abort', () => clearTimeout(t));
      });
  it('answers from the primary in time, else from the backup, saying why', async () => {
    expect(await withFallback(later(5, 'p'), later(1, 'b'), 200)).toMatchObject({ value: 'p', source: 'primary' });
    expect(await withFallback(later(500, 'p'), later(1, 'b'), 30)).toMatchObject({
      value: 'b',
      source: 'backup',
      reason: 'no answer within 30 ms',
    });
    expect(await withFallback(later(5, 'p', true), later(1, 'b'), 200)).toMatchObject({
      value: 'b',
      source: 'backup',
      reason: 'primary crashed',
    });
  });
});
