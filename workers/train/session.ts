// The worker's own plumbing: the table and run sources, the tfjs backend, and the live tensor count.
import type { BackendName } from '../../src/core/model/spec.ts';
import { liveTensors, type BackendStatus } from '../tf-runtime.ts';
import type { TableSource, TrainContext } from './context.ts';
import type { RunSource } from './run-cache.ts';

/** Session methods of the worker API. */
export function sessionApi(ctx: TrainContext) {
  return {
    /** Connects the table source (the data worker's API over a port). */
    setTableSource(source: TableSource) {
      ctx.setTableSource(source);
    },

    /** Connects the run source (the page's repository behind a comlink proxy); drops what was cached. */
    setRunSource(source: RunSource) {
      ctx.runs.setSource(source);
    },

    /** Drops a cached run, so the next call reads it again: the page calls it when a run is deleted or replaced. */
    forget(runId: string) {
      ctx.runs.forget(runId);
    },

    /** Drops every cached run (another tab changed the store, or a bundle was imported). */
    forgetAll() {
      ctx.runs.forgetAll();
    },

    /** Ids of the runs this worker holds, least recently used first (for tests and diagnostics). */
    async cachedRuns(): Promise<string[]> {
      return ctx.runs.ids();
    },

    /** Chooses and starts a backend (`auto` picks the best available) and says which and why. */
    async setBackend(requested: BackendName | 'auto'): Promise<BackendStatus> {
      if (ctx.busy) return ctx.ensureBackend();
      return ctx.activate(requested);
    },

    async backend(): Promise<BackendStatus> {
      return ctx.ensureBackend();
    },

    /** Live tensor count, so tests can prove nothing leaks. */
    async tensors(): Promise<number> {
      return liveTensors();
    },
  };
}
