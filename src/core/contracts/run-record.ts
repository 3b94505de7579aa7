/** The run record: everything needed to understand and reproduce a run, as plain data. */
import type { CalibrationMethod, CompressionInfo, Expectation } from './attachments.ts';
import type { SplitSpec, Task } from './data.ts';
import type { BehaviourTest, EvaluationReport } from './evaluation.ts';
import type { EnsembleMethod } from './model.ts';
import type { BackendName, TrainConfig } from './train-config.ts';

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
  /**
   * Threshold rule: what it predicts on each side ([rule holds, otherwise]; class names or values).
   * Absent in runs stored before it was kept.
   */
  branches?: [string, string];
  validation: SplitMetrics;
  test?: SplitMetrics;
}

/** What made a derived run: the operation, in words, on which parent, and its cost. */
export interface Derivation {
  kind: 'calibrate' | 'compress' | 'fine-tune' | 'distill';
  /** The operation in words: "int8 quantization", "temperature calibration", "distillation into MLP 8". */
  what: string;
  parentRunId: string;
  /** The parent run's name when it was derived (the parent may be deleted later). */
  parentName: string;
  /** Wall time of the derivation alone (fitting, compressing, fine-tuning and scoring). */
  durationMs: number;
  /** Epochs trained by the derivation (fine-tuning, distillation); absent when nothing was trained. */
  epochs?: number;
}

/**
 * Where an imported record came from, kept when the import had to give it a new id because its own
 * was already stored (src/core/store/import-ids.ts): the id it had, the file or bundle, and when.
 */
export interface ImportedFrom {
  /** The id the record had in the file (already taken here by another record). */
  id: string;
  /** The file, folder or bundle it was imported from ("model.zip", "benchtop-bundle-2024-05-01.zip"). */
  source: string;
  /** ISO time of the import. */
  at: string;
}

/** Everything needed to understand and reproduce a run. Plain data: goes to IndexedDB and `run.json`. */
export interface RunRecord {
  /** @2: config is `{ kind, params, seed }` (src/core/store/upgrade.ts reads @1 records). */
  format: 'benchtop-run@2';
  id: string;
  name: string;
  status: RunStatus;
  createdAt: string;
  durationMs: number;
  dataset: { id: string; name: string; rows: number };
  label: string;
  task: Task;
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
  calibration?: {
    method: CalibrationMethod;
    parentRunId: string;
    before: CalibrationSnapshot;
    after: CalibrationSnapshot;
  };
  /** For a compressed model: the run it was compressed from, and what compression kept and cost. */
  compression?: { parentRunId: string; info: CompressionInfo; ece?: { before: number; after: number } };
  /**
   * For a model made from another run's model (calibrated, compressed, fine-tuned, distilled): what the
   * derivation did, to which run, and how long it took. `durationMs` of such a run is the derivation's;
   * its `history` is the parent's unless the derivation trained (fine-tuning, distillation).
   */
  derivation?: Derivation;
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
  /** Set when an import kept this run beside a stored one with the same id: its original id and file. */
  importedFrom?: ImportedFrom;
  samplesPerSecond: number;
  environment: RunEnvironment;
  /**
   * Predictions of the saved model on the first validation rows, kept so a reloaded or imported
   * model can prove it predicts exactly what it predicted when it was trained.
   */
  fingerprint: { rows: number[]; outputs: number[] };
}
