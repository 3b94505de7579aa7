import { calibrateRun } from '../calibration/calibrate-model.ts';
import { compressRun } from '../compression/compress-run.ts';
import { distillRun } from '../compression/distill.ts';
import { fineTuneRun } from '../compression/fine-tune.ts';
import type { TrainedModel } from '../contracts/model.ts';
import type { RunRecord } from '../contracts/run-record.ts';
import type { Table } from '../data/table.ts';
import type { Result } from '../util/result.ts';
import { assert, fail } from '../util/result.ts';
import type { DeriveKind, DeriveOp } from './derive-op.ts';
import { derivationOf } from './provenance.ts';

/** A parent run with its model. */
export interface RunWithModel {
  run: RunRecord;
  model: TrainedModel;
}

/** What a derive operation may read: the parent's dataset, the new run's id, other runs' models. */
export interface DeriveContext {
  table: Table;
  runId: string;
  /** Another run's model (a distillation teacher); undefined when there is none with that id. */
  modelOf?: (runId: string) => Promise<TrainedModel | undefined>;
  /** Static int8: rows to calibrate activation ranges on (default: the training split). */
  calibration?: { X: Float32Array; n: number };
}

type Handler<K extends DeriveKind> = (
  parent: RunWithModel,
  op: Extract<DeriveOp, { kind: K }>,
  ctx: DeriveContext,
) => Promise<Result<RunWithModel>>;

/**
 * The derive operations, one entry each: every model made from another (a calibrated, compressed,
 * fine-tuned or distilled version) goes through this table, from the app's worker, the command line
 * and tests alike.
 */
export const DERIVE_OPS: { readonly [K in DeriveKind]: Handler<K> } = Object.freeze({
  calibrate: (p, op, ctx) => calibrateRun(p.run, p.model, ctx.table, op.method, { runId: ctx.runId }),
  compress: (p, op, ctx) => compressRun(p.run, p.model, ctx.table, op.spec, { runId: ctx.runId }, ctx.calibration),
  'fine-tune': (p, { kind: _k, ...spec }, ctx) => fineTuneRun(p.run, p.model, ctx.table, spec, { runId: ctx.runId }),
  async distill(p, op, ctx) {
    const teacher = op.teacherRunId ? await ctx.modelOf?.(op.teacherRunId) : p.model;
    if (!teacher)
      return fail({
        kind: 'not-found',
        message: `No model for teacher run ${op.teacherRunId}; train or import it first.`,
      });
    const spec = {
      student: { hidden: op.hidden },
      temperature: op.temperature,
      alpha: op.alpha,
      epochs: op.epochs,
      learningRate: op.learningRate,
    };
    return distillRun(p.run, teacher, ctx.table, spec, { runId: ctx.runId });
  },
});

/**
 * Makes a new run and model from a parent by one derive operation, with the new run's lineage
 * (`calibration.parentRunId` / `compression.parentRunId`), its `derivation` (what was done, its duration),
 * scores and fingerprint (each operation scores
 * through `scoreRun`). Cost: that of the operation (calibration: predictions; fine-tuning and distillation:
 * training). Errors: the operation's (not a classifier, not a network, bad settings, an unknown teacher run).
 * @example await deriveRun({ run, model }, { kind: 'compress', spec: { method: 'int8' } }, { table, runId: 'r2' })
 */
export async function deriveRun(parent: RunWithModel, op: DeriveOp, ctx: DeriveContext): Promise<Result<RunWithModel>> {
  const handler = DERIVE_OPS[op.kind] as Handler<DeriveKind> | undefined;
  assert(handler, () => `deriveRun: no derive operation "${(op as { kind: string }).kind}"`);
  const started = performance.now();
  const r = await handler(parent, op, ctx);
  if (!r.ok) return r;
  // The new run records what was done and its own cost, not the parent's training time.
  const durationMs = performance.now() - started;
  const trained = op.kind === 'fine-tune' || op.kind === 'distill' ? r.value.run.history.length : undefined;
  const run = { ...r.value.run, durationMs, derivation: derivationOf(op, parent.run, durationMs, trained) };
  return { ...r, value: { ...r.value, run } };
}
