/**
 * Brier score of probabilities (row-major n × k): the mean over rows of Σ_c (p_c − 1[y = c])².
 * For k = 2 scikit-learn's `brier_score_loss` uses only the positive class, which is half of this
 * sum; `brierBinary` gives that form.
 */
export function brierMulti(yTrue: ArrayLike<number>, probs: ArrayLike<number>, k: number): number {
  let s = 0;
  for (let i = 0; i < yTrue.length; i++)
    for (let c = 0; c < k; c++) s += (probs[i * k + c]! - (yTrue[i] === c ? 1 : 0)) ** 2;
  return s / yTrue.length;
}

/** scikit-learn's `brier_score_loss(y == positive, p_positive)`. */
export function brierBinary(yTrue: ArrayLike<number>, pPositive: ArrayLike<number>, positive = 1): number {
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (pPositive[i]! - (yTrue[i] === positive ? 1 : 0)) ** 2;
  return s / yTrue.length;
}

/** Mean absolute percentage error as scikit-learn computes it: |y − ŷ| / max(|y|, ε), ε = float64 eps. */
export function mape(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const eps = 2.220446049250313e-16;
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i]! - yPred[i]!) / Math.max(Math.abs(yTrue[i]!), eps);
  return s / yTrue.length;
}
