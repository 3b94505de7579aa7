/** Data contracts: how inputs are encoded (the preprocessor saved with every model) and how rows are split. */

export type NumericParse = 'numeric' | 'date' | 'boolean';

/** One input column's transform, fitted on the training split. */
export type FeatureTransform =
  /**
   * Impute missing with the training mean, then standardize: (x − mean) / std (population std, like scikit-learn's
   * StandardScaler).
   */
  | { kind: 'numeric'; column: string; parse: NumericParse; mean: number; std: number }
  /**
   * One-hot over the training categories (sorted); missing → the most frequent training category;
   * unseen → all zeros.
   */
  | { kind: 'onehot'; column: string; categories: string[]; fill: string };

export type LabelEncoding =
  | { task: 'classification'; column: string; classes: string[] }
  /** Targets are standardized for training and mapped back for reporting. */
  | { task: 'regression'; column: string; mean: number; std: number };

/** Preprocessing is part of the model: saved beside the weights, applied identically at inference. */
export interface Preprocessor {
  format: 'benchtop-preprocessor@1';
  features: FeatureTransform[];
  label: LabelEncoding;
  /** Width of the encoded feature matrix. */
  inputSize: number;
  /** Name of each encoded input (`col` or `col=value`). */
  inputNames: string[];
}

export type Task = 'classification' | 'regression';

export type SplitKind = 'random' | 'stratified' | 'time';

export interface SplitSpec {
  kind: SplitKind;
  /** Fractions for train / validation / test; they must sum to 1. */
  fractions: [number, number, number];
  seed: number;
  /** Column that orders rows for a time split (a date or numeric column). */
  timeColumn?: string;
}
