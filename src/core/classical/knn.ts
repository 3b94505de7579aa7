/** A fitted k-nearest-neighbours model: the training rows themselves. */
export interface KnnState {
  X: number[];
  y: number[];
  d: number;
  k: number;
  weights: 'uniform' | 'distance';
  /** Classes for classification; 0 for regression. */
  classes: number;
}

/** Stores the training rows (kNN is lazy). */
export function fitKnn(
  X: Float32Array,
  y: ArrayLike<number>,
  n: number,
  d: number,
  k: number,
  weights: 'uniform' | 'distance',
  classes: number,
): KnnState {
  return {
    X: Array.from(X.subarray(0, n * d)),
    y: Array.from({ length: n }, (_, i) => y[i]!),
    d,
    k: Math.max(1, Math.min(k, n)),
    weights,
    classes,
  };
}

/**
 * k-nearest neighbours by Euclidean distance, as scikit-learn's KNeighborsClassifier/Regressor
 * (brute force): class probabilities are the (distance-weighted) vote shares of the k nearest
 * training rows, regression the (weighted) mean; with 'distance' weights an exact match takes all.
 * Ties in distance go to the earlier training row.
 * Cost: O(n · m · d) for n queries over m training rows.
 */
export function predictKnn(s: KnnState, X: ArrayLike<number>, n: number): Float64Array {
  const m = s.y.length,
    d = s.d,
    k = s.k;
  const width = s.classes > 0 ? s.classes : 1;
  const out = new Float64Array(n * width);
  const dist = new Float64Array(m);
  const idx = new Uint32Array(m);
  for (let q = 0; q < n; q++) {
    for (let i = 0; i < m; i++) {
      let sum = 0;
      for (let j = 0; j < d; j++) {
        const diff = X[q * d + j]! - s.X[i * d + j]!;
        sum += diff * diff;
      }
      dist[i] = sum;
      idx[i] = i;
    }
    // Partial selection of the k smallest (stable by row on ties).
    const nearest = Array.from(idx)
      .sort((a, b) => dist[a]! - dist[b]! || a - b)
      .slice(0, k);
    let w = nearest.map((i) => (s.weights === 'distance' ? 1 / Math.sqrt(dist[i]!) : 1));
    if (s.weights === 'distance' && w.some((v) => !Number.isFinite(v))) w = w.map((v) => (Number.isFinite(v) ? 0 : 1));
    const total = w.reduce((a, b) => a + b, 0);
    if (s.classes > 0) nearest.forEach((i, t) => (out[q * width + s.y[i]!]! += w[t]! / total));
    else out[q] = nearest.reduce((acc, i, t) => acc + w[t]! * s.y[i]!, 0) / total;
  }
  return out;
}
