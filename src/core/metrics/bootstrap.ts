import { createRandom } from '../util/random.ts';
import type { Interval } from '../contracts/evaluation.ts';
export type { Interval } from '../contracts/evaluation.ts';

/**
 * Percentile bootstrap confidence interval (Efron & Tibshirani 1993): resample the n rows with
 * replacement `resamples` times (seeded), recompute the statistic on each, and take the
 * (1 − level)/2 and (1 + level)/2 quantiles. `stat` receives the row indices of one resample.
 * Cost: resamples × the statistic.
 * @example bootstrapInterval(n, (idx) => accuracyOf(idx), { seed: 1 })
 */
export function bootstrapInterval(
  n: number,
  stat: (rows: Uint32Array) => number,
  opts: { resamples?: number; level?: number; seed?: number } = {},
): Interval {
  const B = opts.resamples ?? 1000,
    level = opts.level ?? 0.95;
  const rng = createRandom(opts.seed ?? 1);
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  const estimate = stat(all);
  if (n === 0) return { estimate: NaN, lo: NaN, hi: NaN, level };
  const values: number[] = [];
  const idx = new Uint32Array(n);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    const v = stat(idx);
    if (Number.isFinite(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  const q = (p: number) => {
    if (!values.length) return NaN;
    const pos = p * (values.length - 1);
    const lo = Math.floor(pos),
      hi = Math.ceil(pos);
    return values[lo]! + (values[hi]! - values[lo]!) * (pos - lo);
  };
  return { estimate, lo: q((1 - level) / 2), hi: q((1 + level) / 2), level };
}
