import type { EpochRecord, TrainProgress } from './run-record.ts';

/**
 * Progress and cancellation, which every family reports. Network families accept the trainer's larger
 * `TrainCallbacks` (src/core/model/train-model.ts), which add the recipes of derived models
 * (fine-tuning, distillation, QAT, pruning).
 */
export interface FitCallbacks {
  /** Called while fitting (per batch for networks, per round for ensembles of trees). */
  onProgress?: (p: TrainProgress) => void;
  /** Called after each epoch or logged round with train and validation metrics. */
  onEpoch?: (e: EpochRecord) => void;
  /** Polled between batches or rounds; returning true stops fitting. */
  isCancelled?: () => boolean;
  /** Cap on training rows scored per epoch or round (the full set when smaller; default 20,000). */
  trainEvalRows?: number;
}
