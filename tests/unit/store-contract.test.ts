import { upgradeConfig } from '../../src/core/store/upgrade.ts';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsStore } from '../../bin/fs-store.ts';
import { shippedTable, trainRequest } from './fixtures.ts';
import { encodeTable } from '../../src/core/data/table-codec.ts';
import { runTraining } from '../../src/core/model/run-training.ts';
import { moveAlias, registerVersion } from '../../src/core/registry/registry.ts';
import { exportBundle, importBundle } from '../../src/core/store/bundle.ts';
import { MemoryStore } from '../../src/core/store/memory-store.ts';
import type { Store } from '../../src/core/store/store.ts';

// The same behaviour from every Store: memory (tests) and the file system (the command line).
// The IndexedDB store is exercised by the end-to-end tests in a real Chromium.
const stores: [string, () => Promise<Store>][] = [
  ['memory', async () => new MemoryStore()],
  ['file system', async () => new FsStore(join(await mkdtemp(join(tmpdir(), 'benchtop-fs-')), 'store'))],
];

describe.each(stores)('Store contract: %s', (_name, make) => {
  it('keeps runs, models, datasets, versions, aliases and cards, and round-trips a bundle', async () => {
    const store = await make();
    const table = shippedTable('wine.csv');
    const r = await runTraining(
      trainRequest(table, 'cultivar', upgradeConfig({ model: { kind: 'forest', nEstimators: 5 } }), {
        runId: 'r1',
        file: 'wine.csv',
        split: { kind: 'stratified', fractions: [0.7, 0.15, 0.15], seed: 1 },
      }),
    );
    if (!r.ok) throw new Error(r.error.message);
    expect((await store.saveRun(r.value.run, r.value.model)).ok).toBe(true);
    expect(await store.getRun('r1')).toEqual(r.value.run);
    expect(JSON.stringify(await store.getModel('r1'))).toBe(JSON.stringify(r.value.model));
    const bytes = encodeTable(table);
    await store.saveDatasetRecord(
      {
        id: r.value.run.dataset.id,
        name: 'wine.csv',
        rowCount: 178,
        columns: [],
        label: 'cultivar',
        provenance: 'UCI',
        savedAt: 'now',
        bytes: 0,
      },
      bytes,
    );
    expect(await store.getDatasetData(r.value.run.dataset.id)).toEqual(bytes);
    const v = await registerVersion(store, { name: 'wine', run: r.value.run, model: r.value.model });
    expect(v.ok && v.value.id).toBe('wine@1');
    const dup = await store.addVersion(v.ok ? v.value : (null as never), r.value.model);
    expect(!dup.ok && dup.error.kind).toBe('conflict');
    expect((await moveAlias(store, { name: 'wine', alias: 'champion', to: 'wine@1', reason: 'first' })).ok).toBe(true);
    expect((await store.listAliases('wine')).map((a) => a.versionId)).toEqual(['wine@1']);
    expect((await store.aliasHistory('wine')).map((m) => m.reason)).toEqual(['first']);
    await store.saveCard({
      versionId: 'wine@1',
      overview: 'x',
      users: '',
      useCases: '',
      limitations: '',
      tradeoffs: '',
      ethics: '',
      updatedAt: 'now',
    });
    expect((await store.getCard('wine@1'))?.overview).toBe('x');

    const zip = await exportBundle(store, { runIds: [], versionIds: ['wine@1'] });
    if (!zip.ok) throw new Error(zip.error.message);
    const target = await make();
    const imported = await importBundle(target, zip.value);
    expect(imported.ok).toBe(true);
    expect(await target.getRun('r1')).toEqual(r.value.run);
    expect(JSON.stringify(await target.getVersionModel('wine@1'))).toBe(
      JSON.stringify(await store.getVersionModel('wine@1')),
    );
    expect(await target.getDatasetData(r.value.run.dataset.id)).toEqual(bytes);
  });
});
