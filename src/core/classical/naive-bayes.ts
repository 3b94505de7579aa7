/** Gaussian naive Bayes state: per class, the prior and each feature's mean and variance. */
export interface NaiveBayesState {
  classes: number;
  d: number;
  logPrior: number[];
  mean: number[];
  variance: number[];
}

/**
 * Fits Gaussian naive Bayes as scikit-learn's GaussianNB: per-class means and (population)
 * variances, each variance increased by `varSmoothing` × the largest feature variance.
 * Classes absent from training keep a prior of 0.
 * Cost: O(n · d).
 */
export function fitNaiveBayes(
  X: Float32Array,
  y: ArrayLike<number>,
  n: number,
  d: number,
  classes: number,
  varSmoothing: number,
): NaiveBayesState {
  const count = new Float64Array(classes);
  const mean = new Float64Array(classes * d),
    sq = new Float64Array(classes * d);
  for (let i = 0; i < n; i++) {
    const c = y[i]!;
    count[c]!++;
    for (let j = 0; j < d; j++) mean[c * d + j]! += X[i * d + j]!;
  }
  for (let c = 0; c < classes; c++) for (let j = 0; j < d; j++) mean[c * d + j]! /= Math.max(1, count[c]!);
  for (let i = 0; i < n; i++) {
    const c = y[i]!;
    for (let j = 0; j < d; j++) sq[c * d + j]! += (X[i * d + j]! - mean[c * d + j]!) ** 2;
  }
  // epsilon = var_smoothing × max variance of any feature over all rows.
  let maxVar = 0;
  for (let j = 0; j < d; j++) {
    let s = 0,
      s2 = 0;
    for (let i = 0; i < n; i++) {
      s += X[i * d + j]!;
      s2 += X[i * d + j]! ** 2;
    }
    maxVar = Math.max(maxVar, s2 / n - (s / n) ** 2);
  }
  const eps = varSmoothing * maxVar;
  const variance = Array.from(sq, (v, t) => v / Math.max(1, count[Math.floor(t / d)]!) + eps);
  return { classes, d, logPrior: Array.from(count, (c) => Math.log(c / n)), mean: Array.from(mean), variance };
}

/** Class probabilities (n × classes), via the joint log-likelihood and a stable softmax. */
export function predictNaiveBayes(s: NaiveBayesState, X: ArrayLike<number>, n: number): Float64Array {
  const { classes: K, d } = s;
  const out = new Float64Array(n * K);
  const jll = new Float64Array(K);
  for (let q = 0; q < n; q++) {
    for (let c = 0; c < K; c++) {
      if (!Number.isFinite(s.logPrior[c]!)) {
        jll[c] = -Infinity;
        continue;
      }
      let v = s.logPrior[c]!;
      for (let j = 0; j < d; j++) {
        const va = s.variance[c * d + j]!;
        v -= 0.5 * Math.log(2 * Math.PI * va) + (X[q * d + j]! - s.mean[c * d + j]!) ** 2 / (2 * va);
      }
      jll[c] = v;
    }
    let m = -Infinity;
    for (const v of jll) m = Math.max(m, v);
    let z = 0;
    for (const v of jll) z += Math.exp(v - m);
    for (let c = 0; c < K; c++) out[q * K + c] = Math.exp(jll[c]! - m) / z;
  }
  return out;
}
