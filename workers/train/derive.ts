// Models derived from a run's model, each saved as a new run: calibrated, compressed, fine-tuned,
// distilled — one verb over the core's derive-operation table, the parent read by id.
import type { RunWithModel } from '../../src/core/pipeline/derive-run.ts';
import { deriveRun } from '../../src/core/pipeline/derive-run.ts';
import type { DeriveKind, DeriveOp } from '../../src/core/pipeline/derive-op.ts';
import type { Result } from '../../src/core/util/result.ts';
import { ok } from '../../src/core/util/result.ts';
import { overTable, type TrainContext } from './context.ts';
import { unshared } from '../../src/core/model/model-buffers.ts';
import type { RunRef } from './run-cache.ts';

/** How each operation's throw is reported, and whether it is a training-like job (one at a time). */
const FAILURES: { readonly [K in DeriveKind]: { kind: string; prefix: string; exclusive: boolean } } = Object.freeze({
  calibrate: { kind: 'calibration-failed', prefix: 'Calibration failed', exclusive: false },
  compress: { kind: 'compression-failed', prefix: 'Compression failed', exclusive: false },
  'fine-tune': { kind: 'fine-tune-failed', prefix: 'Fine-tuning failed', exclusive: true },
  distill: { kind: 'distillation-failed', prefix: 'Distillation failed', exclusive: true },
});

/** Derivation methods of the worker API. */
export function deriveApi(ctx: TrainContext) {
  const run = async (ref: RunRef, op: DeriveOp, newRunId: string): Promise<Result<RunWithModel>> => {
    const parent = await ctx.runs.resolve(ref);
    if (!parent.ok) return parent;
    const failure = FAILURES[op.kind];
    const job = () =>
      overTable(ctx, parent.value.run.dataset.id, failure, async (t) => {
        const modelOf = async (id: string) => {
          const r = await ctx.runs.get(id);
          return r.ok ? r.value.model : undefined;
        };
        const r = await deriveRun(parent.value, op, { table: t.table, runId: newRunId, modelOf });
        if (!r.ok) return r;
        // A calibrated child shares its parent's weights: copy those the cache keeps, so all can be transferred.
        return ok({ run: r.value.run, model: unshared(r.value.model, ctx.runs.holds) }, r.warnings);
      });
    return failure.exclusive ? ctx.exclusive(job) : job();
  };

  return {
    /**
     * Makes a new run and model from the stored run `parentRunId` by one derive operation (calibrate,
     * compress, fine-tune, distill; see core/pipeline/derive-run.ts), scored on the parent's dataset.
     * The parent (and a distillation teacher) are read by id through the run source and cached. The
     * model's buffers are the caller's own (none is a cached parent's), so the worker entry transfers
     * them. Fails `not-found` for an unknown run, `not-loaded` when its dataset is not loaded, and
     * `<op>-failed` (`calibration-failed`, …) when the core throws; fine-tuning and distillation are
     * training-like jobs (`busy` while another runs).
     * @example await api.derive('run-1', { kind: 'compress', spec: { method: 'int8' } }, 'run-2')
     */
    async derive(parentRunId: string, op: DeriveOp, newRunId: string): Promise<Result<RunWithModel>> {
      return run(parentRunId, op, newRunId);
    },

    /**
     * `derive` from a run and model the caller holds (a lesson's run that was never stored).
     * Same failures as `derive`.
     */
    async deriveFrom(parent: RunWithModel, op: DeriveOp, newRunId: string): Promise<Result<RunWithModel>> {
      return run(parent, op, newRunId);
    },
  };
}
