// Production-test rehearsals (core/rollout) over a run's held-out rows, with cancel.
import type { RehearsalConfig, RehearsalKind, RehearsalResult } from '../../src/core/rollout/rehearsal.ts';
import { prepareRehearsal, runRehearsal, type SideSpec } from '../../src/core/rollout/responders.ts';
import { ServingError } from '../../src/core/serving/http.ts';
import type { Result } from '../../src/core/util/result.ts';
import { fail, ok } from '../../src/core/util/result.ts';
import type { TrainContext } from './context.ts';

/** A side of a rehearsal as the page names it: a local side is a stored run's model, by run id. */
export type SideRef = Exclude<SideSpec, { kind: 'local' }> | { kind: 'local'; name: string; runId: string };

/** Rehearsal methods of the worker API. */
export function rehearseApi(ctx: TrainContext) {
  let rehearsalAbort: AbortController | null = null;
  const side = async (s: SideRef): Promise<Result<SideSpec>> => {
    if (s.kind !== 'local') return ok(s);
    const r = await ctx.runs.get(s.runId);
    return r.ok ? ok({ kind: 'local', name: s.name, model: r.value.model }) : r;
  };
  return {
    /**
     * A production-test rehearsal (see core/rollout/rehearsal.ts) over the run's held-out rows
     * (validation and test), replayed in time order for time splits and file order otherwise. The champion
     * run's model defines the stream, its labels and the encoding sent to remote sides; the heuristic
     * backup is its training split's majority class (or mean). Cancel with cancelRehearsal(). The champion
     * run and local sides are read by id (`not-found` when one is not stored).
     */
    async rehearse(
      kind: RehearsalKind,
      runId: string,
      championSide: SideRef,
      challengerSide: SideRef,
      config: RehearsalConfig,
      onProgress?: (done: number, total: number) => void,
    ): Promise<Result<RehearsalResult & { split: string; streamRows: number }>> {
      const found = await ctx.runs.get(runId);
      if (!found.ok) return found;
      const { run, model: championModel } = found.value;
      const champion = await side(championSide);
      if (!champion.ok) return champion;
      const challenger = await side(challengerSide);
      if (!challenger.ok) return challenger;
      await ctx.ensureBackend();
      const t = await ctx.table(run.dataset.id);
      if (!t.ok) return t;
      const prep = prepareRehearsal(run, championModel.preprocessor, t.value.table, t.value.name);
      if (!prep.ok) return prep;
      rehearsalAbort?.abort();
      const ctl = new AbortController();
      rehearsalAbort = ctl;
      try {
        const r = await runRehearsal(kind, champion.value, challenger.value, prep.value, config, {
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
