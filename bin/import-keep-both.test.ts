import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FsStore } from './fs-store.ts';
import { shippedTable, trainRequest } from '../tests/unit/fixtures.ts';
import { runTraining } from '../src/core/model/run-training.ts';
import type { RunRecord, TrainedModel } from '../src/core/model/spec.ts';
import { MemoryStore } from '../src/core/store/memory-store.ts';
import type { DatasetRecord, ModelVersion } from '../src/core/store/records.ts';
import type { ImportPayload, Store } from '../src/core/store/store.ts';
import { upgradeConfig } from '../src/core/store/upgrade.ts';
import { runBenchtop } from './run-cli.ts';

// Issue 16: nothing stored is ever replaced by an import, in the stores and on the command line.

const scratch = () => mkdtemp(join(tmpdir(), 'benchtop-keep-'));
const stores: [string, () => Promise<Store>][] = [
  ['memory', async () => new MemoryStore()],
  ['file system', async () => new FsStore(join(await scratch(), 'store'))],
];

let trained: { run: RunRecord; model: TrainedModel };
beforeAll(async () => {
  const table = shippedTable('wine.csv');
  const r = await runTraining(
    trainRequest(table, 'cultivar', upgradeConfig({ model: { kind: 'tree', maxDepth: 3 } }), {
      runId: 'r1',
      runName: 'wine tree',
      file: 'wine.csv',
    }),
  );
  if (!r.ok) throw new Error(r.error.message);
  trained = r.value;
});

const dataset = (id: string, name: string): DatasetRecord => ({
  id,
  name,
  rowCount: 3,
  columns: ['a'],
  label: 'a',
  provenance: name,
  savedAt: '2024-01-01T00:00:00Z',
  bytes: 3,
});
const version = (run: RunRecord, n: number): ModelVersion => ({
  id: `wine@${n}`,
  name: 'wine',
  version: n,
  lineage: { architecture: 1, retrain: n, update: 0 },
  label: `V1.${n}.0`,
  relation: 'retrain',
  parentId: null,
  runId: run.id,
  datasetId: run.dataset.id,
  createdAt: '2024-01-01T00:00:00Z',
  createdBy: 'test',
  task: 'classification',
  modelKind: 'tree',
  metrics: { validation: run.metrics.validation },
  tags: [],
});
const empty = (p: Partial<ImportPayload>): ImportPayload => ({
  runs: [],
  datasets: [],
  versions: [],
  cards: [],
  experiments: [],
  ...p,
});

describe.each(stores)('importAll never replaces (%s store)', (_name, make) => {
  it('refuses a run whose id is stored, writing nothing else of the import', async () => {
    const store = await make();
    expect((await store.saveRun(trained.run, trained.model)).ok).toBe(true);
    const other = { ...trained.run, name: 'an impostor' };
    const r = await store.importAll(
      empty({
        runs: [
          { run: { ...trained.run, id: 'new-one' }, model: trained.model },
          { run: other, model: trained.model },
        ],
        datasets: [{ record: dataset('dx', 'new.csv') }],
      }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe('conflict');
    expect(r.error.message).toContain('run r1');
    expect(r.error.message).toContain('nothing stored was replaced');
    expect((await store.getRun('r1'))?.name).toBe('wine tree');
    expect(await store.getRun('new-one')).toBeUndefined();
    expect(await store.getDatasetRecord('dx')).toBeUndefined();
  });

  it('refuses a version or card whose id is stored', async () => {
    const store = await make();
    await store.saveRun(trained.run, trained.model);
    expect((await store.addVersion(version(trained.run, 1), trained.model)).ok).toBe(true);
    const card = {
      versionId: 'wine@1',
      overview: 'mine',
      users: '',
      useCases: '',
      limitations: '',
      tradeoffs: '',
      ethics: '',
      updatedAt: 'now',
    };
    await store.saveCard(card);
    const v = await store.importAll(
      empty({ versions: [{ version: { ...version(trained.run, 1), tags: ['theirs'] }, model: trained.model }] }),
    );
    expect(!v.ok && v.error.kind).toBe('conflict');
    expect((await store.getVersion('wine@1'))?.tags).toEqual([]);
    const c = await store.importAll(empty({ cards: [{ ...card, overview: 'theirs' }] }));
    expect(!c.ok && c.error.kind).toBe('conflict');
    expect((await store.getCard('wine@1'))?.overview).toBe('mine');
  });

  it('keeps a stored dataset and experiment as they are, and writes the new ones', async () => {
    const store = await make();
    await store.saveDatasetRecord(dataset('d1', 'mine.csv'), new Uint8Array([1, 2, 3]));
    await store.saveExperiment({ id: 'e1', name: 'Mine', createdAt: '2024-01-01T00:00:00Z' });
    const r = await store.importAll(
      empty({
        datasets: [
          { record: dataset('d1', 'theirs.csv'), data: new Uint8Array([9, 9, 9]) },
          { record: dataset('d2', 'new.csv'), data: new Uint8Array([4, 5, 6]) },
        ],
        experiments: [
          { id: 'e1', name: 'Theirs', createdAt: '2024-02-01T00:00:00Z' },
          { id: 'e2', name: 'New', createdAt: '2024-02-01T00:00:00Z' },
        ],
        runs: [{ run: trained.run, model: trained.model }],
      }),
    );
    expect(r.ok).toBe(true);
    expect((await store.getDatasetRecord('d1'))?.name).toBe('mine.csv');
    expect(await store.getDatasetData('d1')).toEqual(new Uint8Array([1, 2, 3]));
    expect((await store.getDatasetRecord('d2'))?.name).toBe('new.csv');
    expect(await store.getDatasetData('d2')).toEqual(new Uint8Array([4, 5, 6]));
    const experiments = Object.fromEntries((await store.listExperiments()).map((e) => [e.id, e.name]));
    expect(experiments).toEqual({ e1: 'Mine', e2: 'New' });
    expect(JSON.stringify(await store.getModel('r1'))).toBe(JSON.stringify(trained.model));
  });

  it('addRun adds a new run and refuses a stored id, keeping the stored run', async () => {
    const store = await make();
    expect((await store.addRun(trained.run, trained.model)).ok).toBe(true);
    const again = await store.addRun({ ...trained.run, name: 'an impostor' }, trained.model);
    expect(!again.ok && again.error.kind).toBe('conflict');
    expect(!again.ok && again.error.message).toContain('r1');
    expect((await store.getRun('r1'))?.name).toBe('wine tree');
    // saveRun stays the owner's update.
    expect((await store.saveRun({ ...trained.run, tags: ['mine'] }, trained.model)).ok).toBe(true);
    expect((await store.getRun('r1'))?.tags).toEqual(['mine']);
  });
});

describe('file-system importAll is all or nothing', () => {
  it('removes what it wrote when a run appears under its feet (here: twice in one import)', async () => {
    const root = join(await scratch(), 'store');
    const store = new FsStore(root);
    const r = await store.importAll(
      empty({
        datasets: [{ record: dataset('d9', 'new.csv'), data: new Uint8Array([1]) }],
        runs: [
          { run: trained.run, model: trained.model },
          { run: { ...trained.run, name: 'second' }, model: trained.model },
        ],
      }),
    );
    expect(!r.ok && r.error.kind).toBe('conflict');
    expect(!r.ok && r.error.message).toContain('Nothing was imported');
    expect(await store.listRuns()).toEqual([]);
    expect(await store.getDatasetRecord('d9')).toBeUndefined();
    expect((await readdir(join(root, 'runs'))).filter((n) => !n.includes('.tmp-'))).toEqual([]);
  });
});

// The command line, as a person runs it (bin/cli.test.ts shows the same harness).
const DATA = new URL('../public/datasets/', import.meta.url).pathname;

const benchtop = (args: string[], cwd: string) => runBenchtop(args, { cwd });

describe('benchtop bundle-import keeps both', () => {
  it('importing the same bundle twice keeps both copies and prints what it renamed', async () => {
    const dir = await scratch();
    const store = join(dir, 'a');
    const trainedRun = await benchtop(
      [
        'train',
        '--data',
        join(DATA, 'wine.csv'),
        '--label',
        'cultivar',
        '--model',
        'tree',
        '--max-depth',
        '3',
        '--out',
        join(dir, 'm'),
        '--store',
        store,
      ],
      dir,
    );
    expect(trainedRun.code, trainedRun.stderr).toBe(0);
    const id = JSON.parse(trainedRun.stdout).run as string;
    expect((await benchtop(['register', '--store', store, '--run', id, '--name', 'wine'], dir)).code).toBe(0);
    const zip = join(dir, 'wine.zip');
    const exported = await benchtop(['bundle-export', '--store', store, '--versions', 'wine@1', '--out', zip], dir);
    expect(exported.code, exported.stderr).toBe(0);

    const other = join(dir, 'b');
    const first = await benchtop(['bundle-import', zip, '--store', other], dir);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ ok: true, runs: 1, versions: 1, datasets: 1, renamed: [], kept: [] });
    const runJson = await readFile(join(other, 'runs', encodeURIComponent(id), 'run.json'), 'utf8');
    const versionJson = await readFile(join(other, 'versions', 'wine%401', 'version.json'), 'utf8');

    const second = await benchtop(['bundle-import', zip, '--store', other], dir);
    expect(second.code, second.stderr).toBe(0);
    const out = JSON.parse(second.stdout);
    expect(out).toEqual({
      ok: true,
      runs: 1,
      versions: 1,
      datasets: 0,
      renamed: [
        { kind: 'run', from: id, to: `${id}-import-2` },
        { kind: 'version', from: 'wine@1', to: 'wine@2' },
      ],
      kept: [{ kind: 'dataset', id: expect.any(String) }],
    });

    // The first copy is byte for byte what it was; the second is beside it, saying where it came from.
    expect(await readFile(join(other, 'runs', encodeURIComponent(id), 'run.json'), 'utf8')).toBe(runJson);
    expect(await readFile(join(other, 'versions', 'wine%401', 'version.json'), 'utf8')).toBe(versionJson);
    const runs = JSON.parse((await benchtop(['runs', '--store', other], dir)).stdout) as { id: string }[];
    expect(runs.map((r) => r.id).sort()).toEqual([id, `${id}-import-2`].sort());
    const copy = JSON.parse(
      await readFile(join(other, 'runs', encodeURIComponent(`${id}-import-2`), 'run.json'), 'utf8'),
    );
    expect(copy.importedFrom).toEqual({ id, source: zip, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const versions = JSON.parse((await benchtop(['versions', '--store', other, '--name', 'wine'], dir)).stdout) as {
      id: string;
      run: string;
    }[];
    expect(versions.map((v) => [v.id, v.run])).toEqual([
      ['wine@1', id],
      ['wine@2', `${id}-import-2`],
    ]);
    // The copy's card is built from its own version and run.
    const card = await benchtop(['card', '--store', other, '--version', 'wine@2', '--format', 'json'], dir);
    expect(card.code, card.stderr).toBe(0);
  }, 120_000);
});
