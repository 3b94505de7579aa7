/**
 * Range estimation for static quantization of activations, from calibration samples:
 * - min-max: the observed extremes;
 * - percentile: the 0.01th and 99.99th percentiles (clips rare outliers);
 * - entropy: TensorRT's KL calibration (Migacz 2017) — a 2048-bin histogram of |x|; for each candidate
 *   threshold, the distribution clipped there and quantized to 128 levels; the threshold with the
 *   smallest KL divergence from the original wins. Symmetric: [−t, t] (or [0, t] for non-negative data).
 */
export type RangeMethod = 'minmax' | 'percentile' | 'entropy';
export const RANGE_METHODS: readonly RangeMethod[] = Object.freeze(['minmax', 'percentile', 'entropy']);

export function estimateRange(samples: Float32Array, method: RangeMethod): { min: number; max: number } {
  let lo = Infinity,
    hi = -Infinity;
  for (const v of samples) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return { min: 0, max: 0 };
  if (method === 'minmax') return { min: Math.min(0, lo), max: Math.max(0, hi) };
  if (method === 'percentile') {
    const s = Float32Array.from(samples).sort();
    const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))]!;
    return { min: Math.min(0, q(0.0001)), max: Math.max(0, q(0.9999)) };
  }
  const amax = Math.max(Math.abs(lo), Math.abs(hi));
  if (amax === 0) return { min: 0, max: 0 };
  const bins = 2048,
    levels = 128;
  const hist = new Float64Array(bins);
  for (const v of samples) hist[Math.min(bins - 1, Math.floor((Math.abs(v) / amax) * bins))]!++;
  let best = bins,
    bestKl = Infinity;
  for (let t = levels; t <= bins; t += 16) {
    const p = hist.slice(0, t);
    let outliers = 0;
    for (let i = t; i < bins; i++) outliers += hist[i]!;
    p[t - 1]! += outliers;
    // Quantize the histogram below t (without the clipped outliers, so clipping costs KL) into
    // `levels` buckets, then expand back over the non-empty bins.
    const slice = hist.subarray(0, t);
    const q = new Float64Array(t);
    const per = t / levels;
    for (let j = 0; j < levels; j++) {
      const a = Math.floor(j * per),
        b = Math.floor((j + 1) * per);
      let sum = 0,
        nz = 0;
      for (let i = a; i < b; i++) {
        sum += slice[i]!;
        if (slice[i]! > 0) nz++;
      }
      for (let i = a; i < b; i++) q[i] = slice[i]! > 0 ? sum / nz : 0;
    }
    const ps = p.reduce((x, y) => x + y, 0),
      qs = q.reduce((x, y) => x + y, 0);
    let kl = 0;
    for (let i = 0; i < t; i++) if (p[i]! > 0) kl += (p[i]! / ps) * Math.log(p[i]! / ps / Math.max(q[i]! / qs, 1e-12));
    if (kl < bestKl) ((bestKl = kl), (best = t));
  }
  const threshold = ((best + 0.5) / bins) * amax;
  return lo >= 0 ? { min: 0, max: threshold } : { min: -threshold, max: threshold };
}
