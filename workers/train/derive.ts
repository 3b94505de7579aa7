// Models derived from a run's model, each saved as a new run: calibrated, compressed, fine-tuned, distilled.
import { calibrateRun } from '../../src/core/calibration/calibrate-model.ts';
import type { CalibrationMethod } from '../../src/core/calibration/calibrators.ts';
import { compressRun } from '../../src/core/compression/compress-run.ts';
import type { CompressionSpec } from '../../src/core/compression/compress.ts';
import { distillRun } from '../../src/core/compression/distill.ts';
import { fineTuneRun, type FineTuneSpec } from '../../src/core/compression/fine-tune.ts';
import type { Table } from '../../src/core/data/table.ts';
import type { RunRecord, TrainedModel } from '../../src/core/model/spec.ts';
import type { Result } from '../../src/core/util/result.ts';
import { overTable, type TrainContext } from './context.ts';

type Derived = Result<{ run: RunRecord; model: TrainedModel }>;

/** Derivation methods of the worker API. */
export function deriveApi(ctx: TrainContext) {
  // Every derivation reads the run's own dataset and wraps a throw as `<kind>-failed`.
  const derive = (
    run: RunRecord,
    kind: string,
    prefix: string,
    f: (table: Table) => Promise<Derived>,
  ): Promise<Derived> => overTable(ctx, run.dataset.id, { kind, prefix }, (t) => f(t.table));

  return {
    /** Fits a calibrator on the run's validation split and returns the calibrated model as a new run. */
    async calibrate(run: RunRecord, model: TrainedModel, method: CalibrationMethod, runId: string): Promise<Derived> {
      return derive(run, 'calibration-failed', 'Calibration failed', (table) =>
        calibrateRun(run, model, table, method, { runId }),
      );
    },

    /** Compresses a run's network and scores it on the run's splits, as a new run. */
    async compress(run: RunRecord, model: TrainedModel, spec: CompressionSpec, runId: string): Promise<Derived> {
      return derive(run, 'compression-failed', 'Compression failed', (table) =>
        compressRun(run, model, table, spec, { runId }),
      );
    },

    /** Compression with fine-tuning (QAT, or pruning while training) from a run's weights. */
    async fineTune(run: RunRecord, model: TrainedModel, spec: FineTuneSpec, runId: string): Promise<Derived> {
      return ctx.exclusive(() =>
        derive(run, 'fine-tune-failed', 'Fine-tuning failed', (table) =>
          fineTuneRun(run, model, table, spec, { runId }),
        ),
      );
    },

    /** Distils a smaller student MLP from a run's model (any family, ensembles too). */
    async distill(
      run: RunRecord,
      teacher: TrainedModel,
      opts: { hidden: number[]; temperature: number; alpha: number; epochs?: number },
      runId: string,
    ): Promise<Derived> {
      const spec = {
        student: { hidden: opts.hidden },
        temperature: opts.temperature,
        alpha: opts.alpha,
        epochs: opts.epochs,
      };
      return ctx.exclusive(() =>
        derive(run, 'distillation-failed', 'Distillation failed', (table) =>
          distillRun(run, teacher, table, spec, { runId }),
        ),
      );
    },
  };
}
