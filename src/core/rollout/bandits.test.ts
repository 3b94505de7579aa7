import { describe, expect, it } from 'vitest';
import { createRandom } from '../util/random.ts';
import { EpsilonGreedy, runBandit, sampleBeta, sampleGamma, Thompson, Ucb1 } from './bandits.ts';

const MEANS = [0.1, 0.2, 0.5];
const bernoulli = (seed: number) => {
  const rng = createRandom(seed);
  return (arm: number) => Number(rng.next() < MEANS[arm]!);
};

describe('samplers', () => {
  it('Gamma and Beta draws have the right mean and variance', () => {
    const rng = createRandom(3);
    for (const [a, b] of [
      [0.5, 2],
      [2, 5],
      [30, 10],
    ] as const) {
      const xs = Array.from({ length: 40000 }, () => sampleBeta(a, b, rng));
      const m = xs.reduce((s, x) => s + x, 0) / xs.length,
        v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length;
      expect(m).toBeCloseTo(a / (a + b), 2);
      expect(v).toBeCloseTo((a * b) / ((a + b) ** 2 * (a + b + 1)), 2);
    }
    const g = Array.from({ length: 40000 }, () => sampleGamma(0.3, rng));
    expect(g.reduce((s, x) => s + x, 0) / g.length).toBeCloseTo(0.3, 1);
  });
});

describe('bandits route traffic to the best version', () => {
  it('UCB1 tries every arm first, then concentrates; regret grows far slower than uniform routing', () => {
    const b = new Ucb1(3);
    const tr = runBandit(b, 5000, bernoulli(1), MEANS);
    expect(Array.from(tr.arms.subarray(0, 3)).sort()).toEqual([0, 1, 2]);
    const uniformRegret = 5000 * (0.5 - (0.1 + 0.2 + 0.5) / 3);
    expect(tr.regret[4999]).toBeLessThan(uniformRegret * 0.15);
    expect(b.pulls[2]! / 5000).toBeGreaterThan(0.85);
  });
  it('Thompson sampling has the lowest regret of the three here; ε-greedy keeps exploring ε of the time', () => {
    const th = runBandit(new Thompson(3, createRandom(2)), 5000, bernoulli(1), MEANS);
    const eg = new EpsilonGreedy(3, 0.1, createRandom(2));
    const e = runBandit(eg, 5000, bernoulli(1), MEANS);
    const u = runBandit(new Ucb1(3), 5000, bernoulli(1), MEANS);
    expect(th.regret[4999]).toBeLessThan(u.regret[4999]!);
    // ε-greedy's share of the best arm is near 1 − ε + ε/k once it has found it.
    const late = Array.from(e.arms.subarray(1000)).filter((a) => a === 2).length / 4000;
    expect(late).toBeGreaterThan(0.9);
    expect(late).toBeLessThan(0.96);
    expect(th.reward[4999]).toBeGreaterThan(0.45 * 5000);
  });
});
