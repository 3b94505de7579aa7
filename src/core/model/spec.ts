import type { Preprocessor } from '../data/preprocess.ts';
import type { SplitSpec } from '../data/split.ts';

export type ModelKind = 'logistic' | 'mlp';
export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'elu';
export type OptimizerKind = 'adam' | 'sgd' | 'momentum';
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export const MODEL_KINDS: readonly ModelKind[] = Object.freeze(['logistic', 'mlp']);
export const BACKENDS: readonly BackendName[] = Object.freeze(['webgpu', 'webgl', 'wasm', 'cpu']);

/** What to train. `logistic` is logistic (binary), softmax (multi-class) or linear (regression) regression. */
export interface ModelSpec {
  kind: ModelKind;
  /** Hidden layer widths for `mlp`, for example [128, 64]. */
  hidden: number[];
  activation: Activation;
  /** Dropout rate after each hidden layer, in [0, 1). */
  dropout: number;
  /** L2 penalty on kernels. */
  l2: number;
}

export interface TrainConfig {
  model: ModelSpec;
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: OptimizerKind;
  seed: number;
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = Object.freeze({
  model: Object.freeze({ kind: 'mlp', hidden: [128, 64], activation: 'relu', dropout: 0, l2: 0 }) as ModelSpec,
  epochs: 20,
  batchSize: 32,
  learningRate: 0.001,
  optimizer: 'adam',
  seed: 42,
}) as TrainConfig;

/** Metrics of one split at one point in training. */
export interface SplitMetrics {
  loss: number;
  /** Classification. */
  accuracy?: number;
  macroF1?: number;
  /** Regression, in the label's own units. */
  rmse?: number;
  mae?: number;
  r2?: number;
}

export interface EpochRecord {
  epoch: number;
  train: SplitMetrics;
  validation: SplitMetrics;
  /** Training samples per second during this epoch (optimizer steps only). */
  samplesPerSecond: number;
  elapsedMs: number;
}

/** Sent to the page while training runs (throttled). */
export interface TrainProgress {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  samplesPerSecond: number;
  batchLoss: number;
  fraction: number;
}

/** tfjs artifacts as plain data: the topology JSON and one weights buffer (`model.json` + `weights.bin`). */
export interface ModelArtifacts {
  modelTopology: object;
  weightSpecs: { name: string; shape: number[]; dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64' }[];
  weightData: ArrayBuffer;
}

/** A trained model: weights plus the preprocessing that must run before them. */
export interface TrainedModel {
  artifacts: ModelArtifacts;
  preprocessor: Preprocessor;
}

export interface RunEnvironment {
  backend: BackendName;
  backendReason: string;
  threads?: number;
  simd?: boolean;
  runtime: string;
  appVersion: string;
}

export type RunStatus = 'completed' | 'cancelled' | 'failed';

/** Everything needed to understand and reproduce a run. Plain data: goes to IndexedDB and `run.json`. */
export interface RunRecord {
  format: 'benchtop-run@1';
  id: string;
  name: string;
  status: RunStatus;
  createdAt: string;
  durationMs: number;
  dataset: { id: string; name: string; rows: number };
  label: string;
  task: 'classification' | 'regression';
  features: string[];
  split: SplitSpec;
  splitSizes: { train: number; validation: number; test: number };
  config: TrainConfig;
  history: EpochRecord[];
  /** Final metrics of the saved weights. */
  metrics: { train: SplitMetrics; validation: SplitMetrics; test?: SplitMetrics };
  samplesPerSecond: number;
  environment: RunEnvironment;
  /**
   * Predictions of the saved model on the first validation rows, kept so a reloaded or imported
   * model can prove it predicts exactly what it predicted when it was trained.
   */
  fingerprint: { rows: number[]; outputs: number[] };
}
