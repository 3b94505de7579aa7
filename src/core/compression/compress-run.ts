import type { Table } from '../data/table.ts';
import type { RunRecord, TrainedModel } from '../model/spec.ts';
import { prepareRunSplits } from '../pipeline/run-splits.ts';
import { scoreRun } from '../pipeline/score-run.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import { compressModel, type CompressionSpec } from './compress.ts';
import { staticInt8 } from './static-int8.ts';

const NAMES = {
  fp16: 'float16',
  int8: 'int8',
  'int8-static': 'static int8',
  binary: 'binary',
  prune: 'pruned',
  lowrank: 'low-rank',
  distill: 'distilled',
} as const;

/**
 * Compresses a run's network and scores the result on the run's own splits — metrics, per-slice
 * accuracy, calibration (ECE) — as a new run whose `compression.parentRunId` points to the original.
 */
export async function compressRun(
  run: RunRecord,
  model: TrainedModel,
  table: Table,
  spec: CompressionSpec,
  ids: { runId: string },
  calibration?: { X: Float32Array; n: number },
): Promise<Result<{ run: RunRecord; model: TrainedModel }>> {
  const p = prepareRunSplits(run, table);
  if (!p.ok) return p;
  // Static int8 calibrates activation ranges on rows of the training split.
  const calX = calibration?.X ?? p.value.train.X;
  const calRows = Math.min(spec.calibrationRows ?? 256, calibration?.n ?? p.value.train.y.length);
  const c =
    spec.method === 'int8-static'
      ? await staticInt8(model, calX, calRows, spec.rangeMethod ?? 'minmax')
      : compressModel(model, spec);
  if (!c.ok) return c;
  const { train, validation, test } = p.value;
  const pre = model.preprocessor;
  const m = c.value.model;
  if (p.value.pre.inputSize !== pre.inputSize)
    return fail({
      kind: 'mismatch',
      message: 'The dataset no longer encodes to the inputs this model was trained on.',
    });
  // The rebuilt sets have the model's width; they are scored as the model's own encoding.
  const splits = { table, pre, train, validation, test };
  const scores = await scoreRun(splits, m, { seed: run.config.seed, reference: model });
  if (!scores.ok) return scores;
  const { metrics, slices, fingerprint, ece } = scores.value;
  const newRun: RunRecord = {
    ...run,
    id: ids.runId,
    name:
      `${run.name} · ${NAMES[spec.method]}` +
      (spec.method === 'prune' ? ` ${Math.round((spec.sparsity ?? 0.5) * 100)}%` : ''),
    createdAt: new Date().toISOString(),
    status: 'finished',
    metrics,
    slices,
    compression: { parentRunId: run.id, info: c.value.info, ece },
    fingerprint,
    evaluation: undefined,
    message:
      `Compressed from "${run.name}" ` +
      `(${NAMES[spec.method]}): ${(c.value.info.storedBytes / 1024).toFixed(1)} KB stored ` +
      `vs ${(c.value.info.parentBytes / 1024).toFixed(1)} KB float32.`,
    samples: undefined,
  };
  return ok({ run: newRun, model: m }, c.warnings);
}
