import { describe, expect, it } from 'vitest';
import { abVersusBandit } from './ab-vs-bandit.ts';
import { feedbackLoop } from './feedback-loop.ts';

describe('lesson simulations', () => {
  it('A/B versus Thompson sampling on one stream: both find B; the bandit loses fewer conversions', () => {
    const r = abVersusBandit({ rateA: 0.1, rateB: 0.15, requests: 6000, alpha: 0.05, seed: 3 });
    expect(r.ab.winner).toBe('B');
    expect(r.bandit.winner).toBe('B');
    expect(r.bandit.regret.at(-1)!).toBeLessThan(r.ab.regret.at(-1)!);
    // Same seed, same numbers.
    expect(abVersusBandit({ rateA: 0.1, rateB: 0.15, requests: 6000, alpha: 0.05, seed: 3 }).ab.decidedAt).toBe(
      r.ab.decidedAt,
    );
  });
  it('the feedback loop collapses the catalogue; exploration keeps it open', () => {
    const o = { items: 200, groups: 4, usersPerGroup: 50, slots: 5, rounds: 20, epsilon: 0.2, seed: 1 };
    const naive = feedbackLoop('naive', o),
      explore = feedbackLoop('explore', o),
      positional = feedbackLoop('positional', o);
    expect(positional.rounds).toHaveLength(20);
    expect(naive.rounds.at(-1)!.aggregateDiversity).toBeLessThan(naive.rounds[0]!.aggregateDiversity / 3);
    expect(explore.rounds.at(-1)!.aggregateDiversity).toBeGreaterThan(2 * naive.rounds.at(-1)!.aggregateDiversity);
    expect(explore.coverage).toBeGreaterThan(naive.coverage * 3);
    // The loop locks in whatever got lucky clicks in round 1: exploration also finds better items.
    expect(explore.rounds.at(-1)!.ctr).toBeGreaterThan(naive.rounds.at(-1)!.ctr);
  });
});

import { asyncSgd, shardGradient, softmaxLossGrad, syncSgd, type GradientWorker } from './data-parallel.ts';
import { shippedTable } from '../../../tests/unit/fixtures.ts';
import { columnByName } from '../data/table.ts';

describe('data-parallel SGD (softmax regression on digits)', () => {
  const t = shippedTable('digits-8x8.csv');
  const n = t.rowCount,
    d = 64,
    k = 10;
  const X = new Float32Array(n * d),
    y = new Int32Array(n);
  t.columns.slice(0, 64).forEach((c, j) => {
    for (let i = 0; i < n; i++) X[i * d + j] = Number(c.dictionary[c.codes[i]!]) / 16;
  });
  const lab = columnByName(t, t.columns[64]!.name)!;
  for (let i = 0; i < n; i++) y[i] = Number(lab.dictionary[lab.codes[i]!]);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const evalLoss = (W: Float32Array) => softmaxLossGrad(X, y, d, k, W, all).loss;
  it('the gradient matches finite differences', () => {
    const W = Float32Array.from({ length: (d + 1) * k }, (_, i) => Math.sin(i) * 0.01);
    const idx = all.subarray(0, 50);
    const { grad } = softmaxLossGrad(X, y, d, k, W, idx);
    for (const j of [3, 100, 640, 645]) {
      const h = 1e-3,
        Wp = Float32Array.from(W),
        Wm = Float32Array.from(W);
      Wp[j]! += h;
      Wm[j]! -= h;
      const num = (softmaxLossGrad(X, y, d, k, Wp, idx).loss - softmaxLossGrad(X, y, d, k, Wm, idx).loss) / (2 * h);
      expect(grad[j]!).toBeCloseTo(num, 3);
    }
  });
  it('sync and async both learn; async applies stale gradients, sync none', async () => {
    const shards = 4;
    const workers: GradientWorker[] = Array.from({ length: shards }, (_, s) => {
      const rows = Array.from(all).filter((i) => i % shards === s);
      const f = shardGradient(
        Float32Array.from(rows.flatMap((i) => Array.from(X.subarray(i * d, (i + 1) * d)))),
        Int32Array.from(rows, (i) => y[i]!),
        d,
        k,
      );
      // Worker s takes s ms longer: a straggler for sync, staleness for async.
      return { grad: async (W, b, seed) => (await new Promise((r) => setTimeout(r, s)), f(W, b, seed)) };
    });
    const o = { d, k, evalLoss, batch: 64, lr: 0.5, budget: 200, seed: 1, evalEvery: 5 };
    const s = await syncSgd(workers, o),
      a = await asyncSgd(workers, o);
    expect(s.loss.at(-1)!).toBeLessThan(s.loss[0]! * 0.5);
    expect(a.loss.at(-1)!).toBeLessThan(a.loss[0]! * 0.6);
    expect(Math.max(...s.staleness)).toBe(0);
    expect(Math.max(...a.staleness)).toBeGreaterThan(0);
    expect(s.gradients.at(-1)).toBe(200);
    expect(a.gradients.at(-1)).toBe(200);
  });
});
