import type { Table } from '../data/table.ts';
import { disposeModel, modelToArtifacts } from '../model/artifacts.ts';
import { prepareRunSplits } from '../pipeline/run-splits.ts';
import type { RunRecord, TrainedModel } from '../model/spec.ts';
import { networkSpec } from '../families/index.ts';
import type { NeuralKind } from '../model/network-spec.ts';
import { trainModel } from '../model/train-model.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import { compressRun } from './compress-run.ts';

export interface FineTuneSpec {
  /** qat: quantization-aware fine-tuning then int8; prune: pruning held (or ramped) while fine-tuning. */
  method: 'qat' | 'prune';
  epochs: number;
  learningRate: number;
  sparsity?: number;
  /** Ramp sparsity up over the epochs with Zhu & Gupta's (2017) cubic schedule s·(1 − (1 − t/T)³). */
  gradual?: boolean;
}

/**
 * Compression with fine-tuning, on the run's own training split, starting from its weights:
 * - qat: int8 fake quantization in the forward pass (straight-through estimator), then int8 weights —
 *   to win back accuracy that post-training quantization loses;
 * - prune: magnitude masks held (or ramped up) during training, so the remaining weights adapt.
 * The result is scored and recorded like any compressed child of `run`.
 */
export async function fineTuneRun(
  run: RunRecord,
  model: TrainedModel,
  table: Table,
  spec: FineTuneSpec,
  ids: { runId: string },
): Promise<Result<{ run: RunRecord; model: TrainedModel }>> {
  if (model.kind !== 'network')
    return fail({ kind: 'unsupported-model', message: 'Fine-tuning works on neural networks.' });
  if (!Number.isInteger(spec.epochs) || spec.epochs < 1 || spec.epochs > 1000)
    return fail({
      kind: 'bad-config',
      column: 'epochs',
      message: 'Fine-tuning epochs must be a whole number from 1 to 1000.',
    });
  const s = spec.sparsity ?? 0.5;
  if (spec.method === 'prune' && !(s >= 0 && s < 1))
    return fail({
      kind: 'bad-config',
      column: 'sparsity',
      message: `Sparsity must be at least 0 and below 1; it is ${s}.`,
    });
  const p = prepareRunSplits(run, table);
  if (!p.ok) return p;
  const config = {
    ...networkSpec(run.config.kind as NeuralKind, run.config.params, run.config.seed),
    epochs: spec.epochs,
    learningRate: spec.learningRate,
    earlyStoppingPatience: 0,
    schedule: 'constant' as const,
  };
  const out = await trainModel(model.preprocessor, p.value.train, p.value.validation, config, {
    initial: model.artifacts,
    fakeQuant: spec.method === 'qat',
    sparsityAt: spec.method === 'prune' ? (e) => (spec.gradual ? s * (1 - (1 - e / spec.epochs) ** 3) : s) : undefined,
  });
  let tuned: TrainedModel;
  try {
    tuned = { ...model, artifacts: await modelToArtifacts(out.model) };
  } finally {
    disposeModel(out.model);
  }
  const r = await compressRun(
    run,
    tuned,
    table,
    spec.method === 'qat'
      ? { method: 'int8', perChannel: true, symmetric: true }
      : { method: 'prune', sparsity: s, scope: 'global' },
    ids,
  );
  if (!r.ok) return r;
  const label =
    spec.method === 'qat'
      ? 'int8 after QAT'
      : `pruned ${Math.round(s * 100)}% with fine-tuning${spec.gradual ? ' (gradual)' : ''}`;
  r.value.run.name = `${run.name} · ${label}`;
  const info = r.value.run.compression!.info;
  info.spec = { ...info.spec, fineTune: { ...spec } };
  r.value.run.history = out.history;
  return ok(r.value, r.warnings);
}
