import type { EvaluationReport } from '../../core/evaluation/report.ts';
import type { SliceDefinition } from '../../core/evaluation/slices.ts';
import type { BehaviourTest } from '../../core/evaluation/behaviour.ts';
import type { Session } from '../session.svelte.ts';

/**
 * Evaluation of a run's model in the worker: metrics, slices, behavioural tests, and the confidence
 * below which it abstains. The report is kept with the run (in the session's runs).
 */
export class EvaluationFeature {
  constructor(private readonly s: Session) {}

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
