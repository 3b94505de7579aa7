import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import * as tf from '@tensorflow/tfjs';
import { unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { shippedTable, trainRequest } from '../../../tests/unit/fixtures.ts';
import type { RunRecord, TrainedModel } from '../contracts/index.ts';
import { datasetVersionId } from '../data/dataset-hash.ts';
import { encodeTable } from '../data/table-codec.ts';
import { runTraining } from '../model/run-training.ts';
import { registerVersion } from '../registry/registry.ts';
import { exportBundle, importBundle, readBundle } from './bundle.ts';
import { MemoryStore } from './memory-store.ts';
import { upgradeConfig } from './upgrade.ts';

// A bundle exported from a store holding real runs (an MLP and a tree on wine), a registered version,
// its card, the dataset and an experiment; each test edits one file and re-signs the manifest so the
// checksums match, as a person altering the bundle would.
const wine = shippedTable('wine.csv');
const runs: { run: RunRecord; model: TrainedModel }[] = [];
let bundle: Uint8Array;

beforeAll(async () => {
  await tf.setBackend('cpu');
  for (const [id, model] of [
    ['mlp-1', { kind: 'mlp', hidden: [8] }],
    ['tree-1', { kind: 'tree', maxDepth: 3 }],
  ] as const) {
    const r = await runTraining(
      trainRequest(wine, 'cultivar', upgradeConfig({ model, epochs: 2, seed: 1 }), { runId: id, file: 'wine.csv' }),
    );
    if (!r.ok) throw new Error(r.error.message);
    runs.push({ run: { ...r.value.run, experimentId: 'exp-1', tags: ['a'] }, model: r.value.model });
  }
  const store = new MemoryStore();
  for (const r of runs) await store.saveRun(r.run, r.model);
  await store.saveExperiment({ id: 'exp-1', name: 'First', createdAt: 'now' });
  const id = datasetVersionId(wine);
  await store.saveDatasetRecord(
    {
      id,
      name: 'wine.csv',
      rowCount: wine.rowCount,
      columns: wine.columns.map((c) => c.name),
      label: 'cultivar',
      provenance: 'UCI Wine',
      savedAt: 'now',
      bytes: 1,
    },
    encodeTable(wine),
  );
  const v = await registerVersion(store, { name: 'wine', run: runs[1]!.run, model: runs[1]!.model });
  if (!v.ok) throw new Error(v.error.message);
  await store.saveCard({
    versionId: 'wine@1',
    overview: 'o',
    users: '',
    useCases: '',
    limitations: '',
    tradeoffs: '',
    ethics: '',
    updatedAt: 'now',
  });
  const b = await exportBundle(store, { runIds: ['mlp-1'], versionIds: ['wine@1'] });
  if (!b.ok) throw new Error(b.error.message);
  bundle = b.value;
}, 120_000);

const dec = new TextDecoder();
const enc = new TextEncoder();

/** The bundle with one file edited and the manifest's checksums recomputed. */
function tampered(edit: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(bundle);
  edit(files);
  const manifest = JSON.parse(dec.decode(files['manifest.json']));
  manifest.files = Object.fromEntries(
    Object.entries(files)
      .filter(([p]) => p !== 'manifest.json')
      .map(([p, b]) => [p, { sha256: bytesToHex(sha256(b)), bytes: b.byteLength }]),
  );
  files['manifest.json'] = enc.encode(JSON.stringify(manifest));
  return zipSync(files);
}

const editJson = (files: Record<string, Uint8Array>, path: string, edit: (j: Record<string, unknown>) => unknown) => {
  const j = JSON.parse(dec.decode(files[path]));
  files[path] = enc.encode(JSON.stringify(edit(j) ?? j));
};

describe('readBundle checks every record against its schema', () => {
  it('a bundle as exported imports, every record unchanged', async () => {
    const fresh = new MemoryStore();
    const r = await importBundle(fresh, bundle, 'b.zip');
    expect(r.ok && r.value).toEqual({ runs: 2, versions: 1, datasets: 1, renamed: [], kept: [] });
    expect(JSON.parse(JSON.stringify(await fresh.getRun('mlp-1')))).toEqual(JSON.parse(JSON.stringify(runs[0]!.run)));
    expect((await fresh.listExperiments()).map((e) => e.id)).toEqual(['exp-1']);
    expect((await fresh.getCard('wine@1'))?.overview).toBe('o');
  });

  it('re-signing an unchanged bundle changes nothing (the helper is sound)', () => {
    expect(
      readBundle(
        tampered(() => {}),
        'same.zip',
      ).ok,
    ).toBe(true);
  });

  it('run.json with status 42 and history "nope" (checksums fixed) is refused naming the file and field', async () => {
    const bytes = tampered((f) => editJson(f, 'runs/mlp-1/run.json', (j) => ({ ...j, status: 42, history: 'nope' })));
    const store = new MemoryStore();
    const r = await importBundle(store, bytes, 'evil.zip');
    expect(!r.ok && r.error).toEqual({
      kind: 'bad-record',
      file: 'evil.zip',
      field: 'status',
      message:
        'evil.zip: runs/mlp-1/run.json: field "status" must be one of "running", "finished", "cancelled", ' +
        '"failed" or "interrupted" (it holds the number 42).',
    });
    expect(store.runs.size).toBe(0);
    const history = readBundle(
      tampered((f) => editJson(f, 'runs/mlp-1/run.json', (j) => ({ ...j, history: 'nope' }))),
      'evil.zip',
    );
    expect(!history.ok && history.error.message).toBe(
      'evil.zip: runs/mlp-1/run.json: field "history" must be a list of epochs (it holds a string "nope").',
    );
  });

  it('a run record under another id is refused', () => {
    const r = readBundle(
      tampered((f) => editJson(f, 'runs/mlp-1/run.json', (j) => ({ ...j, id: 'other' }))),
      'x.zip',
    );
    expect(!r.ok && r.error.message).toBe('x.zip: runs/mlp-1/run.json holds run "other", not "mlp-1".');
  });

  it('model files inside the bundle are checked too (schema and sanity)', () => {
    const units = readBundle(
      tampered((f) =>
        editJson(f, 'runs/mlp-1/model/model.json', (j) => {
          (j.modelTopology as { config: { layers: { config: { units: number } }[] } }).config.layers[0]!.config.units =
            1e9;
        }),
      ),
      'x.zip',
    );
    expect(!units.ok && units.error.kind).toBe('model-too-large');
    expect(!units.ok && units.error.message).toMatch(
      /^x\.zip\/runs\/mlp-1\/model\/model\.json: layer "dense_0" \(units 1000000000\) would need/,
    );
    const pre = readBundle(
      tampered((f) => editJson(f, 'runs/mlp-1/model/preprocessing.json', (j) => ({ ...j, inputSize: 'many' }))),
      'x.zip',
    );
    expect(!pre.ok && pre.error.message).toBe(
      'x.zip/runs/mlp-1/model/preprocessing.json: field "inputSize" must be a whole number ≥ 0 (it holds a string "many").',
    );
  });

  it('version.json, cards, datasets, experiments and the manifest are checked field by field', () => {
    const cases: [string, (j: Record<string, unknown>) => unknown, RegExp][] = [
      [
        'versions/wine%401/version.json',
        (j) => ({ ...j, tags: 'x' }),
        /x\.zip: versions\/wine@1\/version\.json: field "tags" must be a list of tags \(it holds a string "x"\)\./,
      ],
      [
        'versions/wine%401/version.json',
        (j) => ({ ...j, version: 1.5 }),
        /field "version" must be a whole number ≥ 0 \(it holds the number 1\.5\)/,
      ],
      [
        'cards/wine%401.json',
        (j) => ({ ...j, overview: null }),
        /x\.zip: cards\/wine@1\.json: field "overview" must be text \(it holds null\)\./,
      ],
      [
        `datasets/${datasetVersionId(wine)}.json`,
        (j) => ({ ...j, columns: {} }),
        /datasets\/\w+\.json: field "columns" must be a list of column names \(it holds an empty object\)/,
      ],
      [
        'experiments.json',
        () => [{ id: 'e', name: 7, createdAt: 'now' }],
        /x\.zip: experiments\.json: field "\[0\]\.name" must be text \(it holds the number 7\)\./,
      ],
    ];
    for (const [path, edit, want] of cases) {
      const r = readBundle(
        tampered((f) => editJson(f, path, edit)),
        'x.zip',
      );
      expect(!r.ok && r.error.message, path).toMatch(want);
    }
    const files = unzipSync(bundle);
    const manifest = JSON.parse(dec.decode(files['manifest.json']));
    files['manifest.json'] = enc.encode(JSON.stringify({ ...manifest, runs: 'mlp-1' }));
    const m = readBundle(zipSync(files), 'x.zip');
    expect(!m.ok && m.error.message).toBe(
      'x.zip: manifest.json: field "runs" must be a list of run ids (it holds a string "mlp-1").',
    );
    files['manifest.json'] = enc.encode('null');
    const n = readBundle(zipSync(files), 'x.zip');
    expect(!n.ok && n.error.message).toBe('x.zip is not a Benchtop bundle (manifest format missing).');
  });
});
