import { assert } from '../util/result.ts';

/**
 * Fraction of predictions equal to the truth: (1/n) Σ [ŷᵢ = yᵢ]. Same as scikit-learn's `accuracy_score`.
 * Cost: O(n).
 * @example accuracy(Int32Array.of(0, 1), Int32Array.of(0, 0)) // 0.5
 */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  assert(yTrue.length === yPred.length, () => `accuracy: ${yTrue.length} labels vs ${yPred.length} predictions`);
  if (yTrue.length === 0) return NaN;
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return hit / yTrue.length;
}
