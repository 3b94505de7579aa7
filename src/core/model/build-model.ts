import * as tf from '@tensorflow/tfjs';
import type { NetworkSpec, OptimizerKind } from './network-spec.ts';
import type { Task } from '../data/preprocess.ts';
import { assert } from '../util/result.ts';

export { imageSide, outputUnits } from './network-spec.ts';
import { imageSide, outputUnits } from './network-spec.ts';

/** An optimizer at a learning rate. */
export function makeOptimizer(kind: OptimizerKind, lr: number): tf.Optimizer {
  switch (kind) {
    case 'adam':
      return tf.train.adam(lr);
    case 'sgd':
      return tf.train.sgd(lr);
    case 'momentum':
      return tf.train.momentum(lr, 0.9);
  }
}

/**
 * Builds a tfjs network for a neural model family:
 * - `logistic` / `linear`: one dense layer (sigmoid, softmax or identity);
 * - `mlp`: dense hidden layers (optional batch norm, then the activation, then dropout);
 * - `cnn`: the inputs reshaped to a side×side×1 image, then per entry of `filters` a 3×3 conv
 *   (+ batch norm), ReLU and 2×2 max-pool, then a dense layer of `hidden[0]` units and the output.
 * Every initializer and dropout layer is seeded from `seed`: the same seed gives the same weights.
 * The L2 penalty is applied by the training loop, not by layer regularizers.
 * @example buildModel({ ...DEFAULT_MODEL_SPEC, kind: 'cnn' }, 64, 'classification', 10, 42)
 */
export function buildModel(
  spec: Pick<NetworkSpec, 'kind' | 'hidden' | 'filters' | 'activation' | 'dropout' | 'batchNorm'>,
  inputSize: number,
  task: Task,
  classes: number,
  seed: number,
): tf.LayersModel {
  assert(inputSize > 0, () => `buildModel: inputSize must be positive, got ${inputSize}`);
  const model = tf.sequential();
  let layerSeed = seed;
  const init = () => tf.initializers.glorotUniform({ seed: layerSeed++ });
  let first = true;
  const inputShape = () => {
    const s = first ? [inputSize] : undefined;
    first = false;
    return s;
  };
  const hidden = spec.kind === 'mlp' ? spec.hidden : spec.kind === 'cnn' ? spec.hidden.slice(0, 1) : [];
  if (spec.kind === 'cnn') {
    const side = imageSide(inputSize);
    assert(side !== null, () => `a CNN needs a square image input, got ${inputSize} values`);
    model.add(tf.layers.reshape({ targetShape: [side, side, 1], inputShape: inputShape(), name: 'image' }));
    spec.filters.forEach((f, i) => {
      model.add(
        tf.layers.conv2d({
          filters: f,
          kernelSize: 3,
          padding: 'same',
          useBias: !spec.batchNorm,
          kernelInitializer: init(),
          name: `conv_${i}`,
        }),
      );
      if (spec.batchNorm) model.add(tf.layers.batchNormalization({ name: `conv_bn_${i}` }));
      model.add(tf.layers.activation({ activation: 'relu', name: `conv_relu_${i}` }));
      model.add(tf.layers.maxPooling2d({ poolSize: 2, padding: 'same', name: `pool_${i}` }));
    });
    model.add(tf.layers.flatten({ name: 'flatten' }));
  }
  hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation: spec.batchNorm ? 'linear' : spec.activation,
        useBias: !spec.batchNorm,
        inputShape: inputShape(),
        kernelInitializer: init(),
        name: `dense_${i}`,
      }),
    );
    if (spec.batchNorm) {
      model.add(tf.layers.batchNormalization({ name: `bn_${i}` }));
      model.add(tf.layers.activation({ activation: spec.activation, name: `act_${i}` }));
    }
    if (spec.dropout > 0)
      model.add(tf.layers.dropout({ rate: spec.dropout, seed: seed + 1000 + i, name: `dropout_${i}` }));
  });
  const units = outputUnits(task, classes);
  model.add(
    tf.layers.dense({
      units,
      activation: task === 'regression' ? 'linear' : units === 1 ? 'sigmoid' : 'softmax',
      inputShape: inputShape(),
      kernelInitializer: init(),
      name: 'output',
    }),
  );
  return model;
}

/** Trainable parameters of a model (for size checks before training). */
export function countParams(model: tf.LayersModel): number {
  return model.countParams();
}
