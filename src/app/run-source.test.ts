import { describe, expect, it } from 'vitest';
import type { RunRecord, TrainedModel } from '../core/model/spec.ts';
import { ok } from '../core/util/result.ts';
import type { Repository } from './storage/repository.ts';
import type { TrainRemote } from './remotes.ts';
import { connectRuns, repositoryRunSource } from './run-source.ts';

// A stand-in repository with the verbs the run port uses, and a trainer that records what it is told.
function fakes() {
  const calls: string[] = [];
  const listeners: ((what: string) => void)[] = [];
  const net = { kind: 'network', artifacts: { weightData: new ArrayBuffer(16) } } as unknown as TrainedModel;
  const repo = {
    getRun: async (id: string) => ({ id }) as RunRecord,
    getModel: async (id: string) => (id === 'r1' ? net : undefined),
    saveRun: async (run: RunRecord) => (calls.push(`save ${run.id}`), ok(undefined)),
    saveRunRecord: async (run: RunRecord) => (calls.push(`record ${run.id}`), ok(undefined)),
    deleteRun: async (id: string) => void calls.push(`delete ${id}`),
    importAll: async () => (calls.push('import'), ok(undefined)),
    markInterrupted: async () => (calls.push('interrupted'), 0),
    onChange: (f: (what: string) => void) => (listeners.push(f), () => {}),
  } as unknown as Repository;
  const trainer = {
    setRunSource: async () => void calls.push('source'),
    forget: async (id: string) => void calls.push(`forget ${id}`),
    forgetAll: async () => void calls.push('forget all'),
  } as unknown as TrainRemote;
  return { repo, trainer, calls, listeners };
}

describe('the page side of the run port', () => {
  it('reads runs and models from the repository', async () => {
    const { repo } = fakes();
    const src = repositoryRunSource(repo);
    expect(await src.run('r1')).toEqual({ id: 'r1' });
    expect((await src.model('r1'))?.kind).toBe('network');
    expect(await src.model('r2')).toBeUndefined();
  });

  it('follows every run write with forget (forgetAll for imports and other tabs)', async () => {
    const { repo, trainer, calls, listeners } = fakes();
    await connectRuns(repo, trainer);
    await repo.saveRun({ id: 'a' } as RunRecord, {} as TrainedModel);
    await repo.saveRunRecord({ id: 'b' } as RunRecord);
    await repo.deleteRun('c');
    await repo.importAll({} as Parameters<Repository['importAll']>[0]);
    await repo.markInterrupted(async () => false);
    listeners.forEach((f) => f('versions'));
    listeners.forEach((f) => f('runs'));
    expect(calls).toEqual([
      'source',
      'save a',
      'forget a',
      'record b',
      'forget b',
      'delete c',
      'forget c',
      'import',
      'forget all',
      'interrupted',
      'forget all',
      'forget all',
    ]);
  });
});
