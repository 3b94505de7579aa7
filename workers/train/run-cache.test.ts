import { describe, expect, it } from 'vitest';
import type { RunRecord, TrainedModel } from '../../src/core/model/spec.ts';
import { createRunCache, type RunSource } from './run-cache.ts';

// Stand-in records: the cache only reads ids and model buffers.
const run = (id: string) => ({ id, name: id }) as unknown as RunRecord;
const net = (bytes: number) =>
  ({
    kind: 'network',
    artifacts: { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(bytes) },
  }) as unknown as TrainedModel;

function source(ids: string[], bytes = 8) {
  const reads: string[] = [];
  const models = new Map(ids.map((id) => [id, net(bytes)]));
  const s: RunSource = {
    async run(id) {
      reads.push(id);
      return models.has(id) ? run(id) : undefined;
    },
    async model(id) {
      return models.get(id);
    },
  };
  return { s, reads, models };
}

describe('run cache', () => {
  it('shares one read between concurrent callers and serves later ones from the cache', async () => {
    const { s, reads } = source(['a']);
    const c = createRunCache(s);
    const [x, y] = await Promise.all([c.get('a'), c.get('a')]);
    expect(x.ok && y.ok && x.value === y.value).toBe(true);
    await c.get('a');
    expect(reads).toEqual(['a']);
  });

  it('keeps at most `entries` runs, dropping the least recently used', async () => {
    const { s, reads } = source(['a', 'b', 'c']);
    const c = createRunCache(s, { entries: 2, bytes: 1e9 });
    await c.get('a');
    await c.get('b');
    await c.get('a'); // a is now the most recent
    await c.get('c');
    expect(c.ids()).toEqual(['a', 'c']);
    await c.get('b');
    expect(reads).toEqual(['a', 'b', 'c', 'b']);
  });

  it('keeps model buffers under the byte budget, but always the newest run', async () => {
    const { s } = source(['a', 'b'], 100);
    const c = createRunCache(s, { entries: 10, bytes: 150 });
    await c.get('a');
    await c.get('b');
    expect(c.ids()).toEqual(['b']);
  });

  it('forget and forgetAll drop runs; failures are not cached; holds names cached buffers', async () => {
    const { s, reads, models } = source(['a', 'b']);
    const c = createRunCache(s);
    const a = await c.get('a');
    await c.get('b');
    const buf = a.ok && a.value.model.kind === 'network' ? a.value.model.artifacts.weightData : null;
    expect(c.holds(buf!)).toBe(true);
    c.forget('a');
    expect(c.holds(buf!)).toBe(false);
    expect(c.ids()).toEqual(['b']);
    c.forgetAll();
    expect(c.ids()).toEqual([]);
    const miss = await c.get('z');
    expect(!miss.ok && miss.error.kind).toBe('not-found');
    models.set('z', net(8));
    expect((await c.get('z')).ok).toBe(true);
    expect(reads).toEqual(['a', 'b', 'z', 'z']);
  });

  it('a forget while a read is in flight keeps that read out of the cache', async () => {
    const { s } = source(['a']);
    const c = createRunCache(s);
    const p = c.get('a');
    c.forget('a');
    expect((await p).ok).toBe(true);
    expect(c.ids()).toEqual([]);
  });

  it('without a source, or when the source throws, the failure says so', async () => {
    const none = await createRunCache().get('a');
    expect(!none.ok && none.error.kind).toBe('no-run-source');
    const broken = createRunCache({
      run: async () => {
        throw new Error('IndexedDB closed');
      },
      model: async () => undefined,
    });
    const r = await broken.get('a');
    expect(!r.ok && r.error).toMatchObject({ kind: 'run-source-failed', message: /IndexedDB closed/ });
  });
});
