import { normalPpf, normalSf } from './normal.ts';

export interface TwoProportionTest {
  /** Conversion rates of A and B, and B − A with a 95% (unpooled Wald) interval. */
  rateA: number;
  rateB: number;
  diff: number;
  ci: [number, number];
  /** Pooled two-proportion z statistic and its two-sided p-value. */
  z: number;
  p: number;
}

/** The two-proportion z-test (pooled standard error), as in statsmodels' proportions_ztest. */
export function twoProportionTest(successA: number, nA: number, successB: number, nB: number): TwoProportionTest {
  const a = successA / nA,
    b = successB / nB;
  const pool = (successA + successB) / (nA + nB);
  const se = Math.sqrt(pool * (1 - pool) * (1 / nA + 1 / nB));
  const z = se > 0 ? (b - a) / se : 0;
  const seU = Math.sqrt((a * (1 - a)) / nA + (b * (1 - b)) / nB);
  const h = normalPpf(0.975) * seU;
  return { rateA: a, rateB: b, diff: b - a, ci: [b - a - h, b - a + h], z, p: se > 0 ? 2 * normalSf(Math.abs(z)) : 1 };
}

/** Samples per arm to detect rates p1 → p2 with a two-sided test at `alpha` with `power`. */
export function samplesPerArm(p1: number, p2: number, alpha = 0.05, power = 0.8): number {
  if (p1 === p2) return Infinity;
  const pbar = (p1 + p2) / 2;
  const n =
    (normalPpf(1 - alpha / 2) * Math.sqrt(2 * pbar * (1 - pbar)) +
      normalPpf(power) * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) **
      2 /
    (p2 - p1) ** 2;
  return Math.ceil(n);
}

/**
 * Always-valid p-values for B − A over a paired Bernoulli stream (mixture SPRT with a N(0, τ²) prior
 * on the difference; Johari, Pekelis & Walsh 2017): p_n = min(p_{n−1}, 1/Λ_n). Peeking after every
 * pair keeps the false-positive rate at α when one stops the first time p_n ≤ α.
 */
export class AlwaysValidP {
  private n = 0;
  private sa = 0;
  private sb = 0;
  p = 1;
  constructor(private readonly tau2 = 0.01) {}

  push(a: number, b: number): number {
    this.n++;
    this.sa += a;
    this.sb += b;
    const n = this.n,
      p1 = this.sa / n,
      p2 = this.sb / n;
    const V = p1 * (1 - p1) + p2 * (1 - p2);
    if (V <= 0) return this.p;
    const t = this.tau2,
      theta = p2 - p1;
    const logLambda = 0.5 * Math.log(V / (V + n * t)) + (n * n * t * theta * theta) / (2 * V * (V + n * t));
    this.p = Math.min(this.p, Math.exp(-logLambda));
    return this.p;
  }
}
