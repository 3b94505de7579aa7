import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunRecord, TrainedModel } from '../core/model/spec.ts';
import type { Repository, StoreChange } from './storage/repository.ts';
import type { TrainRemote } from './remotes.ts';
import { connectRuns, repositoryRunSource } from './run-source.ts';

// A stand-in repository with the verbs the run port uses, and a trainer that records what it is told.
function fakes() {
  const calls: string[] = [];
  const writes: ((what: StoreChange, runId?: string) => void)[] = [];
  const others: ((what: StoreChange) => void)[] = [];
  const net = { kind: 'network', artifacts: { weightData: new ArrayBuffer(16) } } as unknown as TrainedModel;
  const repo = {
    getRun: async (id: string) => ({ id }) as RunRecord,
    getModel: async (id: string) => (id === 'r1' ? net : undefined),
    onWrite: (f: (what: StoreChange, runId?: string) => void) => (writes.push(f), () => {}),
    onChange: (f: (what: StoreChange) => void) => (others.push(f), () => {}),
  } as unknown as Repository;
  const trainer = {
    setRunSource: async () => void calls.push('source'),
    forget: async (id: string) => void calls.push(`forget ${id}`),
    forgetAll: async () => void calls.push('forget all'),
  } as unknown as TrainRemote;
  return { repo, trainer, calls, writes, others };
}

describe('the page side of the run port', () => {
  it('reads runs and models from the repository', async () => {
    const { repo } = fakes();
    const src = repositoryRunSource(repo);
    expect(await src.run('r1')).toEqual({ id: 'r1' });
    expect((await src.model('r1'))?.kind).toBe('network');
    expect(await src.model('r2')).toBeUndefined();
  });

  it('forgets the run a write names, every run for a write without one or another tab, nothing else', async () => {
    const { repo, trainer, calls, writes, others } = fakes();
    await connectRuns(repo, trainer);
    writes.forEach((f) => f('runs', 'a'));
    writes.forEach((f) => f('runs'));
    writes.forEach((f) => f('versions'));
    writes.forEach((f) => f('all'));
    others.forEach((f) => f('versions'));
    others.forEach((f) => f('runs'));
    expect(calls).toEqual(['source', 'forget a', 'forget all', 'forget all', 'forget all']);
  });

  it('every run announcement in the repository names its run, but the two that touch many (code reading)', () => {
    // Writes through write('runs', …) must name their run (the overloads make it a type error);
    // bare announcements are markInterrupted (many runs at once) and deleteRehearsal (its id only).
    // The repository's areas live in storage/*.ts modules (run-records.ts, run-attachments.ts, …).
    const dir = new URL('./storage/', import.meta.url);
    const src = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => readFileSync(new URL(f, dir), 'utf8'))
      .join('\n');
    expect([...src.matchAll(/\bnotify\('runs'\)/g)]).toHaveLength(2);
  });
});
