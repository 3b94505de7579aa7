import * as tf from '@tensorflow/tfjs';
import type { Preprocessor } from '../data/preprocess.ts';
import { rawToOutputs } from './raw-outputs.ts';

export { rawToOutputs } from './raw-outputs.ts';

/**
 * Runs a model over a row-major n × d matrix in batches and returns the model's outputs as the
 * caller wants them: class probabilities (n × k; binary sigmoid outputs become [1 − p, p]) or
 * regression predictions in the label's own units.
 * Cost: one forward pass; tensors are freed per batch.
 */
export async function predictOutputs(
  model: tf.LayersModel,
  pre: Preprocessor,
  X: Float32Array,
  n: number,
  batchSize = 2048,
): Promise<Float64Array> {
  const d = pre.inputSize;
  const label = pre.label;
  const k = label.task === 'classification' ? label.classes.length : 1;
  const out = new Float64Array(n * k);
  for (let start = 0; start < n; start += batchSize) {
    const m = Math.min(batchSize, n - start);
    const y = tf.tidy(() => model.predict(tf.tensor2d(X.subarray(start * d, (start + m) * d), [m, d])) as tf.Tensor);
    const raw = await y.data();
    y.dispose();
    out.set(rawToOutputs(pre, raw, m), start * k);
  }
  return out;
}
