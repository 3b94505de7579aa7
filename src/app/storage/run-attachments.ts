import type { Result } from '../../core/util/result.ts';
import type { LatencyRecord, RehearsalRecord } from './schema.ts';
import type { StoreContext } from './store-context.ts';

// What is kept beside a run (the `latency` and `rehearsals` stores), for the Repository; deleting
// the run deletes them (run-records.ts deleteRun).

/** Keeps a run's latest latency measurement (the one measured before is replaced: the person asked again). */
export function saveLatency(ctx: StoreContext, record: LatencyRecord): Promise<Result<void>> {
  return ctx.write('runs', `the latency of run ${record.runId}`, () => ctx.db.put('latency', record), record.runId);
}

/** Every latency measurement kept in this browser, by run id. */
export function listLatency(ctx: StoreContext): Promise<LatencyRecord[]> {
  return ctx.db.getAll('latency');
}

export function addRehearsal(ctx: StoreContext, r: RehearsalRecord): Promise<Result<void>> {
  return ctx.write('runs', `rehearsal "${r.name}"`, () => ctx.db.add('rehearsals', r), r.runId);
}

/** A run's rehearsals, newest first. */
export async function listRehearsals(ctx: StoreContext, runId: string): Promise<RehearsalRecord[]> {
  return (await ctx.db.getAllFromIndex('rehearsals', 'runId', runId)).sort((a, b) =>
    b.createdAt.localeCompare(a.createdAt),
  );
}

export async function deleteRehearsal(ctx: StoreContext, id: string): Promise<void> {
  await ctx.db.delete('rehearsals', id);
  ctx.notify('runs');
}
