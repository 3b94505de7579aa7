import { normalSf } from './normal.ts';

export interface MeanDifference {
  /** mean(a) − mean(b) */
  diff: number;
  /**
   * (mean(a) − mean(b)) / √((var(a) + var(b)) / 2): Cohen's d with the average variance (Slice
   * Finder's effect size).
   */
  effectSize: number;
  z: number;
  /**
   * One-sided p-value that mean(a) > mean(b), by Welch's statistic with the normal approximation
   * (n ≥ 20 per side).
   */
  pValue: number;
}

/** Compares the mean of a per-row loss inside a slice (a) with outside it (b). O(n). */
export function meanDifference(a: ArrayLike<number>, b: ArrayLike<number>): MeanDifference {
  const stats = (x: ArrayLike<number>) => {
    let m = 0;
    for (let i = 0; i < x.length; i++) m += x[i]!;
    m /= x.length;
    let v = 0;
    for (let i = 0; i < x.length; i++) v += (x[i]! - m) ** 2;
    return { m, v: x.length > 1 ? v / (x.length - 1) : 0, n: x.length };
  };
  const A = stats(a),
    B = stats(b);
  const diff = A.m - B.m;
  const se = Math.sqrt(A.v / A.n + B.v / B.n);
  const pooled = Math.sqrt((A.v + B.v) / 2);
  const z = se > 0 ? diff / se : diff > 0 ? Infinity : diff < 0 ? -Infinity : 0;
  return { diff, effectSize: pooled > 0 ? diff / pooled : diff > 0 ? Infinity : 0, z, pValue: normalSf(z) };
}
