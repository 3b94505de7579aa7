import type { RunRecord, TrainedModel } from '../../core/model/spec.ts';
import { parseRun } from '../../core/store/upgrade.ts';
import type { Result } from '../../core/util/result.ts';
import { fail, ok } from '../../core/util/result.ts';
import { DEFAULT_EXPERIMENT } from './schema.ts';
import type { StoreContext } from './store-context.ts';
import { storageProblem } from './storage-problem.ts';

// Runs and their models (the `runs` and `models` stores), for the Repository.

/** Saves a run and its model atomically: both or neither. */
export function saveRun(ctx: StoreContext, run: RunRecord, model: TrainedModel): Promise<Result<void>> {
  return ctx.write(
    'runs',
    `run "${run.name}"`,
    async () => {
      const tx = ctx.db.transaction(['runs', 'models'], 'readwrite');
      await Promise.all([
        tx.objectStore('runs').put({ experimentId: DEFAULT_EXPERIMENT.id, tags: [], ...run }),
        tx.objectStore('models').put({ ...model, runId: run.id }),
        tx.done,
      ]);
    },
    run.id,
  );
}

/**
 * Adds a run and its model only if no run has its id (an imported model): `add` in one
 * transaction, so a run stored meanwhile by another tab fails it instead of being replaced.
 */
export async function addRun(ctx: StoreContext, run: RunRecord, model: TrainedModel): Promise<Result<void>> {
  try {
    const tx = ctx.db.transaction(['runs', 'models'], 'readwrite');
    await Promise.all([
      tx.objectStore('runs').add({ experimentId: DEFAULT_EXPERIMENT.id, tags: [], ...run }),
      tx.objectStore('models').add({ ...model, runId: run.id }),
      tx.done,
    ]);
    ctx.notify('runs', run.id);
    return ok(undefined);
  } catch (e) {
    if ((e as DOMException)?.name === 'ConstraintError')
      return fail({ kind: 'conflict', message: `A run with id ${run.id} is already stored; nothing was replaced.` });
    return storageProblem(e, `run "${run.name}"`);
  }
}

/** Saves a run record alone: a run that is starting or in progress (its model comes at the end), or new tags. */
export function saveRunRecord(ctx: StoreContext, run: RunRecord): Promise<Result<void>> {
  return ctx.write(
    'runs',
    `run "${run.name}"`,
    () => ctx.db.put('runs', { experimentId: DEFAULT_EXPERIMENT.id, tags: [], ...run }),
    run.id,
  );
}

/** A stored run checked against its schema; an invalid one is reported in `ctx.problems`, not returned. */
function checkedRun(ctx: StoreContext, raw: RunRecord | undefined): RunRecord | undefined {
  if (raw === undefined) return undefined;
  const id = (raw as { id?: unknown })?.id;
  const r = parseRun(raw, `run ${typeof id === 'string' ? id : '(no id)'}`);
  if (r.ok) return r.value;
  if (!ctx.problems.some((p) => p.message === r.error.message)) ctx.problems.push(r.error);
  return undefined;
}

export async function getRun(ctx: StoreContext, id: string): Promise<RunRecord | undefined> {
  return checkedRun(ctx, await ctx.db.get('runs', id));
}

/** All runs, newest first; runs that fail their schema are left out and named in `ctx.problems`. */
export async function listRuns(ctx: StoreContext): Promise<RunRecord[]> {
  const runs = await ctx.db.getAllFromIndex('runs', 'createdAt');
  const out: RunRecord[] = [];
  for (const r of runs.reverse()) {
    const c = checkedRun(ctx, r);
    if (c) out.push(c);
  }
  return out;
}

/**
 * Marks runs left `running` by a page that closed mid-run as `interrupted`. `isLive` says whether
 * some open tab is still training that run (it holds the run's lock); those are left alone.
 */
export async function markInterrupted(ctx: StoreContext, isLive: (runId: string) => Promise<boolean>): Promise<number> {
  let n = 0;
  for (const r of await ctx.db.getAll('runs')) {
    if (r.status !== 'running' || (await isLive(r.id))) continue;
    r.status = 'interrupted';
    r.message = 'The page was closed or reloaded while this run was training.';
    await ctx.db.put('runs', r);
    n++;
  }
  if (n) ctx.notify('runs');
  return n;
}

export async function getModel(ctx: StoreContext, runId: string): Promise<TrainedModel | undefined> {
  const m = await ctx.db.get('models', runId);
  if (!m) return undefined;
  const { runId: _runId, ...model } = m;
  return model;
}

/** Deletes a run with its model, rehearsals and precomputed predictions. */
export async function deleteRun(ctx: StoreContext, runId: string): Promise<void> {
  const tx = ctx.db.transaction(
    ['runs', 'models', 'rehearsals', 'predictionSets', 'predictionChunks', 'latency'],
    'readwrite',
  );
  const rehearsals = await tx.objectStore('rehearsals').index('runId').getAllKeys(runId);
  await Promise.all([
    tx.objectStore('runs').delete(runId),
    tx.objectStore('models').delete(runId),
    ...rehearsals.map((k) => tx.objectStore('rehearsals').delete(k)),
    tx.objectStore('predictionSets').delete(runId),
    tx.objectStore('predictionChunks').delete(IDBKeyRange.bound([runId, 0], [runId, Infinity])),
    tx.objectStore('latency').delete(runId),
    tx.done,
  ]);
  ctx.notify('runs', runId);
}
