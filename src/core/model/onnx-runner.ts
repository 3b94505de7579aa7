/**
 * Where ONNX models run: the core does not import onnxruntime (workers/ort-runtime.ts and the
 * command line do, and register themselves here at start-up).
 */
export type OnnxRunner = (model: Uint8Array, X: Float32Array, n: number, d: number) => Promise<Float32Array>;

let runner: OnnxRunner | null = null;

export function setOnnxRunner(r: OnnxRunner): void {
  runner = r;
}

export function onnxRunner(): OnnxRunner {
  if (!runner) throw new Error('no ONNX runtime is registered in this context');
  return runner;
}

/**
 * Class probabilities from a model's raw outputs: kept when rows already sum to 1, else softmax (logits).
 * A binary model may give one column — P(second class) when in [0, 1], else a logit (sigmoid).
 */
export function toProbabilities(raw: Float32Array, n: number, k: number): Float64Array {
  if (k === 2 && raw.length === n) {
    const single = new Float64Array(n * 2);
    const probs = raw.every((v) => v >= -1e-6 && v <= 1 + 1e-6);
    for (let i = 0; i < n; i++) {
      const p = probs ? Math.min(1, Math.max(0, raw[i]!)) : 1 / (1 + Math.exp(-raw[i]!));
      single[2 * i] = 1 - p;
      single[2 * i + 1] = p;
    }
    return single;
  }
  if (raw.length !== n * k)
    throw new Error(
      `The ONNX model gave ${raw.length / n} output column(s) per row; the dataset's label has ${k} classes.`,
    );
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    let sum = 0,
      inRange = true,
      m = -Infinity;
    for (let c = 0; c < k; c++) {
      const v = raw[i * k + c]!;
      sum += v;
      if (v < -1e-6 || v > 1 + 1e-6) inRange = false;
      m = Math.max(m, v);
    }
    if (inRange && Math.abs(sum - 1) < 1e-3) for (let c = 0; c < k; c++) out[i * k + c] = raw[i * k + c]! / sum;
    else {
      let z = 0;
      for (let c = 0; c < k; c++) z += out[i * k + c] = Math.exp(raw[i * k + c]! - m);
      for (let c = 0; c < k; c++) out[i * k + c]! /= z;
    }
  }
  return out;
}
