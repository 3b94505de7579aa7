/** Model contracts: a trained model as a union on `kind`, each variant carrying what it needs to predict. */
import type { Calibrator, CompressionInfo } from './attachments.ts';
import type { Preprocessor } from './data.ts';

/** tfjs artifacts as plain data: the topology JSON and one weights buffer (`model.json` + `weights.bin`). */
export interface ModelArtifacts {
  modelTopology: object;
  weightSpecs: { name: string; shape: number[]; dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64' }[];
  weightData: ArrayBuffer;
}

/** A classical model's fitted state as plain JSON (trees, neighbours, class statistics, weights). */
export interface ClassicalState<S = unknown> {
  /** The family that fitted it and reads it back (a key of the families registry). */
  family: string;
  state: S;
}

export type EnsembleMethod = 'vote-hard' | 'vote-soft' | 'stack' | 'bag' | 'adaboost';

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

/** An ONNX graph the person brought, or one made from another (static int8): run by onnxruntime. */
export interface OnnxGraph {
  bytes: ArrayBuffer;
  input: string;
  output: string;
  file: string;
}

/** What every model carries: the preprocessing that runs before it, and optional attachments. */
interface ModelBase {
  preprocessor: Preprocessor;
  /** A post-hoc probability calibrator applied to the outputs (fitted on validation). */
  calibrator?: Calibrator;
  /** For a compressed network: how it was compressed and what it costs stored (weights are dequantized). */
  compression?: CompressionInfo;
}

export interface NetworkModel extends ModelBase {
  kind: 'network';
  artifacts: ModelArtifacts;
}
export interface ClassicalModel extends ModelBase {
  kind: 'classical';
  classical: ClassicalState;
}
export interface EnsembleModel extends ModelBase {
  kind: 'ensemble';
  ensemble: EnsembleState;
}
export interface OnnxModel extends ModelBase {
  kind: 'onnx';
  onnx: OnnxGraph;
}

/**
 * A trained model: a tfjs network, a classical model, an ensemble of other models, or an ONNX graph.
 * Plain data (goes to IndexedDB, `model.json` and bundles); narrow on `kind`.
 */
export type TrainedModel = NetworkModel | ClassicalModel | EnsembleModel | OnnxModel;
export type ModelKindTag = TrainedModel['kind'];
