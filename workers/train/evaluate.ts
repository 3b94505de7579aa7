// Evaluation of a saved model on a split of its run, or on every row of a loaded dataset.
import { encodeLabels } from '../../src/core/data/preprocess.ts';
import { runBehaviourTest, type BehaviourTest } from '../../src/core/evaluation/behaviour.ts';
import { evaluateModel } from '../../src/core/evaluation/evaluation.ts';
import { runSplitRows, type EvaluationReport } from '../../src/core/evaluation/report.ts';
import type { SliceDefinition } from '../../src/core/evaluation/slices.ts';
import type { Result } from '../../src/core/util/result.ts';
import { fail, ok } from '../../src/core/util/result.ts';
import { overTable, type TrainContext } from './context.ts';
import type { RunRef } from './run-cache.ts';

/** The evaluation method of the worker API. */
export function evaluateApi(ctx: TrainContext) {
  return {
    /**
     * Evaluates a model on one split of its run (rows rebuilt from the run's seeded split) or on every
     * row of a loaded dataset; runs the given behavioural tests on the same rows. The run is named by id
     * (read through the run source, `not-found` when it is not stored) or given with its model.
     */
    async evaluate(
      ref: RunRef,
      datasetId: string,
      split: EvaluationReport['split'],
      opts: { slices?: SliceDefinition[]; tests?: BehaviourTest[]; abstainBelow?: number | null } = {},
    ): Promise<Result<EvaluationReport>> {
      const found = await ctx.runs.resolve(ref);
      if (!found.ok) return found;
      const { run, model } = found.value;
      return overTable(ctx, datasetId, { kind: 'evaluation-failed', prefix: 'Evaluation failed' }, async (t) => {
        let rows: Uint32Array;
        if (split === 'all' || split === 'file') rows = Uint32Array.from({ length: t.table.rowCount }, (_, i) => i);
        else {
          const s = runSplitRows(run, t.table);
          if (!s.ok) return s;
          rows = split === 'test' && s.value.test.length ? s.value.test : s.value.validation;
        }
        const ev = await evaluateModel(model, t.table, rows, t.name, { slices: opts.slices, seed: run.config.seed });
        if (!ev.ok) return ev;
        const behaviour: EvaluationReport['behaviour'] = [];
        const y = encodeLabels(model.preprocessor, t.table, rows);
        for (const test of opts.tests ?? []) {
          const r = y.ok
            ? await runBehaviourTest(model, t.table, rows, y.value, test, run.config.seed)
            : fail<never>({ kind: 'labels', message: 'labels unavailable' });
          behaviour.push({ test, result: r.ok ? r.value : { error: r.error.message } });
        }
        const report: EvaluationReport = {
          format: 'benchtop-evaluation@1',
          runId: run.id,
          runName: run.name,
          createdAt: new Date().toISOString(),
          split,
          evaluation: ev.value,
          behaviour,
          abstainBelow: opts.abstainBelow ?? null,
        };
        return ok(report, ev.warnings);
      });
    },
  };
}
