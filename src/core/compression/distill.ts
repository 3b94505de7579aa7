import { inferSchema, withRole } from '../data/schema.ts';
import type { Table } from '../data/table.ts';
import { calibrationSummary } from '../calibration/reliability.ts';
import { predictAnyRows } from '../ensemble/ensemble.ts';
import { disposeModel, modelToArtifacts } from '../model/artifacts.ts';
import { prepareData } from '../model/prepare.ts';
import { predictMatrix } from '../model/predict-table.ts';
import { FINGERPRINT_ROWS, sliceScores } from '../model/run-training.ts';
import type { RunRecord, TrainConfig, TrainedModel } from '../model/spec.ts';
import type { NetworkSpec } from '../model/network-spec.ts';
import { configFor } from '../families/config.ts';
import { networkSpec } from '../families/network-family.ts';
import { splitMetrics } from '../model/split-metrics.ts';
import { trainModel } from '../model/train-model.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';

/**
 * Knowledge distillation (Hinton, Vinyals & Dean 2015): a smaller student network is trained on the
 * training split against a mix of the teacher's temperature-softened probabilities (scaled by T²) and
 * the true labels. The teacher can be any trained model — a network, a forest, an ensemble. The
 * student is scored like a compressed child of `parentRun` (size, accuracy, slices, ECE).
 */
export async function distillRun(
  parentRun: RunRecord,
  teacher: TrainedModel,
  table: Table,
  opts: {
    student: Partial<Pick<NetworkSpec, 'hidden' | 'activation'>>;
    temperature: number;
    alpha: number;
    epochs?: number;
    learningRate?: number;
  },
  ids: { runId: string },
): Promise<Result<{ run: RunRecord; model: TrainedModel }>> {
  if (parentRun.task !== 'classification')
    return fail({
      kind: 'bad-config',
      message: 'Distillation here is for classifiers (it matches class probabilities).',
    });
  if (!(opts.temperature > 0) || !(opts.alpha >= 0 && opts.alpha <= 1))
    return fail({
      kind: 'bad-config',
      column: 'temperature',
      message: 'Temperature must be positive and α between 0 and 1.',
    });
  const schema = withRole(inferSchema(table, parentRun.label), parentRun.label, 'label');
  const p = prepareData(table, schema, parentRun.split, parentRun.dataset.name, parentRun.task);
  if (!p.ok) return p;
  const { pre, train, validation, test } = p.value;
  const soft = await predictAnyRows(teacher, table, train.rows);
  if (!soft.ok) return soft;
  // The student is an MLP trained with the parent's optimiser settings where it was a network.
  const base = networkSpec('mlp', parentRun.config.params, parentRun.config.seed);
  const spec: NetworkSpec = {
    ...base,
    epochs: opts.epochs ?? base.epochs,
    learningRate: opts.learningRate ?? base.learningRate,
    earlyStoppingPatience: 0,
    dropout: 0,
    hidden: opts.student?.hidden ?? (base.hidden.length ? base.hidden : [128, 64]),
    activation: opts.student?.activation ?? base.activation,
  };
  const config: TrainConfig = configFor('mlp', { ...spec }, spec.seed);
  const outcome = await trainModel(pre, train, validation, spec, {
    distill: { targets: Float32Array.from(soft.value), temperature: opts.temperature, alpha: opts.alpha },
  });
  let student: TrainedModel;
  try {
    student = { kind: 'network', artifacts: await modelToArtifacts(outcome.model), preprocessor: pre };
  } finally {
    disposeModel(outcome.model);
  }
  const k = pre.label.task === 'classification' ? pre.label.classes.length : 1;
  const score = async (m: TrainedModel, set: typeof train) =>
    splitMetrics(pre, await predictMatrix(m, set.X, set.y.length), set.y);
  const valOut = await predictMatrix(student, validation.X, validation.y.length);
  const evalSet = test.y.length ? test : validation;
  const teacherOut = await predictAnyRows(teacher, table, evalSet.rows);
  const params = student.artifacts.weightData.byteLength / 4;
  const parentBytes = teacher.kind === 'network' ? teacher.artifacts.weightData.byteLength : NaN;
  const nFp = Math.min(FINGERPRINT_ROWS, validation.y.length);
  const run: RunRecord = {
    ...parentRun,
    id: ids.runId,
    name: `${parentRun.name} · distilled (MLP ${spec.hidden.join('-')}, T=${opts.temperature})`,
    createdAt: new Date().toISOString(),
    status: outcome.status === 'cancelled' ? 'cancelled' : 'finished',
    config,
    history: outcome.history,
    metrics: {
      train: await score(student, train),
      validation: splitMetrics(pre, valOut, validation.y),
      test: test.y.length ? await score(student, test) : undefined,
    },
    slices: sliceScores(pre, table, validation, valOut),
    compression: {
      parentRunId: parentRun.id,
      info: {
        method: 'distill',
        spec: { method: 'distill' },
        parentBytes,
        storedBytes: params * 4,
        gzipBytes: params * 4,
        params,
        nonzero: params,
        sparsity: 0,
      },
      ece: teacherOut.ok
        ? {
            before: calibrationSummary(evalSet.y, teacherOut.value, k).ece,
            after: calibrationSummary(evalSet.y, await predictMatrix(student, evalSet.X, evalSet.y.length), k).ece,
          }
        : undefined,
    },
    fingerprint: {
      rows: Array.from(validation.rows.subarray(0, nFp)),
      outputs: Array.from(valOut.subarray(0, nFp * k)),
    },
    evaluation: undefined,
    samples: undefined,
    message: `Distilled from "${parentRun.name}" at T=${opts.temperature}, α=${opts.alpha}.`,
  };
  return ok({ run, model: { ...student, compression: run.compression!.info } });
}
