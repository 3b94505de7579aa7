import { assert } from '../util/result.ts';

/**
 * Cross-entropy of class probabilities: −(1/n) Σᵢ log pᵢ,yᵢ, with each row renormalized to sum to 1
 * and probabilities clipped to [ε, 1 − ε], ε = 2.22e-16 (float64 machine epsilon), as scikit-learn's
 * `log_loss` does since 1.3. `probs` is row-major n × k.
 * Cost: O(n·k).
 * @example logLoss(Int32Array.of(0), Float64Array.of(0.8, 0.2), 2) // 0.2231…
 */
export function logLoss(yTrue: ArrayLike<number>, probs: ArrayLike<number>, k: number): number {
  const n = yTrue.length;
  assert(probs.length === n * k, () => `logLoss: expected ${n}×${k} probabilities, got ${probs.length}`);
  const eps = 2.220446049250313e-16;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let rowSum = 0;
    for (let j = 0; j < k; j++) rowSum += Math.min(1 - eps, Math.max(eps, probs[i * k + j]!));
    const p = Math.min(1 - eps, Math.max(eps, probs[i * k + yTrue[i]!]!)) / rowSum;
    total -= Math.log(p);
  }
  return total / n;
}
