import * as tf from '@tensorflow/tfjs';
import { artifactsToModel, disposeModel } from './artifacts.ts';
import type { ModelArtifacts } from './spec.ts';

/**
 * The input every Dense and Conv2D layer of a sequential network sees for the given rows (inference mode),
 * keyed by layer name — what static quantization calibrates its activation ranges on.
 * Cost: one forward pass; tensors freed as it goes.
 */
export async function denseLayerInputs(
  a: ModelArtifacts,
  X: Float32Array,
  n: number,
  d: number,
): Promise<Record<string, Float32Array>> {
  const net = await artifactsToModel(a);
  const out: Record<string, Float32Array> = {};
  let h: tf.Tensor = tf.tensor2d(X, [n, d]);
  try {
    for (const layer of net.layers) {
      if (layer.getClassName() === 'Dense' || layer.getClassName() === 'Conv2D')
        out[layer.name] = (await h.data()) as Float32Array;
      const next = tf.tidy(() => layer.apply(h, { training: false }) as tf.Tensor);
      h.dispose();
      h = next;
    }
  } finally {
    h.dispose();
    disposeModel(net);
  }
  return out;
}
