import type { CalibrationMethod, CompressionSpec } from '../contracts/attachments.ts';

/**
 * An operation that makes a new model version from a parent run's model. Each kind is one entry of
 * the derive-operation registry (`src/core/pipeline/derive-run.ts`); the app, the worker's `derive`
 * verb and the command line all pass one of these.
 */
export type DeriveOp =
  /** Post-hoc calibration fitted on the validation split. */
  | { kind: 'calibrate'; method: CalibrationMethod }
  /** Post-training compression (fp16, int8, static int8, binary, pruning, low rank). */
  | { kind: 'compress'; spec: CompressionSpec }
  /** Fine-tuning recipes: quantization-aware training then int8, or pruning while fine-tuning. */
  | {
      kind: 'fine-tune';
      method: 'qat' | 'prune';
      epochs: number;
      learningRate: number;
      sparsity?: number;
      gradual?: boolean;
    }
  /** A student MLP trained on the teacher's softened probabilities (the teacher: the parent, or another run). */
  | {
      kind: 'distill';
      hidden: number[];
      temperature: number;
      alpha: number;
      epochs?: number;
      learningRate?: number;
      teacherRunId?: string;
    };

export type DeriveKind = DeriveOp['kind'];
