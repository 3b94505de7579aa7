// Runs and their models by id, read from the page's repository over a port and kept in a small cache:
// the page names a run, the worker reads it once and keeps it until the page says it changed.
import type { TrainedModel } from '../../src/core/model/spec.ts';
import type { RunRecord } from '../../src/core/model/spec.ts';
import type { RunWithModel } from '../../src/core/pipeline/derive-run.ts';
import type { Result } from '../../src/core/util/result.ts';
import { fail, ok } from '../../src/core/util/result.ts';
import { modelBuffers } from '../../src/core/model/model-buffers.ts';

/**
 * Where runs and models come from: the page's repository behind a comlink proxy in the app, a Map in
 * tests. Both return undefined for an id that is not stored.
 */
export interface RunSource {
  run(id: string): Promise<RunRecord | undefined>;
  model(id: string): Promise<TrainedModel | undefined>;
}

/**
 * A run named by id, or the run and model themselves (a lesson's run that was never saved, or a model
 * the page holds anyway). Worker methods that read a run take either.
 */
export type RunRef = string | RunWithModel;

/** Bounds of the cache: at most `entries` runs and, beyond the newest one, `bytes` of model buffers. */
export interface RunCacheLimits {
  entries: number;
  bytes: number;
}

export const DEFAULT_RUN_CACHE_LIMITS: RunCacheLimits = Object.freeze({ entries: 4, bytes: 128 * 1024 * 1024 });

/** The worker's cache of runs read by id (see {@link createRunCache}). */
export interface RunCache {
  setSource(source: RunSource): void;
  /**
   * The run and its model: from the cache, else read through the source (two calls) and cached.
   * Fails `no-run-source` before the page connected one, `not-found` for an unknown id or a run
   * without a saved model, `run-source-failed` when the read throws.
   */
  get(id: string): Promise<Result<RunWithModel>>;
  /** The run itself for a value, the cached or read run for an id. */
  resolve(ref: RunRef): Promise<Result<RunWithModel>>;
  /** Drops one run (deleted or replaced by the page), so the next `get` reads it again. */
  forget(id: string): void;
  /** Drops every run (another tab changed the store, or a bundle was imported). */
  forgetAll(): void;
  /** Whether a buffer belongs to a cached model (so it must be copied, not transferred, out of the worker). */
  holds(buffer: ArrayBuffer): boolean;
  /** Ids cached, least recently used first. */
  ids(): string[];
}

const bytesOf = (m: TrainedModel) => modelBuffers(m).reduce((a, b) => a + b.byteLength, 0);

/**
 * Creates the cache. Entries are kept least recently used first; a read in flight is shared by the
 * callers that ask for the same id meanwhile, and dropped if it fails or the id is forgotten.
 * Cost: one source round trip per miss (the model is structured-cloned or transferred to the worker).
 * @example const runs = createRunCache(source); const r = await runs.get('run-1');
 */
export function createRunCache(initial?: RunSource, limits: RunCacheLimits = DEFAULT_RUN_CACHE_LIMITS): RunCache {
  let source = initial;
  const entries = new Map<string, Promise<Result<RunWithModel>>>();
  const settled = new Map<string, RunWithModel>();

  const evict = () => {
    let bytes = [...settled.values()].reduce((a, e) => a + bytesOf(e.model), 0);
    for (const id of [...entries.keys()]) {
      if (entries.size <= 1) break;
      const e = settled.get(id);
      if (entries.size <= limits.entries && bytes <= limits.bytes) break;
      entries.delete(id);
      settled.delete(id);
      if (e) bytes -= bytesOf(e.model);
    }
  };

  const read = async (src: RunSource, id: string): Promise<Result<RunWithModel>> => {
    try {
      const [run, model] = await Promise.all([src.run(id), src.model(id)]);
      if (!run)
        return fail({ kind: 'not-found', message: `No run with id ${id} in storage; it may have been deleted.` });
      if (!model)
        return fail({
          kind: 'not-found',
          message: `Run "${run.name}" (${id}) has no saved model; train it again or import its bundle.`,
        });
      return ok({ run, model });
    } catch (e) {
      return fail({ kind: 'run-source-failed', message: `Could not read run ${id}: ${(e as Error).message}` });
    }
  };

  const cache: RunCache = {
    setSource(s) {
      source = s;
      cache.forgetAll();
    },
    get(id) {
      const hit = entries.get(id);
      if (hit) {
        entries.delete(id);
        entries.set(id, hit);
        return hit;
      }
      if (!source)
        return Promise.resolve(
          fail({ kind: 'no-run-source', message: 'The training worker is not connected to the run storage.' }),
        );
      const p = read(source, id).then((r) => {
        if (entries.get(id) !== p) return r;
        if (!r.ok) entries.delete(id);
        else {
          settled.set(id, r.value);
          evict();
        }
        return r;
      });
      entries.set(id, p);
      return p;
    },
    async resolve(ref) {
      return typeof ref === 'string' ? cache.get(ref) : ok(ref);
    },
    forget(id) {
      entries.delete(id);
      settled.delete(id);
    },
    forgetAll() {
      entries.clear();
      settled.clear();
    },
    holds(buffer) {
      for (const e of settled.values()) if (modelBuffers(e.model).includes(buffer)) return true;
      return false;
    },
    ids: () => [...entries.keys()],
  };
  return cache;
}
