/** What a model version carries besides its weights: a calibrator, compression info, data expectations. */

/**
 * Post-hoc calibrators, fitted on the validation split only and saved with the model:
 * - temperature scaling (Guo et al. 2017): softmax(log p / T), one T minimizing validation NLL —
 *   the argmax, hence accuracy, never changes;
 * - Platt scaling (Platt 1999), binary: σ(a·logit(p) + b), with Platt's smoothed targets as in
 *   scikit-learn's `CalibratedClassifierCV(method='sigmoid')`;
 * - isotonic regression (Zadrozny & Elkan 2002) by pool-adjacent-violators, one-vs-rest for k > 2,
 *   renormalized;
 * - histogram binning (Zadrozny & Elkan 2001): the observed frequency of each probability bin.
 */
export type Calibrator =
  | { method: 'temperature'; temperature: number }
  | { method: 'platt'; a: number; b: number }
  | { method: 'isotonic'; curves: { x: number[]; y: number[] }[] }
  | { method: 'histogram'; curves: { edges: number[]; values: number[] }[] };

export type CalibrationMethod = Calibrator['method'];

/** How a tensor is quantized to integers: q = clamp(round(x / scale) + zeroPoint). */
export interface QuantParams {
  bits: 8;
  symmetric: boolean;
  /** Per output channel (last axis) or one scale for the whole tensor. */
  perChannel: boolean;
  /** One scale (and zero point) per channel, or one in all. */
  scale: number[];
  zeroPoint: number[];
  /** Signed int8 for symmetric, unsigned uint8 for asymmetric (as ONNX QDQ conventions). */
  signed: boolean;
}

export type CompressionMethod = 'fp16' | 'int8' | 'int8-static' | 'binary' | 'prune' | 'lowrank' | 'distill';

export interface CompressionSpec {
  method: CompressionMethod;
  /** int8: one scale per output channel (else per tensor), symmetric int8 (else asymmetric uint8). */
  perChannel?: boolean;
  symmetric?: boolean;
  /** prune: fraction of kernel weights set to zero, over all layers at once or in each layer. */
  sparsity?: number;
  scope?: 'global' | 'layer';
  /** int8-static: how activation ranges are estimated, and how many training rows calibrate them. */
  rangeMethod?: 'minmax' | 'percentile' | 'entropy';
  calibrationRows?: number;
  /** When the weights were fine-tuned first (QAT or pruning with training): how. */
  fineTune?: { method: 'qat' | 'prune'; epochs: number; learningRate: number; sparsity?: number; gradual?: boolean };
  /** lowrank: a fixed rank, or the smallest rank keeping this fraction of the spectrum's energy. */
  rank?: number;
  energy?: number;
}

/** What a compressed model costs and keeps; saved with it. */
export interface CompressionInfo {
  method: CompressionMethod;
  spec: CompressionSpec;
  /** Bytes of the float32 weights of the parent, and of this model as it would be stored. */
  parentBytes: number;
  storedBytes: number;
  /** gzip of the stored weights (zeros and repeated values compress). */
  gzipBytes: number;
  params: number;
  nonzero: number;
  sparsity: number;
  /** int8: quantization of each kernel (for QDQ export). */
  quant?: Record<string, QuantParams>;
  /** int8-static: the uint8 quantization of each dense layer's input. */
  activations?: Record<string, { scale: number; zeroPoint: number; min: number; max: number }>;
  /** lowrank: the rank chosen per layer. */
  ranks?: Record<string, number>;
}

/**
 * Data expectations: declarative checks saved with a model version and run on new data (in the
 * spirit of Great Expectations). Each yields pass/fail, the observed value, the failing share and up
 * to five example rows (1-based, as a spreadsheet shows them).
 */
export type Expectation =
  | { kind: 'column-exists'; column: string; type?: 'numeric' | 'categorical' | 'boolean' | 'date' | 'text' }
  | { kind: 'not-null'; column: string; mostly?: number }
  | { kind: 'in-set'; column: string; values: string[]; mostly?: number }
  | { kind: 'between'; column: string; min?: number; max?: number; mostly?: number }
  | { kind: 'matches'; column: string; pattern: string; mostly?: number }
  | { kind: 'unique'; column: string }
  | { kind: 'greater-than'; column: string; other: string; orEqual?: boolean; mostly?: number }
  | { kind: 'mean-between'; column: string; min: number; max: number }
  | { kind: 'quantile-between'; column: string; quantile: number; min: number; max: number };
