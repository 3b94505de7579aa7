/**
 * Confusion matrix C (k × k, row-major): C[t][p] counts rows of true class t predicted as p, as
 * scikit-learn's `confusion_matrix(y, ŷ, labels=range(k))`. `normalize` divides by row ('true'),
 * column ('pred') or total ('all'), leaving empty rows/columns at 0.
 * Cost: O(n + k²).
 */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  k: number,
  normalize?: 'true' | 'pred' | 'all',
): Float64Array {
  const c = new Float64Array(k * k);
  for (let i = 0; i < yTrue.length; i++) c[yTrue[i]! * k + yPred[i]!]!++;
  if (!normalize) return c;
  const out = new Float64Array(k * k);
  const total = yTrue.length;
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      let d = total;
      if (normalize === 'true') {
        d = 0;
        for (let j = 0; j < k; j++) d += c[t * k + j]!;
      } else if (normalize === 'pred') {
        d = 0;
        for (let j = 0; j < k; j++) d += c[j * k + p]!;
      }
      out[t * k + p] = d > 0 ? c[t * k + p]! / d : 0;
    }
  }
  return out;
}
