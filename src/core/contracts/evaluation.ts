/** Evaluation contracts: metric, curve, slice and behavioural-test results, and the report kept with a run. */
import type { Problem } from './problem.ts';

export interface Interval {
  estimate: number;
  lo: number;
  hi: number;
  level: number;
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  perClass: ClassScores[];
  macro: Omit<ClassScores, 'support'>;
  micro: Omit<ClassScores, 'support'>;
  weighted: Omit<ClassScores, 'support'>;
  accuracy: number;
  /** Mean recall over classes present in the truth (scikit-learn's `balanced_accuracy_score`). */
  balancedAccuracy: number;
  /** Matthews correlation coefficient, multi-class form (Gorodkin 2004), as scikit-learn's `matthews_corrcoef`. */
  mcc: number;
}

/** A curve over decision thresholds (descending), with its area. */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
  auc: number;
}

export interface PrCurve {
  precision: number[];
  recall: number[];
  thresholds: number[];
  /** Σ (Rₙ − Rₙ₋₁) Pₙ, scikit-learn's `average_precision_score` (no interpolation). */
  averagePrecision: number;
}

export interface Bin {
  lo: number;
  hi: number;
  count: number;
  /** Mean predicted probability (confidence) of the rows in the bin. */
  confidence: number;
  /** Observed frequency of the event (accuracy, for top-label bins). */
  frequency: number;
}

export interface CalibrationSummary {
  /** Expected calibration error, top label, uniform bins (Guo et al. 2017): Σ_b |B|/n · |acc(B) − conf(B)|. */
  ece: number;
  /** Maximum calibration error: max_b |acc(B) − conf(B)| over non-empty bins. */
  mce: number;
  /** ECE with equal-count bins (adaptive ECE, Nixon et al. 2019). */
  adaptiveEce: number;
  /** Class-wise ECE (Kull et al. 2019): mean over classes of the binned |freq − p| of that class's probability. */
  classwiseEce: number;
  /**
   * Brier score (multi-class sum) and its Murphy decomposition over classes: reliability − resolution + uncertainty.
   */
  brier: number;
  reliability: number;
  resolution: number;
  uncertainty: number;
  bins: Bin[];
  binsEqualCount: Bin[];
}

/** A condition on one column: a value, or a numeric range min ≤ x < max. */
export type SliceCondition =
  { column: string; op: 'eq'; value: string } | { column: string; op: 'range'; min: number; max: number };

/** A slice the person defines: all conditions hold (a cross of features when there are several). */
export interface SliceDefinition {
  name?: string;
  conditions: SliceCondition[];
}

export interface SliceResult {
  name: string;
  conditions: SliceCondition[];
  size: number;
  metric: 'accuracy' | 'rmse';
  value: number;
  interval: Interval;
  /** value − the overall value (negative accuracy gap / positive RMSE gap = worse). */
  gap: number;
  /** Effect size of the per-row loss inside vs outside (positive = worse inside). */
  effectSize: number;
  pValue: number;
  /** Benjamini–Hochberg adjusted p-value over every slice tested. */
  adjustedP: number;
  /** Table rows in the slice (first 5,000), to open them. */
  rows: number[];
}

/** Behavioural tests (Ribeiro et al. 2020, CheckList), saved with a model version and rerun on new ones. */
export type BehaviourTest =
  | { kind: 'perturbation'; strengths: number[]; swapCategories: boolean }
  | { kind: 'invariance'; column: string }
  | { kind: 'directional'; column: string; delta: number; target: string; expect: 'increase' | 'decrease' };

export interface Example {
  row: number;
  before: string;
  after: string;
  change: string;
}

export type BehaviourResult =
  | { kind: 'perturbation'; strengths: number[]; metric: 'accuracy' | 'rmse'; values: number[]; note: string }
  | { kind: 'invariance'; column: string; changedRate: number; tested: number; examples: Example[]; note: string }
  | {
      kind: 'directional';
      column: string;
      target: string;
      expect: 'increase' | 'decrease';
      violationRate: number;
      tested: number;
      examples: Example[];
      note: string;
    };

export interface ClassificationEvaluation {
  task: 'classification';
  classes: string[];
  n: number;
  report: ClassificationReport;
  confusion: number[];
  confusionNormalized: number[];
  logLoss: number;
  brier: number;
  auc: { perClass: number[]; macro: number; weighted: number };
  /** ROC and PR curves: the positive class for binary, one per class otherwise (thinned to ≤ 200 points). */
  roc: (RocCurve & { label: string })[];
  pr: (PrCurve & { label: string })[];
  calibration: CalibrationSummary;
  intervals: Record<'accuracy' | 'balancedAccuracy' | 'macroF1' | 'auc' | 'logLoss', Interval>;
  /** Accuracy of the predictions kept when abstaining below each confidence threshold. */
  coverage: { threshold: number; coverage: number; accuracy: number }[];
  /** Misclassified rows, most confident first. */
  errors: {
    row: number;
    label: string;
    prediction: string;
    confidence: number;
    input: Record<string, string | null>;
  }[];
}

export interface RegressionEvaluation {
  task: 'regression';
  n: number;
  mae: number;
  rmse: number;
  r2: number;
  mape: number;
  intervals: Record<'mae' | 'rmse' | 'r2', Interval>;
  /** (prediction, residual) of up to 2,000 rows, for the residual plot. */
  residuals: { predicted: number[]; residual: number[] };
  errors: { row: number; label: string; prediction: string; residual: number; input: Record<string, string | null> }[];
}

export interface Evaluation {
  dataset: string;
  rows: number;
  metrics: ClassificationEvaluation | RegressionEvaluation;
  slices: SliceResult[];
  foundSlices: SliceResult[];
  notes: Problem[];
}

/**
 * An evaluation report of one run/version: kept with the run (so the registry and model card see it), exported as HTML
 * or JSON.
 */
export interface EvaluationReport {
  format: 'benchtop-evaluation@1';
  runId: string;
  runName: string;
  createdAt: string;
  split: 'test' | 'validation' | 'all' | 'file';
  evaluation: Evaluation;
  behaviour: { test: BehaviourTest; result: BehaviourResult | { error: string } }[];
  /** Predictions below this confidence are abstentions (null = always predict). */
  abstainBelow: number | null;
}
