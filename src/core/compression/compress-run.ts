import { inferSchema, withRole } from '../data/schema.ts';
import type { Table } from '../data/table.ts';
import { calibrationSummary } from '../calibration/reliability.ts';
import { prepareData } from '../model/prepare.ts';
import { predictMatrix } from '../model/predict-table.ts';
import { sliceScores, FINGERPRINT_ROWS } from '../model/run-training.ts';
import type { RunRecord, TrainedModel } from '../model/spec.ts';
import { splitMetrics } from '../model/split-metrics.ts';
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
  const schema = withRole(inferSchema(table, run.label), run.label, 'label');
  const p = prepareData(table, schema, run.split, run.dataset.name, run.task);
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
  const score = async (mm: TrainedModel, set: typeof train) =>
    splitMetrics(pre, await predictMatrix(mm, set.X, set.y.length), set.y);
  const valOut = await predictMatrix(m, validation.X, validation.y.length);
  let ece: { before: number; after: number } | undefined;
  const evalSet = test.y.length ? test : validation;
  if (pre.label.task === 'classification') {
    const k = pre.label.classes.length;
    const before = calibrationSummary(evalSet.y, await predictMatrix(model, evalSet.X, evalSet.y.length), k).ece;
    const after = calibrationSummary(evalSet.y, await predictMatrix(m, evalSet.X, evalSet.y.length), k).ece;
    ece = { before, after };
  }
  const k = pre.label.task === 'classification' ? pre.label.classes.length : 1;
  const nFp = Math.min(FINGERPRINT_ROWS, validation.y.length);
  const newRun: RunRecord = {
    ...run,
    id: ids.runId,
    name: `${run.name} · ${NAMES[spec.method]}${spec.method === 'prune' ? ` ${Math.round((spec.sparsity ?? 0.5) * 100)}%` : ''}`,
    createdAt: new Date().toISOString(),
    status: 'finished',
    metrics: {
      train: await score(m, train),
      validation: splitMetrics(pre, valOut, validation.y),
      test: test.y.length ? await score(m, test) : undefined,
    },
    slices: sliceScores(pre, table, validation, valOut),
    compression: { parentRunId: run.id, info: c.value.info, ece },
    fingerprint: {
      rows: Array.from(validation.rows.subarray(0, nFp)),
      outputs: Array.from(valOut.subarray(0, nFp * k)),
    },
    evaluation: undefined,
    message: `Compressed from "${run.name}" (${NAMES[spec.method]}): ${(c.value.info.storedBytes / 1024).toFixed(1)} KB stored vs ${(c.value.info.parentBytes / 1024).toFixed(1)} KB float32.`,
    samples: undefined,
  };
  return ok({ run: newRun, model: m }, c.warnings);
}
