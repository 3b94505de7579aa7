import { deriveActionLabel, derivedTarget, registerDerived } from '../../core/registry/derived-version.ts';
import type { CalibrationMethod } from '../../core/calibration/calibrators.ts';
import type { CompressionSpec as BaseSpec } from '../../core/compression/compress.ts';
import type { RunRecord } from '../../core/model/spec.ts';
import type { DeriveOp } from '../../core/pipeline/derive-op.ts';
import type { Session } from '../session.svelte.ts';
import type { EvaluationFeature } from './evaluation.svelte.ts';

/** What the compression form asks for: a core compression, or one that fine-tunes or distils. */
export type CompressionSpec = Omit<BaseSpec, 'method'> & {
  method: BaseSpec['method'] | 'qat';
  studentHidden?: number[];
  temperature?: number;
  alpha?: number;
  fineTuneEpochs?: number;
  fineTuneRate?: number;
  gradual?: boolean;
};

/** One way of making a new model from a parent run's model. */
interface DeriveStep {
  /** Ends the "dataset not available" message: "…; import it again to calibrate". */
  purpose: string;
  /** The derive operation the worker runs on the parent (its new run record gets the id given). */
  op: DeriveOp;
  /** Fields of the new run record taken from, or set against, the parent. */
  record(parent: RunRecord): Partial<RunRecord>;
  /** Tags of the registered version, when the parent is a registered version. */
  versionTags: string[];
  /** The notice once saved: `version` is the one registered (with its parent's id), or null. */
  notice(version: { id: string; label: string; parentId: string } | null): string;
  /** Whether the worker's warnings replace the shown ones. */
  showWarnings: boolean;
  /** Whether the new run becomes the selected one. */
  select: boolean;
}

/**
 * The derive operation a compression form asks for: fine-tuning (QAT; pruning with epochs), distillation,
 * or a transform of the weights. The form may hold reactive proxies: it is snapshotted to plain data.
 */
export function compressionOp(spec: CompressionSpec): DeriveOp {
  const plain = $state.snapshot(spec) as CompressionSpec;
  if (plain.method === 'qat' || (plain.method === 'prune' && plain.fineTuneEpochs))
    return {
      kind: 'fine-tune',
      method: plain.method === 'qat' ? 'qat' : 'prune',
      epochs: plain.fineTuneEpochs ?? 3,
      learningRate: plain.fineTuneRate ?? 0.001,
      sparsity: plain.sparsity,
      gradual: plain.gradual,
    };
  if (plain.method === 'distill')
    return {
      kind: 'distill',
      hidden: plain.studentHidden ?? [32],
      temperature: plain.temperature ?? 4,
      alpha: plain.alpha ?? 0.7,
    };
  return { kind: 'compress', spec: plain as BaseSpec };
}

/**
 * Models made from a parent run's model — calibrated, compressed (quantised, pruned, distilled,
 * fine-tuned). Every one goes through the same sequence, written once in `derive`: make sure the
 * parent's dataset is loaded → the worker's `derive` by parent id (it reads the run and model itself,
 * and transfers the new model back) → save the new run and model → register it as the next version
 * when the parent is registered → refresh → select.
 */
export class DeriveFeature {
  constructor(
    private readonly s: Session,
    private readonly evaluation: EvaluationFeature,
  ) {}

  /**
   * What a derive button on this run makes, said honestly: "Compress → new version of wine" when the
   * run is a registered version (the derived model becomes its next version), "Compress → new run"
   * when it is not. `kind`: the operation the button runs ('calibrate', 'compress', …).
   */
  actionLabel(runId: string, verb: string, kind: DeriveOp['kind'] = 'compress'): string {
    return deriveActionLabel(verb, derivedTarget(runId, kind, this.s.versions));
  }

  /**
   * Calibrates a run's model on its validation split; the calibrated model is saved as a new run and,
   * when the original is a registered version, as the next version of that model with lineage to it.
   * The behavioural tests saved with the parent are rerun on the calibrated model.
   */
  async calibrate(runId: string, method: CalibrationMethod): Promise<void> {
    const parent = await this.derive(runId, {
      purpose: ' to calibrate',
      op: { kind: 'calibrate', method },
      record: (p) => ({ evaluation: undefined, tags: [...(p.tags ?? []), 'calibrated'] }),
      versionTags: ['calibrated'],
      notice: (v) =>
        v
          ? `Calibrated by ${method}: registered ${v.id} (${v.label}), a stateful update of ${v.parentId}.`
          : `Calibrated by ${method}: saved as a new run.`,
      showWarnings: false,
      select: true,
    });
    if (parent?.behaviourTests?.length)
      await this.evaluation.evaluateRun(
        this.s.selectedRunId!,
        parent.evaluation?.split ?? 'test',
        [],
        parent.behaviourTests,
      );
  }

  /**
   * Compresses a run's network; the result is saved as a new run and, when the parent is registered,
   * its next version (a stateful update). The parent stays selected, to compare the family.
   */
  async compress(runId: string, spec: CompressionSpec): Promise<void> {
    await this.derive(runId, {
      purpose: ' to compress',
      op: compressionOp(spec),
      record: (p) => ({ tags: [...(p.tags ?? []).filter((t) => t !== 'calibrated'), 'compressed'] }),
      versionTags: ['compressed', String(spec.method)],
      notice: (v) =>
        v
          ? `Compressed (${spec.method}): registered ${v.id} (${v.label}) from ${v.parentId}.`
          : `Compressed (${spec.method}): saved as a new run.`,
      showWarnings: true,
      select: false,
    });
  }

  /**
   * The shared sequence. Returns the parent run when the new model was saved; null when the run, its
   * model or its dataset is missing or the worker or storage failed (the error is in the session).
   */
  private async derive(runId: string, op: DeriveStep): Promise<RunRecord | null> {
    const s = this.s;
    const run = s.runs.find((r) => r.id === runId);
    if (!run) return null;
    if (!(await s.ensureDataset(run))) {
      s.error = s.missingDataset(run, op.purpose);
      return null;
    }
    s.evaluating = runId;
    try {
      // The worker reads the parent run and model by id (cached there) and transfers the new model back.
      const res = await s.trainer.derive(runId, op.op, crypto.randomUUID());
      if (!res.ok) {
        s.error = res.error;
        return null;
      }
      if (op.showWarnings) s.warnings = res.warnings;
      const child: RunRecord = { ...res.value.run, experimentId: run.experimentId ?? 'default', ...op.record(run) };
      const saved = await s.repo.saveRun(child, res.value.model);
      if (!saved.ok) {
        s.error = saved.error;
        return null;
      }
      // The next version of the parent's registered model (relation from the operation), when it is registered.
      const v = await registerDerived(s.repo, {
        parentRunId: runId,
        kind: op.op.kind,
        run: child,
        model: res.value.model,
        tags: op.versionTags,
      });
      if (!v.ok) s.error = v.error;
      else if (v.value)
        s.notice = op.notice({ id: v.value.id, label: v.value.label, parentId: v.value.parentId ?? '' });
      else
        s.notice =
          `${op.notice(null)} “${run.name}” is not a registered model, so this is not a version: ` +
          `register “${child.name}” in the Registry to make it one.`;
      await s.refreshLists();
      if (op.select) s.selectRun(res.value.run.id);
    } finally {
      s.evaluating = null;
    }
    return run;
  }
}
