import { createRandom } from '../util/random.ts';

/** A fitted linear SVM: one weight row (d + 1, the last the bias) per binary problem. */
export interface LinearSvmState {
  /** Classes of the task (2 → one problem, class 1 positive; k > 2 → one-vs-rest, k problems). */
  classes: number;
  d: number;
  /** Row-major problems × (d + 1). */
  w: number[];
  /** Coordinate-descent passes each problem took. */
  iterations: number[];
}

export interface LinearSvmOptions {
  /** Inverse regularisation strength (scikit-learn's `C`). */
  C: number;
  /** Stop when the projected-gradient spread falls below this (liblinear's `eps`). */
  tol: number;
  maxIter: number;
  seed: number;
}

/**
 * Dual coordinate descent for one L2-regularised, squared-hinge (L2-loss) SVM (Hsieh et al. 2008,
 * liblinear's solver 1, which scikit-learn's `LinearSVC(dual=True)` calls): minimises
 * ½‖w‖² + C Σ max(0, 1 − yᵢ w·xᵢ)², with a bias feature of 1 (`intercept_scaling=1`, regularised as
 * liblinear does). Labels are ±1. Cost: O(iterations · n · d).
 */
function solveBinary(
  X: Float32Array,
  y: Int8Array,
  n: number,
  d: number,
  o: LinearSvmOptions,
): { w: Float64Array; iterations: number } {
  const D = d + 1;
  const w = new Float64Array(D);
  const alpha = new Float64Array(n);
  const Dii = 1 / (2 * o.C);
  const QD = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 1; // the bias feature
    for (let j = 0; j < d; j++) s += X[i * d + j]! ** 2;
    QD[i] = s + Dii;
  }
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const rng = createRandom(o.seed);
  let iter = 0;
  for (; iter < o.maxIter; iter++) {
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let pgMax = -Infinity,
      pgMin = Infinity;
    for (const i of order) {
      const yi = y[i]!;
      let dot = w[d]!;
      for (let j = 0; j < d; j++) dot += w[j]! * X[i * d + j]!;
      const G = yi * dot - 1 + Dii * alpha[i]!;
      const PG = alpha[i] === 0 ? Math.min(G, 0) : G;
      pgMax = Math.max(pgMax, PG);
      pgMin = Math.min(pgMin, PG);
      if (Math.abs(PG) > 1e-12) {
        const old = alpha[i]!;
        alpha[i] = Math.max(old - G / QD[i]!, 0);
        const delta = (alpha[i]! - old) * yi;
        for (let j = 0; j < d; j++) w[j]! += delta * X[i * d + j]!;
        w[d]! += delta;
      }
    }
    if (pgMax - pgMin <= o.tol) break;
  }
  return { w, iterations: iter + 1 };
}

/**
 * Fits a linear SVM on encoded rows (row-major n × d) with class indices 0..k−1: one problem for two
 * classes (class 1 positive), one-vs-rest for more, as scikit-learn's `LinearSVC`.
 * @example fitLinearSvm(X, y, n, d, 3, { C: 1, tol: 1e-4, maxIter: 1000, seed: 0 })
 */
export function fitLinearSvm(
  X: Float32Array,
  y: ArrayLike<number>,
  n: number,
  d: number,
  classes: number,
  o: LinearSvmOptions,
): LinearSvmState {
  const problems = classes === 2 ? 1 : classes;
  const w: number[] = [];
  const iterations: number[] = [];
  const yy = new Int8Array(n);
  for (let p = 0; p < problems; p++) {
    const positive = classes === 2 ? 1 : p;
    for (let i = 0; i < n; i++) yy[i] = y[i] === positive ? 1 : -1;
    const r = solveBinary(X, yy, n, d, { ...o, seed: o.seed + p });
    w.push(...r.w);
    iterations.push(r.iterations);
  }
  return { classes, d, w, iterations };
}

/** Decision values w·x + b of every problem (n × problems). */
export function linearSvmDecision(s: LinearSvmState, X: ArrayLike<number>, n: number): Float64Array {
  const P = s.classes === 2 ? 1 : s.classes;
  const D = s.d + 1;
  const out = new Float64Array(n * P);
  for (let i = 0; i < n; i++)
    for (let p = 0; p < P; p++) {
      let v = s.w[p * D + s.d]!;
      for (let j = 0; j < s.d; j++) v += s.w[p * D + j]! * X[i * s.d + j]!;
      out[i * P + p] = v;
    }
  return out;
}

/**
 * Class scores in [0, 1] that sum to 1 (n × k): the logistic of the decision value for two classes,
 * the softmax of the one-vs-rest decision values otherwise. An SVM does not estimate probabilities;
 * the argmax is the SVM's prediction, and Platt or temperature calibration turns the scores into
 * probabilities.
 */
export function predictLinearSvm(s: LinearSvmState, X: ArrayLike<number>, n: number): Float64Array {
  const dec = linearSvmDecision(s, X, n);
  const k = s.classes;
  const out = new Float64Array(n * k);
  if (k === 2) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-dec[i]!));
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let c = 0; c < k; c++) m = Math.max(m, dec[i * k + c]!);
    let z = 0;
    for (let c = 0; c < k; c++) z += out[i * k + c] = Math.exp(dec[i * k + c]! - m);
    for (let c = 0; c < k; c++) out[i * k + c]! /= z;
  }
  return out;
}
