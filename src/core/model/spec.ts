import type { Expectation } from '../drift/expectations.ts';
import type { Preprocessor } from '../data/preprocess.ts';
import type { Calibrator } from '../calibration/calibrators.ts';
import type { CompressionInfo } from '../compression/compress.ts';
import type { EvaluationReport } from '../evaluation/report.ts';
import type { BehaviourTest } from '../evaluation/behaviour.ts';
import type { SplitSpec } from '../data/split.ts';

export type NeuralKind = 'logistic' | 'linear' | 'mlp' | 'cnn';
export type ClassicalKind = 'tree' | 'forest' | 'gbt' | 'knn' | 'naive-bayes';
/** 'onnx' is an imported model: it is evaluated and registered, never trained here. */
export type ModelKind = NeuralKind | ClassicalKind | 'onnx';
export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'elu';
export type OptimizerKind = 'adam' | 'sgd' | 'momentum';
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type LrScheduleKind = 'constant' | 'step' | 'exponential' | 'cosine';

export const NEURAL_KINDS: readonly NeuralKind[] = Object.freeze(['logistic', 'linear', 'mlp', 'cnn']);
export const CLASSICAL_KINDS: readonly ClassicalKind[] = Object.freeze(['tree', 'forest', 'gbt', 'knn', 'naive-bayes']);
/** The families Benchtop trains. */
export const MODEL_KINDS: readonly (NeuralKind | ClassicalKind)[] = Object.freeze([
  ...NEURAL_KINDS,
  ...CLASSICAL_KINDS,
]);
export const BACKENDS: readonly BackendName[] = Object.freeze(['webgpu', 'webgl', 'wasm', 'cpu']);

/** Display names of the model families. */
export const MODEL_LABELS: Readonly<Record<ModelKind, string>> = Object.freeze({
  logistic: 'Logistic / softmax regression',
  linear: 'Linear regression',
  mlp: 'MLP (neural network)',
  cnn: 'Small CNN (image-shaped inputs)',
  tree: 'Decision tree',
  forest: 'Random forest',
  gbt: 'Gradient-boosted trees',
  knn: 'k-nearest neighbours',
  'naive-bayes': 'Gaussian naive Bayes',
  onnx: 'Imported ONNX model',
});

/** Whether a model family handles a task. */
export const SUPPORTS: Readonly<Record<ModelKind, readonly ('classification' | 'regression')[]>> = Object.freeze({
  logistic: ['classification'],
  linear: ['regression'],
  mlp: ['classification', 'regression'],
  cnn: ['classification', 'regression'],
  tree: ['classification', 'regression'],
  forest: ['classification', 'regression'],
  gbt: ['classification', 'regression'],
  knn: ['classification', 'regression'],
  'naive-bayes': ['classification'],
  onnx: ['classification', 'regression'],
});

/**
 * What to train. One flat record for every family (each uses the fields it needs), so forms, the
 * command line and hyperparameter search treat all families alike.
 */
export interface ModelSpec {
  kind: ModelKind;
  /** MLP hidden layer widths, for example [128, 64]; the CNN's dense head uses the first. */
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
  /** Trees: maximum depth (forest/tree/gbt). */
  maxDepth: number;
  /** Trees: minimum rows in a leaf. */
  minSamplesLeaf: number;
  /** Forest and boosting: number of trees (boosting rounds). */
  nEstimators: number;
  /** Forest: features tried per split, 'sqrt' or 'all'. */
  maxFeatures: 'sqrt' | 'all';
  /** Boosting: shrinkage per round. */
  boostLearningRate: number;
  /** Boosting: fraction of rows sampled per round (1 = all). */
  subsample: number;
  /** kNN: neighbours. */
  k: number;
  knnWeights: 'uniform' | 'distance';
  /** Naive Bayes: portion of the largest variance added to every variance (scikit-learn's var_smoothing). */
  varSmoothing: number;
}

export interface LrSchedule {
  kind: LrScheduleKind;
  /** step: multiply by `gamma` every `every` epochs; exponential: multiply by `gamma` each epoch; cosine: anneal to 0 over the run. */
  every: number;
  gamma: number;
}

export interface TrainConfig {
  model: ModelSpec;
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: OptimizerKind;
  seed: number;
  schedule: LrSchedule;
  /** Stop when validation loss has not improved for this many epochs and restore the best weights; 0 = off. */
  earlyStoppingPatience: number;
  /** Weight each class's loss by n / (k · n_c) ('balanced', as scikit-learn) or not at all. */
  classWeights: 'none' | 'balanced';
}

export const DEFAULT_MODEL_SPEC: ModelSpec = Object.freeze({
  kind: 'mlp',
  hidden: [128, 64],
  activation: 'relu',
  dropout: 0,
  l2: 0,
  batchNorm: false,
  filters: [8, 16],
  maxDepth: 6,
  minSamplesLeaf: 1,
  nEstimators: 50,
  maxFeatures: 'sqrt',
  boostLearningRate: 0.1,
  subsample: 1,
  k: 5,
  knnWeights: 'uniform',
  varSmoothing: 1e-9,
}) as ModelSpec;

export const DEFAULT_TRAIN_CONFIG: TrainConfig = Object.freeze({
  model: DEFAULT_MODEL_SPEC,
  epochs: 20,
  batchSize: 32,
  learningRate: 0.001,
  optimizer: 'adam',
  seed: 42,
  schedule: Object.freeze({ kind: 'constant', every: 10, gamma: 0.5 }) as LrSchedule,
  earlyStoppingPatience: 0,
  classWeights: 'none',
}) as TrainConfig;

/** Fills fields a config from an older version (or a partial one) lacks, with the defaults. */
export function completeConfig(
  c: Omit<Partial<TrainConfig>, 'model' | 'schedule'> & { model?: Partial<ModelSpec>; schedule?: Partial<LrSchedule> },
): TrainConfig {
  return {
    ...DEFAULT_TRAIN_CONFIG,
    ...c,
    model: { ...DEFAULT_MODEL_SPEC, ...(c.model ?? {}) },
    schedule: { ...DEFAULT_TRAIN_CONFIG.schedule, ...(c.schedule ?? {}) },
  };
}

/** Learning rate at a 1-based epoch under a schedule. */
export function learningRateAt(
  config: Pick<TrainConfig, 'learningRate' | 'schedule' | 'epochs'>,
  epoch: number,
): number {
  const { kind, every, gamma } = config.schedule;
  const e = epoch - 1;
  switch (kind) {
    case 'constant':
      return config.learningRate;
    case 'step':
      return config.learningRate * gamma ** Math.floor(e / Math.max(1, every));
    case 'exponential':
      return config.learningRate * gamma ** e;
    case 'cosine':
      return (config.learningRate * (1 + Math.cos((Math.PI * e) / Math.max(1, config.epochs)))) / 2;
  }
}

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
  /** Learning rate used in this epoch. */
  learningRate?: number;
  /** L2 norm of the whole gradient, and per layer, on the epoch's last batch. */
  gradNorm?: number;
  layerGradNorms?: Record<string, number>;
  /** L2 norm of each layer's weights at the end of the epoch. */
  layerWeightNorms?: Record<string, number>;
  /** tfjs memory after the epoch: live tensors and bytes. */
  tensors?: number;
  tensorBytes?: number;
  /** JS heap in use (Chromium only). */
  jsHeapBytes?: number;
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

/** A classical model's fitted state as plain JSON (trees, neighbours, class statistics). */
export interface ClassicalState {
  kind: ClassicalKind;
  state: unknown;
}

/**
 * A trained model: a tfjs network (`artifacts`) or a classical model (`classical`), plus the
 * preprocessing that must run before it. Exactly one of the two is present.
 */
export interface TrainedModel {
  artifacts?: ModelArtifacts;
  classical?: ClassicalState;
  /** An ensemble of other trained models (each with its own preprocessing). */
  ensemble?: EnsembleState;
  /** An ONNX model the person brought: run by onnxruntime, its outputs read as probabilities (or logits). */
  onnx?: { bytes: ArrayBuffer; input: string; output: string; file: string };
  /** A post-hoc probability calibrator applied to the outputs (fitted on validation). */
  calibrator?: Calibrator;
  /** For a compressed network: how it was compressed and what it costs stored (weights above are dequantized). */
  compression?: CompressionInfo;
  preprocessor: Preprocessor;
}

export type EnsembleMethod = 'vote-hard' | 'vote-soft' | 'stack' | 'bag' | 'adaboost';

export const ENSEMBLE_LABELS: Readonly<Record<EnsembleMethod, string>> = Object.freeze({
  'vote-hard': 'Majority vote',
  'vote-soft': 'Average (soft vote)',
  stack: 'Stacking (logistic-regression meta-learner)',
  bag: 'Bagging',
  adaboost: 'Boosting (AdaBoost.SAMME)',
});

/**
 * How an ensemble combines its members' outputs: votes, an average, member weights (AdaBoost's α),
 * or a multinomial logistic-regression meta-learner over the members' class probabilities
 * (`meta.W` is (members·k) × k row-major, `meta.b` has k entries).
 */
export interface EnsembleState {
  method: EnsembleMethod;
  members: TrainedModel[];
  weights?: number[];
  meta?: { W: number[]; b: number[] };
}

export interface RunEnvironment {
  backend: BackendName;
  backendReason: string;
  threads?: number;
  simd?: boolean;
  runtime: string;
  appVersion: string;
}

/** `running` while training; `interrupted` when the page closed mid-run (set on the next open). */
export type RunStatus = 'running' | 'finished' | 'cancelled' | 'failed' | 'interrupted';

/** Calibration numbers of one model on one split. */
export interface CalibrationSnapshot {
  accuracy: number;
  logLoss: number;
  brier: number;
  ece: number;
  mce: number;
  adaptiveEce: number;
  classwiseEce: number;
  /** Reliability diagram bins (uniform). */
  bins: { lo: number; hi: number; count: number; confidence: number; frequency: number }[];
}

/** A row of the validation log: what went in, the truth, what came out. */
export interface SampleRow {
  row: number;
  input: Record<string, string | null>;
  label: string;
  prediction: string;
  /** Probability of the predicted class (classification). */
  confidence?: number;
}

/** The model's validation metric on the rows where a categorical feature takes one value. */
export interface SliceScore {
  feature: string;
  category: string;
  n: number;
  metric: 'accuracy' | 'rmse';
  value: number;
}

/** A baseline's score next to the model's. */
export interface BaselineScore {
  kind: 'uniform' | 'prior' | 'zero-rule' | 'threshold' | 'user';
  name: string;
  /** What the baseline does, in words ("predict 'good' always", "age <= 30.5 → bad"). */
  detail: string;
  validation: SplitMetrics;
  test?: SplitMetrics;
}

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
  /** Baselines scored on the same splits. */
  baselines?: BaselineScore[];
  /** Sampled validation rows with the model's prediction. */
  samples?: SampleRow[];
  /** The validation metric per category of the categorical features (slices with at least 5 rows). */
  slices?: SliceScore[];
  /** Why a run failed or stopped early (NaN, early stopping, cancel). */
  message?: string;
  /** Epoch whose weights were kept (early stopping restores the best one). */
  bestEpoch?: number;
  /** For a calibrated model: the method, the run it calibrates, and test-split calibration before and after. */
  calibration?: { method: string; parentRunId: string; before: CalibrationSnapshot; after: CalibrationSnapshot };
  /** For a compressed model: the run it was compressed from, and what compression kept and cost. */
  compression?: { parentRunId: string; info: CompressionInfo; ece?: { before: number; after: number } };
  /** The latest evaluation report of this run (kept with it, so the registry and model card see it). */
  evaluation?: EvaluationReport;
  /** Behavioural tests saved with this model; rerun on new versions. */
  behaviourTests?: BehaviourTest[];
  /** Data expectations saved with this model version; run on new data (src/core/drift/expectations.ts). */
  expectations?: Expectation[];
  /** The experiment (named group of runs) this run belongs to. */
  experimentId?: string;
  /** Free-form tags for finding runs. */
  tags?: string[];
  /** For ensembles: how members are combined and which runs they came from. */
  ensemble?: { method: EnsembleMethod; members: { runId?: string; name: string }[] };
  samplesPerSecond: number;
  environment: RunEnvironment;
  /**
   * Predictions of the saved model on the first validation rows, kept so a reloaded or imported
   * model can prove it predicts exactly what it predicted when it was trained.
   */
  fingerprint: { rows: number[]; outputs: number[] };
}
