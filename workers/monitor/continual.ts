import { upgradeConfig } from '../../src/core/store/upgrade.ts';
// Data expectations, continual learning on the run's held-out rows, and the value of fresh data.
import type { Table } from '../../src/core/data/table.ts';
import { inferSchema, withRole } from '../../src/core/data/schema.ts';
import { heldOutRows } from '../../src/core/evaluation/report.ts';
import type { RunRecord } from '../../src/core/model/spec.ts';
import type { RunRef } from '../train/run-cache.ts';
import { driftColumnsFromPreprocessor } from '../../src/core/drift/report.ts';
import { makeWindows, type WindowSpec } from '../../src/core/drift/timeline.ts';
import {
  runExpectations,
  suggestExpectations,
  type Expectation,
  type ExpectationResult,
} from '../../src/core/drift/expectations.ts';
import {
  continualLearning,
  freshDataValue,
  type ContinualResult,
  type FreshnessPoint,
  type Trigger,
} from '../../src/core/drift/continual.ts';
import type { Result } from '../../src/core/util/result.ts';
import { fail, ok } from '../../src/core/util/result.ts';
import { openRun, reference, timeOrder, type MonitorContext } from './monitor-context.ts';

/** Expectation and continual-learning methods of the worker API. */
export function continualApi(o: MonitorContext) {
  const isCancelled = () => o.cancel.requested;
  return {
    /** Expectations suggested from the run's training rows. */
    async suggestExpectations(run: RunRecord): Promise<Result<Expectation[]>> {
      const ref = await reference(o, run);
      if (!ref.ok) return ref;
      const t = ref.value.table;
      const rows = ref.value.split.train;
      const sub: Table = {
        rowCount: rows.length,
        columns: t.columns.map((c) => ({ ...c, codes: Int32Array.from(rows, (r) => c.codes[r]!) })),
      };
      return ok(suggestExpectations(sub, withRole(inferSchema(sub, run.label), run.label, 'label')));
    },

    async runExpectations(datasetId: string, list: Expectation[]): Promise<Result<ExpectationResult[]>> {
      const t = await o.table(datasetId);
      if (!t.ok) return t;
      return ok(runExpectations(t.value.table, list));
    },

    /**
     * Continual learning on the run's held-out rows (validation and test, in time order) cut into
     * windows, starting from the run's model: static vs stateless retraining vs stateful fine-tuning.
     */
    async continualLearning(
      runRef: RunRef,
      spec: WindowSpec,
      opt: { trigger: Trigger; trainRows: number; fineTuneEpochs: number },
      onProgress?: (done: number, total: number) => void,
    ): Promise<Result<ContinualResult & { windowsUsed: number }>> {
      const opened = await openRun(o, runRef);
      if (!opened.ok) return opened;
      const { run, model, ref } = opened.value;
      if (model.kind === 'ensemble')
        return fail({
          kind: 'unsupported-model',
          message: 'Continual learning retrains one model; this is an ensemble.',
        });
      const stream = heldOutRows(run, ref.split);
      const order = timeOrder(ref.table, spec.by === 'time' ? spec.column : run.split.timeColumn);
      const rank = new Int32Array(ref.table.rowCount);
      order.forEach((r, i) => (rank[r] = i));
      stream.sort((a, b) => rank[a]! - rank[b]!);
      let cut;
      try {
        cut = makeWindows(ref.table, stream, spec);
      } catch (e) {
        return fail({ kind: 'bad-window', message: (e as Error).message });
      }
      if (cut.windows.length < 2)
        return fail({
          kind: 'no-windows',
          message:
            `The held-out rows make ${cut.windows.length} window${cut.windows.length === 1 ? '' : 's'}; ` +
            'continual learning needs at least two (choose smaller windows).',
        });
      const r = await continualLearning({
        table: ref.table,
        name: ref.name,
        pre: model.preprocessor,
        config: upgradeConfig(run.config),
        initial: model,
        initialRows: ref.split.train,
        windows: cut.windows.slice(0, 60),
        trigger: opt.trigger,
        trainRows: opt.trainRows,
        fineTuneEpochs: opt.fineTuneEpochs,
        columns: driftColumnsFromPreprocessor(model.preprocessor, false),
        onProgress,
        isCancelled,
      });
      if (!r.ok) return r;
      return ok({ ...r.value, windowsUsed: Math.min(60, cut.windows.length) });
    },

    /** The value of fresh data over the whole dataset, windowed by `spec`, tested on the last window. */
    async freshDataValue(
      runRef: RunRef,
      spec: WindowSpec,
      opt: { span: number; maxAge: number },
      onProgress?: (done: number, total: number) => void,
    ): Promise<Result<{ metric: 'accuracy' | 'rmse'; test: string; points: FreshnessPoint[] }>> {
      const opened = await openRun(o, runRef);
      if (!opened.ok) return opened;
      const { run, model, ref } = opened.value;
      const order = timeOrder(ref.table, spec.by === 'time' ? spec.column : run.split.timeColumn);
      let cut;
      try {
        cut = makeWindows(ref.table, order, spec);
      } catch (e) {
        return fail({ kind: 'bad-window', message: (e as Error).message });
      }
      return freshDataValue({
        table: ref.table,
        name: ref.name,
        pre: model.preprocessor,
        config: upgradeConfig(run.config),
        windows: cut.windows,
        span: opt.span,
        maxAge: opt.maxAge,
        onProgress,
        isCancelled,
      });
    },

    cancelMonitor(): void {
      o.cancel.requested = true;
    },
  };
}
