import { chi2Sf } from './special.ts';

/**
 * Per-feature descriptive statistics and distances between a reference and a current sample.
 * Definitions follow numpy/scipy so the fixtures can check them: quantiles by linear interpolation
 * (`np.quantile`), variance with ddof = 1, skewness and excess kurtosis biased (`scipy.stats.skew`,
 * `kurtosis`), Jensen–Shannon distance in base 2 (`scipy.spatial.distance.jensenshannon`),
 * Wasserstein-1 as `scipy.stats.wasserstein_distance`, chi-square as `chi2_contingency(correction=False)`.
 */
export interface NumericSummary {
  n: number;
  missingRate: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  variance: number;
  q05: number;
  q25: number;
  q75: number;
  q95: number;
  skewness: number;
  kurtosis: number;
}

/** Quantile of sorted values, numpy's default (linear) method. */
export function quantileSorted(s: Float64Array, q: number): number {
  if (!s.length) return NaN;
  const pos = q * (s.length - 1),
    lo = Math.floor(pos),
    hi = Math.min(s.length - 1, lo + 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** Summary of the finite values; `missing` counts the rows without one. */
export function numericSummary(values: Float64Array, missing = 0): NumericSummary {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  let sum = 0;
  for (const v of s) sum += v;
  const mean = n ? sum / n : NaN;
  let m2 = 0,
    m3 = 0,
    m4 = 0;
  for (const v of s) {
    const d = v - mean,
      d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const pm2 = m2 / n,
    pm3 = m3 / n,
    pm4 = m4 / n;
  return {
    n,
    missingRate: n + missing ? missing / (n + missing) : 0,
    min: n ? s[0]! : NaN,
    max: n ? s[n - 1]! : NaN,
    mean,
    median: quantileSorted(s, 0.5),
    variance: n > 1 ? m2 / (n - 1) : NaN,
    q05: quantileSorted(s, 0.05),
    q25: quantileSorted(s, 0.25),
    q75: quantileSorted(s, 0.75),
    q95: quantileSorted(s, 0.95),
    skewness: pm2 > 0 ? pm3 / pm2 ** 1.5 : NaN,
    kurtosis: pm2 > 0 ? pm4 / (pm2 * pm2) - 3 : NaN,
  };
}

/** Inner bin edges: the reference's quantiles at 1/B … (B−1)/B, without repeats. */
export function quantileEdges(reference: Float64Array, bins = 10): number[] {
  const s = Float64Array.from(reference).sort();
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const e = quantileSorted(s, k / bins);
    if (!edges.length || e > edges.at(-1)!) edges.push(e);
  }
  return edges;
}

/** Counts per bin: bin = number of edges ≤ value (`np.searchsorted(edges, v, 'right')`). */
export function binCounts(values: Float64Array, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) {
    let lo = 0,
      hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    counts[lo]!++;
  }
  return counts;
}

const EPS = 1e-4;

/** Population stability index Σ (c − r)·ln(c/r) over bin shares, each share floored at 1e-4. */
export function psi(refCounts: readonly number[], curCounts: readonly number[]): number {
  const nr = refCounts.reduce((a, b) => a + b, 0),
    nc = curCounts.reduce((a, b) => a + b, 0);
  let s = 0;
  for (let i = 0; i < refCounts.length; i++) {
    const r = Math.max(refCounts[i]! / nr, EPS),
      c = Math.max(curCounts[i]! / nc, EPS);
    s += (c - r) * Math.log(c / r);
  }
  return s;
}

/** Jensen–Shannon distance (base 2, in [0, 1]) between two count vectors. */
export function jensenShannon(refCounts: readonly number[], curCounts: readonly number[]): number {
  const nr = refCounts.reduce((a, b) => a + b, 0),
    nc = curCounts.reduce((a, b) => a + b, 0);
  let js = 0;
  for (let i = 0; i < refCounts.length; i++) {
    const p = refCounts[i]! / nr,
      q = curCounts[i]! / nc,
      m = (p + q) / 2;
    if (p > 0) js += 0.5 * p * Math.log2(p / m);
    if (q > 0) js += 0.5 * q * Math.log2(q / m);
  }
  return Math.sqrt(Math.max(0, js));
}

/** Wasserstein-1 distance between two samples: ∫|F − G| over the merged values. */
export function wasserstein(x: Float64Array, y: Float64Array): number {
  const a = Float64Array.from(x).sort(),
    b = Float64Array.from(y).sort();
  const all = new Float64Array(a.length + b.length);
  all.set(a);
  all.set(b, a.length);
  all.sort();
  let i = 0,
    j = 0,
    w = 0;
  for (let k = 0; k < all.length - 1; k++) {
    const v = all[k]!;
    while (i < a.length && a[i]! <= v) i++;
    while (j < b.length && b[j]! <= v) j++;
    w += Math.abs(i / a.length - j / b.length) * (all[k + 1]! - v);
  }
  return w;
}

/** Population standard deviation (ddof = 0). */
export function stdDev(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v;
  const m = s / x.length;
  let ss = 0;
  for (const v of x) ss += (v - m) ** 2;
  return Math.sqrt(ss / x.length);
}

export interface ChiSquare {
  statistic: number;
  dof: number;
  pValue: number;
}

/** Chi-square test of homogeneity on a 2 × k table (reference counts, current counts); empty columns dropped. */
export function chiSquareHomogeneity(refCounts: readonly number[], curCounts: readonly number[]): ChiSquare {
  const cols: [number, number][] = [];
  for (let i = 0; i < refCounts.length; i++)
    if (refCounts[i]! + curCounts[i]! > 0) cols.push([refCounts[i]!, curCounts[i]!]);
  const nr = cols.reduce((a, c) => a + c[0], 0),
    nc = cols.reduce((a, c) => a + c[1], 0),
    n = nr + nc;
  if (cols.length < 2 || !nr || !nc) return { statistic: 0, dof: Math.max(0, cols.length - 1), pValue: 1 };
  let stat = 0;
  for (const [r, c] of cols) {
    const er = (nr * (r + c)) / n,
      ec = (nc * (r + c)) / n;
    stat += (r - er) ** 2 / er + (c - ec) ** 2 / ec;
  }
  const dof = cols.length - 1;
  return { statistic: stat, dof, pValue: chi2Sf(stat, dof) };
}
