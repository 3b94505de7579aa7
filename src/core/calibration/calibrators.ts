import type { Calibrator, CalibrationMethod } from '../contracts/attachments.ts';
export type { Calibrator, CalibrationMethod } from '../contracts/attachments.ts';

export const CALIBRATION_METHODS: readonly CalibrationMethod[] = Object.freeze([
  'temperature',
  'platt',
  'isotonic',
  'histogram',
]);

const EPS = 1e-12;
const clip = (p: number) => Math.min(1 - 1e-15, Math.max(1e-15, p));

function nll(logits: Float64Array, y: ArrayLike<number>, k: number, T: number): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    let m = -Infinity;
    for (let c = 0; c < k; c++) m = Math.max(m, logits[i * k + c]! / T);
    let z = 0;
    for (let c = 0; c < k; c++) z += Math.exp(logits[i * k + c]! / T - m);
    s -= logits[i * k + y[i]!]! / T - m - Math.log(z);
  }
  return s / y.length;
}

/** Isotonic (non-decreasing) least-squares fit of y on x by pool-adjacent-violators; ties in x pooled first. */
export function isotonicFit(x: ArrayLike<number>, y: ArrayLike<number>): { x: number[]; y: number[] } {
  const idx = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const xs: number[] = [],
    ys: number[] = [],
    ws: number[] = [];
  for (const i of idx) {
    if (xs.length && xs.at(-1) === x[i]) {
      const w = ws.at(-1)!;
      ys[ys.length - 1] = (ys.at(-1)! * w + y[i]!) / (w + 1);
      ws[ws.length - 1] = w + 1;
    } else {
      xs.push(x[i]!);
      ys.push(y[i]!);
      ws.push(1);
    }
  }
  // Blocks: [start, end) over the tied points, with pooled value and weight.
  const bv: number[] = [],
    bw: number[] = [],
    bs: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    bv.push(ys[i]!);
    bw.push(ws[i]!);
    bs.push(i);
    while (bv.length > 1 && bv.at(-2)! > bv.at(-1)!) {
      const w = bw.at(-2)! + bw.at(-1)!;
      const v = (bv.at(-2)! * bw.at(-2)! + bv.at(-1)! * bw.at(-1)!) / w;
      (bv.pop(), bw.pop(), bs.pop());
      bv[bv.length - 1] = v;
      bw[bw.length - 1] = w;
    }
  }
  const fitted = new Array<number>(xs.length);
  for (let b = 0; b < bs.length; b++) for (let i = bs[b]!; i < (bs[b + 1] ?? xs.length); i++) fitted[i] = bv[b]!;
  return { x: xs, y: fitted };
}

/**
 * Piecewise-linear interpolation on a fitted isotonic curve, clipped at the ends (scikit-learn's out_of_bounds='clip').
 */
export function isotonicPredict(curve: { x: number[]; y: number[] }, v: number): number {
  const { x, y } = curve;
  if (x.length === 0) return v;
  if (v <= x[0]!) return y[0]!;
  if (v >= x.at(-1)!) return y.at(-1)!;
  let lo = 0,
    hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= v) lo = mid;
    else hi = mid;
  }
  return y[lo]! + ((y[hi]! - y[lo]!) * (v - x[lo]!)) / (x[hi]! - x[lo]!);
}

/**
 * Fits a calibrator on validation probabilities (row-major n × k) and labels.
 * Platt needs two classes. Cost: O(n · k) per iteration (temperature, Platt), O(n log n) otherwise.
 */
export function fitCalibrator(
  method: CalibrationMethod,
  probs: ArrayLike<number>,
  y: ArrayLike<number>,
  k: number,
  bins = 10,
): Calibrator {
  const n = y.length;
  if (method === 'temperature') {
    const logits = Float64Array.from(probs, (p) => Math.log(clip(p)));
    // NLL is unimodal in log T: golden-section search on log T ∈ [−4, 4].
    let a = -4,
      b = 4;
    const g = (Math.sqrt(5) - 1) / 2;
    let c = b - g * (b - a),
      d = a + g * (b - a);
    let fc = nll(logits, y, k, Math.exp(c)),
      fd = nll(logits, y, k, Math.exp(d));
    for (let it = 0; it < 80; it++) {
      if (fc < fd) ((b = d), (d = c), (fd = fc), (c = b - g * (b - a)), (fc = nll(logits, y, k, Math.exp(c))));
      else ((a = c), (c = d), (fc = fd), (d = a + g * (b - a)), (fd = nll(logits, y, k, Math.exp(d))));
    }
    return { method, temperature: Math.exp((a + b) / 2) };
  }
  if (method === 'platt') {
    if (k !== 2) throw new Error('Platt scaling is for two classes; use temperature scaling or isotonic regression');
    const s = Float64Array.from({ length: n }, (_, i) => Math.log(clip(probs[i * 2 + 1]!) / clip(probs[i * 2]!)));
    const pos = Array.prototype.filter.call(y, (v: number) => v === 1).length,
      neg = n - pos;
    const hiT = (pos + 1) / (pos + 2),
      loT = 1 / (neg + 2);
    const t = Float64Array.from({ length: n }, (_, i) => (y[i] === 1 ? hiT : loT));
    // Newton's method with backtracking on (A, B) for the cross-entropy of σ(A·s + B) against the
    // smoothed targets (Lin, Lin & Weng 2007): stable even when validation is separable.
    const objective = (a: number, b: number) => {
      let f = 0;
      for (let i = 0; i < n; i++) {
        const z = a * s[i]! + b;
        // −[t log σ(z) + (1 − t) log(1 − σ(z))] = log(1 + e^z) − t·z, computed stably.
        f += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t[i]! * z;
      }
      return f;
    };
    let A = 0,
      B = Math.log((pos + 1) / (neg + 1));
    let fval = objective(A, B);
    for (let it = 0; it < 100; it++) {
      let g1 = 0,
        g2 = 0,
        h11 = 1e-12,
        h12 = 0,
        h22 = 1e-12;
      for (let i = 0; i < n; i++) {
        const p = 1 / (1 + Math.exp(-(A * s[i]! + B)));
        const r = p - t[i]!,
          w = p * (1 - p);
        g1 += r * s[i]!;
        g2 += r;
        h11 += w * s[i]! * s[i]!;
        h12 += w * s[i]!;
        h22 += w;
      }
      if (Math.abs(g1) < 1e-10 && Math.abs(g2) < 1e-10) break;
      const det = h11 * h22 - h12 * h12;
      if (Math.abs(det) < EPS) break;
      const dA = -(h22 * g1 - h12 * g2) / det,
        dB = -(h11 * g2 - h12 * g1) / det;
      const slope = g1 * dA + g2 * dB;
      let step = 1;
      while (step > 1e-10) {
        const f2 = objective(A + step * dA, B + step * dB);
        if (f2 <= fval + 1e-4 * step * slope) {
          A += step * dA;
          B += step * dB;
          fval = f2;
          break;
        }
        step /= 2;
      }
      if (step <= 1e-10 || Math.abs(step * dA) + Math.abs(step * dB) < 1e-12) break;
    }
    return { method, a: A, b: B };
  }
  const classes = k === 2 ? [1] : Array.from({ length: k }, (_, c) => c);
  if (method === 'isotonic') {
    return {
      method,
      curves: classes.map((c) =>
        isotonicFit(
          Float64Array.from({ length: n }, (_, i) => probs[i * k + c]!),
          Float64Array.from({ length: n }, (_, i) => (y[i] === c ? 1 : 0)),
        ),
      ),
    };
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => i / bins);
  return {
    method,
    curves: classes.map((c) => {
      const sum = new Float64Array(bins),
        cnt = new Float64Array(bins);
      for (let i = 0; i < n; i++) {
        const b = Math.min(bins - 1, Math.floor(probs[i * k + c]! * bins));
        sum[b]! += y[i] === c ? 1 : 0;
        cnt[b]!++;
      }
      return { edges, values: Array.from(sum, (s, b) => (cnt[b]! ? s / cnt[b]! : (edges[b]! + edges[b + 1]!) / 2)) };
    }),
  };
}

/** Applies a calibrator to probabilities (row-major n × k), returning new probabilities. */
export function applyCalibrator(cal: Calibrator, probs: ArrayLike<number>, k: number): Float64Array {
  const n = probs.length / k;
  const out = new Float64Array(probs.length);
  for (let i = 0; i < n; i++) {
    if (cal.method === 'temperature') {
      let m = -Infinity;
      for (let c = 0; c < k; c++) m = Math.max(m, Math.log(clip(probs[i * k + c]!)) / cal.temperature);
      let z = 0;
      for (let c = 0; c < k; c++)
        z += out[i * k + c] = Math.exp(Math.log(clip(probs[i * k + c]!)) / cal.temperature - m);
      for (let c = 0; c < k; c++) out[i * k + c]! /= z;
    } else if (cal.method === 'platt') {
      const s = Math.log(clip(probs[i * 2 + 1]!) / clip(probs[i * 2]!));
      const p = 1 / (1 + Math.exp(-(cal.a * s + cal.b)));
      out[i * 2] = 1 - p;
      out[i * 2 + 1] = p;
    } else {
      const value = (curve: (typeof cal.curves)[number], v: number) =>
        'x' in curve
          ? isotonicPredict(curve, v)
          : curve.values[Math.min(curve.values.length - 1, Math.floor(v * curve.values.length))]!;
      if (k === 2) {
        const p = Math.min(1, Math.max(0, value(cal.curves[0]!, probs[i * 2 + 1]!)));
        out[i * 2] = 1 - p;
        out[i * 2 + 1] = p;
      } else {
        let z = 0;
        for (let c = 0; c < k; c++) z += out[i * k + c] = Math.max(0, value(cal.curves[c]!, probs[i * k + c]!));
        for (let c = 0; c < k; c++) out[i * k + c] = z > 0 ? out[i * k + c]! / z : 1 / k;
      }
    }
  }
  return out;
}
