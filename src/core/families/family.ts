import type { Preprocessor, Task } from '../contracts/data.ts';
import type { Problem } from '../contracts/problem.ts';
import type { EpochRecord, RunRecord } from '../contracts/run-record.ts';
import type { TrainedModel } from '../contracts/model.ts';
import type { Params } from '../contracts/train-config.ts';
import type { EncodedSet } from '../model/prepare.ts';
import type { SearchSpace } from '../tuning/param.ts';

/**
 * One parameter of a family, described once: the train form draws its control from it, the command
 * line its flag and help, validation its range, tuning its default range, the run its description.
 */
export type ParamField = {
  name: string;
  /** What a person reads beside the control (the form's accessible name). */
  label: string;
  /** One sentence: what it does and which way is "more". */
  help: string;
  /** The command-line flag, without `--` (default: the name in kebab case). */
  flag?: string;
  /** 'model' fields shape the model; 'training' fields steer the optimiser (the form groups them). */
  group: 'model' | 'training';
  /** Changing it makes a new architecture in the registry (not a retrain): layer widths, depth… */
  architecture?: boolean;
  /** Shown (and used) only for this task, e.g. class weights for classification. */
  task?: Task;
  /** Shown only while another field holds one of these values (the decay factor of a step schedule). */
  when?: { field: string; in: readonly string[] };
} & (
  | { type: 'int'; default: number; min: number; max: number | 'rows' }
  | { type: 'float'; default: number; min: number; max: number; step?: number }
  | { type: 'choice'; default: string; choices: readonly string[]; choiceLabels?: Readonly<Record<string, string>> }
  | { type: 'bool'; default: boolean }
  | { type: 'int-list'; default: number[]; min: number; max: number; minLength: number }
);

/** The sizes a family's validation can check a configuration against. */
export interface FitContext {
  task: Task;
  inputSize: number;
  classes: number;
  rows: number;
  /** Bytes the device allows for training state. */
  memoryBudget: number;
}

export type { FitCallbacks } from '../contracts/fit.ts';
import type { FitCallbacks } from '../contracts/fit.ts';

/** A family's fit: the model, its per-epoch (or per-round) history and how it ended. */
export interface FitOutcome {
  model: TrainedModel;
  history: EpochRecord[];
  status: RunRecord['status'];
  message?: string;
  bestEpoch?: number;
  samplesPerSecond: number;
  durationMs: number;
}

/** What a fit receives: the fitted preprocessing and the encoded train and validation sets. */
export interface FitInput {
  pre: Preprocessor;
  task: Task;
  train: EncodedSet;
  validation: EncodedSet;
  seed: number;
}

/**
 * A model family: everything Benchtop knows about one kind of model, in one module. Registered once
 * in `FAMILIES` (registry.ts); the train form, the command line, validation, tuning and run names
 * read it. `P` is the family's own parameter record (its fields' names and types).
 */
export interface ModelFamily<P extends Params = Params, S = unknown> {
  kind: string;
  /** Display name ("Random forest"). */
  label: string;
  /** Two or three sentences for the form's help: what it is, when it does well, what it costs. */
  description: string;
  tasks: readonly Task[];
  /** 'network' families train with tfjs and export to ONNX; 'classical' ones fit in plain TypeScript. */
  engine: 'network' | 'classical';
  fields: readonly ParamField[];
  /** The default hyperparameter search space (`path` = a field name). */
  searchSpace: SearchSpace;
  /** Checks beyond each field's own range (image-shaped inputs, a memory budget…); null when fine. */
  validate?(params: P, ctx: FitContext): Problem | null;
  /** A short name of a configuration, for run names and tables ("Forest 50×d6"). */
  describe(params: P): string;
  /** Which exports the fitted model supports. */
  exports: { onnx: boolean; tfjs: boolean };
  fit(params: P, input: FitInput, cb: FitCallbacks): Promise<FitOutcome>;
  /**
   * Classical families: raw outputs of a fitted state on encoded rows (row-major n × d) — class
   * probabilities (n × k) or standardised regression values (n). Networks predict through tfjs.
   */
  predictState?(state: S, X: Float32Array, n: number, d: number): Float64Array;
  /** Classical families: the fitted state from plain arrays (what `fit` runs, without the history). */
  fitState?(params: P, data: ClassicalData): S;
}

/** Scores the model fitted so far on encoded rows (called per round by forests and boosting). */
export type RoundPredict = (X: Float32Array, n: number) => Float64Array;

/** What a classical family's fit receives: encoded rows, labels (class index or standardised target). */
export interface ClassicalData {
  X: Float32Array;
  y: ArrayLike<number>;
  n: number;
  d: number;
  task: Task;
  /** Classes (classification), 1 for regression. */
  classes: number;
  seed: number;
}
