import { createRandom } from '../util/random.ts';

/**
 * Multinomial logistic regression fitted by full-batch gradient descent with Nesterov momentum on
 * float64 inputs (row-major n × p), L2 penalty `l2`. Small and deterministic: used as the stacking
 * meta-learner over member probabilities.
 * Cost: O(iterations · n · p · k).
 */
export function fitLogistic(
  X: Float64Array,
  y: ArrayLike<number>,
  n: number,
  p: number,
  k: number,
  l2 = 1e-3,
  iterations = 400,
  lr = 0.5,
): { W: Float64Array; b: Float64Array } {
  const W = new Float64Array(p * k),
    b = new Float64Array(k);
  const vW = new Float64Array(p * k),
    vb = new Float64Array(k);
  const gW = new Float64Array(p * k),
    gb = new Float64Array(k);
  const z = new Float64Array(k);
  const rng = createRandom(1);
  for (let i = 0; i < W.length; i++) W[i] = (rng.next() - 0.5) * 1e-3;
  for (let it = 0; it < iterations; it++) {
    gW.fill(0);
    gb.fill(0);
    for (let r = 0; r < n; r++) {
      let m = -Infinity;
      for (let c = 0; c < k; c++) {
        let s = b[c]! + 0.9 * vb[c]!;
        for (let j = 0; j < p; j++) s += X[r * p + j]! * (W[j * k + c]! + 0.9 * vW[j * k + c]!);
        z[c] = s;
        m = Math.max(m, s);
      }
      let sum = 0;
      for (let c = 0; c < k; c++) sum += z[c] = Math.exp(z[c]! - m);
      for (let c = 0; c < k; c++) {
        const g = z[c]! / sum - (y[r] === c ? 1 : 0);
        gb[c]! += g / n;
        for (let j = 0; j < p; j++) gW[j * k + c]! += (g * X[r * p + j]!) / n;
      }
    }
    for (let i = 0; i < W.length; i++) {
      vW[i] = 0.9 * vW[i]! - lr * (gW[i]! + l2 * (W[i]! + 0.9 * vW[i]!));
      W[i]! += vW[i]!;
    }
    for (let c = 0; c < k; c++) {
      vb[c] = 0.9 * vb[c]! - lr * gb[c]!;
      b[c]! += vb[c]!;
    }
  }
  return { W, b };
}

/** Class probabilities of a fitted multinomial logistic regression. */
export function predictLogistic(
  W: ArrayLike<number>,
  b: ArrayLike<number>,
  X: Float64Array,
  n: number,
  p: number,
  k: number,
): Float64Array {
  const out = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    let m = -Infinity;
    for (let c = 0; c < k; c++) {
      let s = b[c]!;
      for (let j = 0; j < p; j++) s += X[r * p + j]! * W[j * k + c]!;
      out[r * k + c] = s;
      m = Math.max(m, s);
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += out[r * k + c] = Math.exp(out[r * k + c]! - m);
    for (let c = 0; c < k; c++) out[r * k + c]! /= sum;
  }
  return out;
}
