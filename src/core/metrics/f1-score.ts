/**
 * Macro-averaged F1: the unweighted mean over classes of 2·P·R / (P + R), where a class with no
 * predicted and no true samples scores 0 (scikit-learn's `f1_score(average='macro',
 * zero_division=0)` over `labels=range(k)`).
 * Cost: O(n + k).
 * @example macroF1(Int32Array.of(0, 1), Int32Array.of(0, 0), 2) // 0.333…
 */
export function macroF1(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, k: number): number {
  const tp = new Float64Array(k),
    fp = new Float64Array(k),
    fn = new Float64Array(k);
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!,
      p = yPred[i]!;
    if (t === p) tp[t]!++;
    else {
      fp[p]!++;
      fn[t]!++;
    }
  }
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const denom = 2 * tp[c]! + fp[c]! + fn[c]!;
    sum += denom === 0 ? 0 : (2 * tp[c]!) / denom;
  }
  return sum / k;
}
