import { argmaxRows } from '../metrics/argmax-rows.ts';
import type { EnsembleState } from '../contracts/model.ts';
import { predictLogistic } from './meta-logistic.ts';

/**
 * Combines member outputs (each n × k probabilities, or n values for regression):
 * - vote-hard: each member's argmax is one vote (AdaBoost: a vote of weight α); probabilities are the vote shares;
 * - vote-soft / bag: the mean of the members' probabilities (or values);
 * - stack: the meta-learner's probabilities over the concatenated member probabilities.
 * Cost: O(n · M · k) (stacking: the meta-learner's O(n · M · k²)).
 * @example combineOutputs({ method: 'vote-soft', members }, [a, b], n, k) // (a + b) / 2
 */
export function combineOutputs(
  state: EnsembleState,
  outputs: readonly Float64Array[],
  n: number,
  k: number,
): Float64Array {
  const M = outputs.length;
  const out = new Float64Array(n * k);
  if (state.method === 'stack') {
    const Z = new Float64Array(n * M * k);
    for (let r = 0; r < n; r++)
      for (let m = 0; m < M; m++) Z.set(outputs[m]!.subarray(r * k, (r + 1) * k), r * M * k + m * k);
    return predictLogistic(state.meta!.W, state.meta!.b, Z, n, M * k, k);
  }
  if ((state.method === 'vote-hard' || state.method === 'adaboost') && k > 1) {
    const w = state.weights ?? outputs.map(() => 1);
    const total = w.reduce((a, b) => a + b, 0);
    outputs.forEach((o, m) => {
      const pred = argmaxRows(o, k);
      for (let r = 0; r < n; r++) out[r * k + pred[r]!]! += w[m]! / total;
    });
    return out;
  }
  for (const o of outputs) for (let i = 0; i < out.length; i++) out[i]! += o[i]! / M;
  return out;
}
