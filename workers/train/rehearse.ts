// Production-test rehearsals (core/rollout) over a run's held-out rows, with cancel.
import type { RunRecord, TrainedModel } from '../../src/core/model/spec.ts';
import type { RehearsalConfig, RehearsalKind, RehearsalResult } from '../../src/core/rollout/rehearsal.ts';
import { prepareRehearsal, runRehearsal, type SideSpec } from '../../src/core/rollout/responders.ts';
import { ServingError } from '../../src/core/serving/http.ts';
import type { Result } from '../../src/core/util/result.ts';
import { fail, ok } from '../../src/core/util/result.ts';
import type { TrainContext } from './context.ts';

/** Rehearsal methods of the worker API. */
export function rehearseApi(ctx: TrainContext) {
  let rehearsalAbort: AbortController | null = null;
  return {
    /**
     * A production-test rehearsal (see core/rollout/rehearsal.ts) over the run's held-out rows
     * (validation and test), replayed in time order for time splits and file order otherwise. The champion
     * run's model defines the stream, its labels and the encoding sent to remote sides; the heuristic
     * backup is its training split's majority class (or mean). Cancel with cancelRehearsal().
     */
    async rehearse(
      kind: RehearsalKind,
      run: RunRecord,
      championModel: TrainedModel,
      champion: SideSpec,
      challenger: SideSpec,
      config: RehearsalConfig,
      onProgress?: (done: number, total: number) => void,
    ): Promise<Result<RehearsalResult & { split: string; streamRows: number }>> {
      await ctx.ensureBackend();
      const t = await ctx.table(run.dataset.id);
      if (!t.ok) return t;
      const prep = prepareRehearsal(run, championModel.preprocessor, t.value.table, t.value.name);
      if (!prep.ok) return prep;
      rehearsalAbort?.abort();
      const ctl = new AbortController();
      rehearsalAbort = ctl;
      try {
        const r = await runRehearsal(kind, champion, challenger, prep.value, config, {
          signal: ctl.signal,
          onProgress,
        });
        return r.ok ? ok({ ...r.value, split: 'validation + test', streamRows: prep.value.ctx.rows.length }) : r;
      } catch (e) {
        if (ctl.signal.aborted)
          return fail({ kind: 'cancelled', message: 'The rehearsal was cancelled; nothing was saved.' });
        if (e instanceof ServingError) return fail({ kind: `endpoint-${e.kind}`, message: e.message });
        return fail({ kind: 'rehearsal-failed', message: `The rehearsal failed: ${(e as Error).message}` });
      } finally {
        if (rehearsalAbort === ctl) rehearsalAbort = null;
      }
    },

    cancelRehearsal(): void {
      rehearsalAbort?.abort();
    },
  };
}
