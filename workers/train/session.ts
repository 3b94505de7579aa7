// The worker's own plumbing: the table source, the tfjs backend, and the live tensor count.
import type { BackendName } from '../../src/core/model/spec.ts';
import { liveTensors, type BackendStatus } from '../tf-runtime.ts';
import type { TableSource, TrainContext } from './context.ts';

/** Session methods of the worker API. */
export function sessionApi(ctx: TrainContext) {
  return {
    /** Connects the table source (the data worker's API over a port). */
    setTableSource(source: TableSource) {
      ctx.setTableSource(source);
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
