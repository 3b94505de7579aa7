// The page's side of the training worker's run port: the worker reads runs and models by id from the
// repository through this source, and the page tells it which runs to read again after a write.
import { proxy, transfer } from 'comlink';
import type { RunSource } from '../../workers/train/run-cache.ts';
import { modelBuffers } from '../core/model/model-buffers.ts';
import type { Repository } from './storage/repository.ts';
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
 * Connects a training worker to the repository by id, and keeps its cache honest: every write of a run
 * in this tab (save, new tags or evaluation, delete, bundle import) is followed by `forget` for that
 * run, and a change from another tab by `forgetAll`. The repository's write methods are wrapped on
 * this instance (the repository itself stays unaware of workers). The forget messages are not awaited:
 * they reach the worker before any later call, in order.
 */
export async function connectRuns(repo: Repository, trainer: TrainRemote): Promise<void> {
  await trainer.setRunSource(proxy(repositoryRunSource(repo)));
  const forget = (id: string) => void trainer.forget(id);
  const forgetAll = () => void trainer.forgetAll();
  const { saveRun, saveRunRecord, deleteRun, importAll, markInterrupted } = repo;
  repo.saveRun = async (run, model) => after(saveRun.call(repo, run, model), () => forget(run.id));
  repo.saveRunRecord = async (run) => after(saveRunRecord.call(repo, run), () => forget(run.id));
  repo.deleteRun = async (id) => after(deleteRun.call(repo, id), () => forget(id));
  repo.importAll = async (p) => after(importAll.call(repo, p), forgetAll);
  repo.markInterrupted = async (isLive) => after(markInterrupted.call(repo, isLive), forgetAll);
  repo.onChange((what) => {
    if (what === 'runs' || what === 'all') forgetAll();
  });
}

/** `f` once `p` settled (a failed write may still have written part), then `p`'s value. */
async function after<T>(p: Promise<T>, f: () => void): Promise<T> {
  try {
    return await p;
  } finally {
    f();
  }
}
