import * as tf from '@tensorflow/tfjs';
import type { ModelSpec, OptimizerKind } from './spec.ts';
import type { Task } from '../data/preprocess.ts';
import { assert } from '../util/result.ts';

/** Output units: 1 for binary (sigmoid) and regression (linear), k for multi-class (softmax). */
export function outputUnits(task: Task, classes: number): number {
  return task === 'regression' || classes === 2 ? 1 : classes;
}

function makeOptimizer(kind: OptimizerKind, lr: number): tf.Optimizer {
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
 * Builds and compiles a tfjs model: logistic/softmax/linear regression (no hidden layer) or an MLP.
 * Every initializer and dropout layer is seeded from `seed`, so the same seed gives the same weights.
 * Loss: binary or categorical cross-entropy, or mean squared error (on standardized targets).
 * @example const m = buildModel(spec, 64, 'classification', 10, 42, 'adam', 1e-3)
 */
export function buildModel(spec: ModelSpec, inputSize: number, task: Task, classes: number, seed: number, optimizer: OptimizerKind, learningRate: number): tf.LayersModel {
  assert(inputSize > 0, () => `buildModel: inputSize must be positive, got ${inputSize}`);
  const model = tf.sequential();
  const hidden = spec.kind === 'mlp' ? spec.hidden : [];
  const regularizer = spec.l2 > 0 ? tf.regularizers.l2({ l2: spec.l2 }) : undefined;
  hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation: spec.activation,
        inputShape: i === 0 ? [inputSize] : undefined,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + i }),
        kernelRegularizer: regularizer,
        name: `dense_${i}`,
      }),
    );
    if (spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout, seed: seed + 1000 + i, name: `dropout_${i}` }));
  });
  const units = outputUnits(task, classes);
  model.add(
    tf.layers.dense({
      units,
      activation: task === 'regression' ? 'linear' : units === 1 ? 'sigmoid' : 'softmax',
      inputShape: hidden.length === 0 ? [inputSize] : undefined,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + hidden.length }),
      kernelRegularizer: regularizer,
      name: 'output',
    }),
  );
  model.compile({
    optimizer: makeOptimizer(optimizer, learningRate),
    loss: task === 'regression' ? 'meanSquaredError' : units === 1 ? 'binaryCrossentropy' : 'categoricalCrossentropy',
  });
  return model;
}
