import type { Table } from '../data/table.ts';
import { disposeModel, modelToArtifacts } from '../model/artifacts.ts';
import { predictAny } from '../pipeline/predict-any.ts';
import { prepareRunSplits } from '../pipeline/run-splits.ts';
import { scoreRun } from '../pipeline/score-run.ts';
import type { RunRecord, TrainConfig, TrainedModel } from '../model/spec.ts';
import type { NetworkSpec } from '../model/network-spec.ts';
import { configFor } from '../families/index.ts';
import { networkSpec } from '../families/index.ts';
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
  const p = prepareRunSplits(parentRun, table);
  if (!p.ok) return p;
  const { pre, train, validation, test } = p.value;
  const soft = await predictAny(teacher, table, train.rows);
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
  const scores = await scoreRun({ table, pre, train, validation, test }, student, {
    seed: parentRun.config.seed,
    reference: teacher,
  });
  if (!scores.ok) return scores;
  const { metrics, slices, fingerprint, ece } = scores.value;
  const params = student.artifacts.weightData.byteLength / 4;
  const parentBytes = teacher.kind === 'network' ? teacher.artifacts.weightData.byteLength : NaN;
  const run: RunRecord = {
    ...parentRun,
    id: ids.runId,
    name: `${parentRun.name} · distilled (MLP ${spec.hidden.join('-')}, T=${opts.temperature})`,
    createdAt: new Date().toISOString(),
    status: outcome.status === 'cancelled' ? 'cancelled' : 'finished',
    config,
    history: outcome.history,
    metrics,
    slices,
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
      ece,
    },
    fingerprint,
    evaluation: undefined,
    samples: undefined,
    message: `Distilled from "${parentRun.name}" at T=${opts.temperature}, α=${opts.alpha}.`,
  };
  return ok({ run, model: { ...student, compression: run.compression!.info } });
}
