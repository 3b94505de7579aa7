// The page's side of the training worker's run port: the worker reads runs and models by id from the
// repository through this source, and the page tells it which runs to read again after a write.
import { proxy, transfer } from 'comlink';
import type { RunSource } from '../../workers/train/run-cache.ts';
import { modelBuffers } from '../core/model/model-buffers.ts';
import type { Repository, StoreChange } from './storage/repository.ts';
import type { TrainRemote } from './remotes.ts';

/**
 * The repository as the worker's run source. A model read here is the page's only copy and nobody
 * keeps it, so its buffers are transferred to the worker rather than copied.
 * Cost: one IndexedDB read per call.
 */
export function repositoryRunSource(repo: Repository): RunSource {
  return {
    run: (id) => repo.getRun(id),
    async model(id) {
      const m = await repo.getModel(id);
      return m ? transfer(m, modelBuffers(m)) : undefined;
    },
  };
}

/**
 * Connects a training worker to the repository by id, and keeps its cache honest: every write in this
 * tab names the run it changed (save, new tags or evaluation, delete), and the worker forgets that
 * run; a write without one (bundle import, runs marked interrupted) or a change from another tab
 * makes it forget every run. The forget messages are not awaited: they reach the worker before any
 * later call, in order.
 */
export async function connectRuns(repo: Repository, trainer: TrainRemote): Promise<void> {
  await trainer.setRunSource(proxy(repositoryRunSource(repo)));
  const forgetFor = (what: StoreChange, runId?: string) => {
    if (what !== 'runs' && what !== 'all') return;
    void (runId ? trainer.forget(runId) : trainer.forgetAll());
  };
  repo.onWrite(forgetFor);
  repo.onChange((what) => forgetFor(what));
}
