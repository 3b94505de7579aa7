import type { EvaluationReport } from '../../core/evaluation/report.ts';
import type { SliceDefinition } from '../../core/evaluation/slices.ts';
import type { BehaviourTest } from '../../core/evaluation/behaviour.ts';
import type { CalibrationMethod } from '../../core/calibration/calibrators.ts';
import type { CalibrationSnapshot } from '../../core/model/spec.ts';
import type { Session } from '../session.svelte.ts';

/** A calibration fitted in the worker but not saved: before/after, waiting for the person's choice. */
export interface CalibrationPreview {
  runId: string;
  method: CalibrationMethod;
  /** The split the before/after numbers were measured on (test, or validation without a test split). */
  split: 'test' | 'validation';
  before: CalibrationSnapshot;
  after: CalibrationSnapshot;
}

/**
 * Evaluation of a run's model in the worker: metrics, slices, behavioural tests, and the confidence
 * below which it abstains. The report is kept with the run (in the session's runs).
 */
export class EvaluationFeature {
  /** The calibration shown for a choice; nothing is saved until the person keeps it. */
  calibrationPreview = $state.raw<CalibrationPreview | null>(null);

  constructor(private readonly s: Session) {}

  /**
   * Fits a calibrator on the run's validation split in the worker and shows before/after — without
   * saving anything: the person then keeps the calibrated version (`keepCalibration`) or the original
   * (`discardCalibration`). The run's evaluation stays as it is.
   */
  async previewCalibration(runId: string, method: CalibrationMethod): Promise<void> {
    const s = this.s;
    const run = s.runs.find((r) => r.id === runId);
    if (!run) return;
    if (!(await s.ensureDataset(run))) {
      s.error = s.missingDataset(run, ' to calibrate');
      return;
    }
    this.calibrationPreview = null;
    s.evaluating = runId;
    try {
      // Nothing is stored: the worker's derive only computes (the new run id is thrown away).
      const res = await s.trainer.derive(runId, { kind: 'calibrate', method }, crypto.randomUUID());
      if (!res.ok) {
        s.error = res.error;
        return;
      }
      const c = res.value.run.calibration;
      if (!c) return;
      this.calibrationPreview = {
        runId,
        method,
        split: run.splitSizes.test > 0 ? 'test' : 'validation',
        before: c.before,
        after: c.after,
      };
    } finally {
      s.evaluating = null;
    }
  }

  /**
   * Keeps the previewed calibration: saves it the way calibration is saved (a new run, and the next
   * version when the original is registered), then evaluates the calibrated model on the split the
   * original was evaluated on, so an evaluation stays in view.
   */
  async keepCalibration(derive: { calibrate(runId: string, method: CalibrationMethod): Promise<void> }): Promise<void> {
    const p = this.calibrationPreview;
    if (!p) return;
    const parent = this.s.runs.find((r) => r.id === p.runId);
    this.calibrationPreview = null;
    await derive.calibrate(p.runId, p.method);
    const id = this.s.selectedRunId;
    const child = id && id !== p.runId ? this.s.runs.find((r) => r.id === id) : undefined;
    if (child && !child.evaluation && parent?.evaluation)
      await this.evaluateRun(child.id, parent.evaluation.split, [], child.behaviourTests ?? []);
  }

  /** Keeps the original: the previewed calibration is dropped, nothing was saved. */
  discardCalibration(): void {
    if (!this.calibrationPreview) return;
    this.calibrationPreview = null;
    this.s.notice = 'Kept the original model; the calibration was not saved.';
  }

  /**
   * Evaluates a run's model (on its test or validation split, or every row of its dataset) in the
   * worker; the report and the tests are saved with the run. Slices and tests may come straight
   * from a form (reactive proxies): they are copied to plain data first.
   */
  async evaluateRun(
    runId: string,
    split: EvaluationReport['split'],
    slices: SliceDefinition[],
    tests: BehaviourTest[],
  ): Promise<void> {
    const s = this.s;
    const run = s.runs.find((r) => r.id === runId);
    const missingModel = { kind: 'missing-model', message: 'This run has no saved model to evaluate.' };
    if (!run) {
      s.error = missingModel;
      return;
    }
    if (!(await s.ensureDataset(run))) {
      s.error = s.missingDataset(run, ' to evaluate this model');
      return;
    }
    const behaviourTests = $state.snapshot(tests) as BehaviourTest[];
    s.evaluating = runId;
    try {
      // The worker reads the run and its model by id (cached there).
      const res = await s.trainer.evaluate(runId, run.dataset.id, split, {
        slices: $state.snapshot(slices) as SliceDefinition[],
        tests: behaviourTests,
        abstainBelow: run.evaluation?.abstainBelow ?? null,
      });
      if (!res.ok) {
        s.error = res.error.kind === 'not-found' ? missingModel : res.error;
        return;
      }
      const saved = await s.repo.saveRunRecord({ ...run, evaluation: res.value, behaviourTests });
      if (!saved.ok) s.error = saved.error;
      await s.refreshLists();
    } finally {
      s.evaluating = null;
    }
  }

  /** Saves the confidence below which the model abstains (kept with the run's evaluation and used by predict). */
  async setAbstain(runId: string, threshold: number | null): Promise<void> {
    const run = this.s.runs.find((r) => r.id === runId);
    if (!run?.evaluation) return;
    await this.s.repo.saveRunRecord({ ...run, evaluation: { ...run.evaluation, abstainBelow: threshold } });
    await this.s.refreshLists();
  }
}
