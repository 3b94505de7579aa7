import type { Preprocessor } from '../contracts/data.ts';

/**
 * Maps a model's raw outputs for `m` rows to what callers use: class probabilities (binary sigmoid
 * outputs p become [1 − p, p]) or regression predictions in the label's own units.
 * Shared by tfjs inference and ONNX Runtime inference so both are compared like for like.
 */
export function rawToOutputs(pre: Preprocessor, raw: ArrayLike<number>, m: number): Float64Array {
  const label = pre.label;
  const k = label.task === 'classification' ? label.classes.length : 1;
  const out = new Float64Array(m * k);
  if (label.task === 'regression') {
    for (let i = 0; i < m; i++) out[i] = raw[i]! * label.std + label.mean;
  } else if (k === 2 && raw.length === m) {
    for (let i = 0; i < m; i++) {
      out[i * 2] = 1 - raw[i]!;
      out[i * 2 + 1] = raw[i]!;
    }
  } else {
    for (let i = 0; i < m * k; i++) out[i] = raw[i]!;
  }
  return out;
}
