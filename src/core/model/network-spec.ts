import type { Task } from '../contracts/data.ts';

/** What the network trainer reads: one family's architecture and optimisation settings, flat, with the seed. */

export type NeuralKind = 'logistic' | 'linear' | 'mlp' | 'cnn';
export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'elu';
export type OptimizerKind = 'adam' | 'sgd' | 'momentum';
export type LrScheduleKind = 'constant' | 'step' | 'exponential' | 'cosine';

/**
 * A network to build and train. The network families (src/core/families) fill it from a
 * `TrainConfig`'s params with their defaults; the trainer never sees other families' fields.
 */
export interface NetworkSpec {
  kind: NeuralKind;
  /** Hidden layer widths, for example [128, 64]; the CNN's dense head uses the first. */
  hidden: number[];
  activation: Activation;
  /** Dropout rate after each hidden layer, in [0, 1). */
  dropout: number;
  /** L2 penalty on kernels. */
  l2: number;
  /** Batch normalization after each hidden dense layer (MLP) or convolution (CNN). */
  batchNorm: boolean;
  /** CNN: filters per 3×3 convolution block (each block: conv, ReLU, 2×2 max-pool). */
  filters: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: OptimizerKind;
  /** step: × `scheduleGamma` every `scheduleEvery` epochs; exponential: × gamma each epoch; cosine: to 0. */
  schedule: LrScheduleKind;
  scheduleEvery: number;
  scheduleGamma: number;
  /** Stop when validation loss has not improved for this many epochs and restore the best weights; 0 = off. */
  earlyStoppingPatience: number;
  /** Weight each class's loss by n / (k · n_c) ('balanced', as scikit-learn) or not at all. */
  classWeights: 'none' | 'balanced';
  seed: number;
}

/**
 * Learning rate at a 1-based epoch under the spec's schedule.
 * @example
 * learningRateAt({ learningRate: 0.1, schedule: 'step', scheduleEvery: 10, scheduleGamma: 0.5, epochs: 30 }, 11)
 *   // 0.05
 */
export function learningRateAt(
  s: Pick<NetworkSpec, 'learningRate' | 'schedule' | 'scheduleEvery' | 'scheduleGamma' | 'epochs'>,
  epoch: number,
): number {
  const e = epoch - 1;
  switch (s.schedule) {
    case 'constant':
      return s.learningRate;
    case 'step':
      return s.learningRate * s.scheduleGamma ** Math.floor(e / Math.max(1, s.scheduleEvery));
    case 'exponential':
      return s.learningRate * s.scheduleGamma ** e;
    case 'cosine':
      return (s.learningRate * (1 + Math.cos((Math.PI * e) / Math.max(1, s.epochs)))) / 2;
  }
}

/** Output units: 1 for binary (sigmoid) and regression (linear), k for multi-class (softmax). */
export function outputUnits(task: Task, classes: number): number {
  return task === 'regression' || classes === 2 ? 1 : classes;
}

/** Side of the square single-channel image a CNN reads its inputs as, or null when d is not a square. */
export function imageSide(inputSize: number): number | null {
  const s = Math.round(Math.sqrt(inputSize));
  return s * s === inputSize && s >= 4 ? s : null;
}
