import type { Bin, CalibrationSummary } from '../contracts/evaluation.ts';
export type { Bin, CalibrationSummary } from '../contracts/evaluation.ts';

/**
 * Bins rows by predicted probability: `uniform` bins of equal width on [0, 1], or `quantile` bins of
 * (about) equal count. Bins are right-closed (lo, hi] except the first, as scikit-learn's
 * `calibration_curve` assigns them (`np.searchsorted` on the inner edges).
 * Cost: O(n log n) for quantile edges, O(n log b) otherwise.
 */
export function reliabilityBins(
  prob: ArrayLike<number>,
  outcome: ArrayLike<number>,
  nBins = 10,
  strategy: 'uniform' | 'quantile' = 'uniform',
): Bin[] {
  const n = prob.length;
  let edges: number[];
  if (strategy === 'uniform') edges = Array.from({ length: nBins + 1 }, (_, i) => i / nBins);
  else {
    const sorted = Float64Array.from(prob).sort();
    edges = Array.from({ length: nBins + 1 }, (_, i) => {
      // numpy.percentile's default linear interpolation.
      const pos = (i / nBins) * (n - 1);
      const lo = Math.floor(pos),
        hi = Math.ceil(pos);
      return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
    });
  }
  const inner = edges.slice(1, -1);
  const sums = new Float64Array(nBins),
    hits = new Float64Array(nBins),
    counts = new Float64Array(nBins);
  for (let i = 0; i < n; i++) {
    const p = prob[i]!;
    let lo = 0,
      hi = inner.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (inner[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    sums[lo]! += p;
    hits[lo]! += outcome[i]!;
    counts[lo]!++;
  }
  return Array.from({ length: nBins }, (_, b) => ({
    lo: edges[b]!,
    hi: edges[b + 1]!,
    count: counts[b]!,
    confidence: counts[b]! ? sums[b]! / counts[b]! : NaN,
    frequency: counts[b]! ? hits[b]! / counts[b]! : NaN,
  }));
}

/** scikit-learn's `calibration_curve(y, p, n_bins, strategy)`: (prob_true, prob_pred) of the non-empty bins. */
export function calibrationCurve(
  yBinary: ArrayLike<number>,
  prob: ArrayLike<number>,
  nBins = 5,
  strategy: 'uniform' | 'quantile' = 'uniform',
): { probTrue: number[]; probPred: number[] } {
  const bins = reliabilityBins(prob, yBinary, nBins, strategy).filter((b) => b.count > 0);
  return { probTrue: bins.map((b) => b.frequency), probPred: bins.map((b) => b.confidence) };
}

/** Top-label confidence and correctness of probabilities (row-major n × k). */
export function topLabel(
  yTrue: ArrayLike<number>,
  probs: ArrayLike<number>,
  k: number,
): { confidence: Float64Array; correct: Float64Array } {
  const n = yTrue.length;
  const confidence = new Float64Array(n),
    correct = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c]! > probs[i * k + best]!) best = c;
    confidence[i] = probs[i * k + best]!;
    correct[i] = best === yTrue[i] ? 1 : 0;
  }
  return { confidence, correct };
}

const gap = (bins: Bin[], n: number) =>
  bins.reduce((s, b) => s + (b.count ? (b.count / n) * Math.abs(b.frequency - b.confidence) : 0), 0);

/** All calibration numbers of a set of predictions. Cost: O(n · k · log bins). */
export function calibrationSummary(
  yTrue: ArrayLike<number>,
  probs: ArrayLike<number>,
  k: number,
  nBins = 15,
): CalibrationSummary {
  const n = yTrue.length;
  const { confidence, correct } = topLabel(yTrue, probs, k);
  const bins = reliabilityBins(confidence, correct, nBins, 'uniform');
  const binsEqualCount = reliabilityBins(confidence, correct, nBins, 'quantile');
  let classwise = 0,
    brier = 0,
    rel = 0,
    res = 0,
    unc = 0;
  for (let c = 0; c < k; c++) {
    const p = Float64Array.from({ length: n }, (_, i) => probs[i * k + c]!);
    const o = Float64Array.from({ length: n }, (_, i) => (yTrue[i] === c ? 1 : 0));
    const b = reliabilityBins(p, o, nBins, 'uniform');
    classwise += gap(b, n) / k;
    // Brier and its decomposition: for two classes scikit-learn's binary form (the positive class alone,
    // half the two-class sum); for more, the sum over classes.
    if (k === 2 && c === 0) continue;
    const base = o.reduce((a, x) => a + x, 0) / n;
    for (let i = 0; i < n; i++) brier += (p[i]! - o[i]!) ** 2 / n;
    for (const x of b)
      if (x.count) {
        rel += (x.count / n) * (x.confidence - x.frequency) ** 2;
        res += (x.count / n) * (x.frequency - base) ** 2;
      }
    unc += base * (1 - base);
  }
  return {
    ece: gap(bins, n),
    mce: bins.reduce((m, b) => (b.count ? Math.max(m, Math.abs(b.frequency - b.confidence)) : m), 0),
    adaptiveEce: gap(binsEqualCount, n),
    classwiseEce: classwise,
    brier,
    reliability: rel,
    resolution: res,
    uncertainty: unc,
    bins,
    binsEqualCount,
  };
}
