import { upgradeConfig } from '../src/core/store/upgrade.ts';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createDataApi } from './data.api.ts';
import { createTrainApi } from './train.api.ts';

// The worker APIs are plain objects over the core: tested here in Node, without a worker.
const root = new URL('../public/', import.meta.url);
const fileFetch = (async (url: string) => {
  const path = new URL(new URL(url).pathname.slice(1), root);
  try {
    return new Response(await readFile(path));
  } catch {
    return new Response('not found', { status: 404 });
  }
}) as unknown as typeof fetch;

describe('data + training worker APIs', () => {
  const data = createDataApi(fileFetch, 'http://app.local/');
  const train = createTrainApi({ tables: (id) => data.getTable(id), runtime: 'node', appVersion: 'test' });

  it('loads a shipped dataset with its catalog defaults', async () => {
    const r = await data.loadCatalog('seattle-weather');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      name: 'seattle-weather.csv',
      rowCount: 1461,
      split: { kind: 'time', timeColumn: 'date' },
    });
    expect(r.value.schema.label).toBe('weather');
    expect(r.value.schema.columns.find((c) => c.name === 'date')!.role).toBe('ignore');
    expect(r.value.preview).toHaveLength(8);
  });

  it('reports an unreachable file without throwing', async () => {
    const broken = createDataApi(
      (async () => {
        throw new TypeError('Failed to fetch');
      }) as unknown as typeof fetch,
      'http://app.local/',
    );
    const r = await broken.loadCatalog('wine');
    expect(!r.ok && r.error).toMatchObject({ kind: 'unreachable', file: 'wine.csv' });
  });

  it('refuses a file over the size limit before reading it', async () => {
    const huge = { name: 'huge.csv', size: 2 ** 40, arrayBuffer: async () => new ArrayBuffer(0) } as unknown as Blob & {
      name: string;
    };
    const r = await data.importFile(huge);
    expect(!r.ok && r.error.kind).toBe('too-large');
  });

  it('imports a JSON file and trains on it through the training API, then checks the fingerprint', async () => {
    const file = new File([await readFile(new URL('datasets/penguins.json', root))], 'penguins.json');
    const r = await data.importFile(file);
    if (!r.ok) throw new Error(r.error.message);
    const status = await train.setBackend('auto');
    expect(status.backend).toBe('wasm'); // Node 20: no GPU, WebAssembly available
    const before = await train.tensors();
    const schema = {
      ...r.value.schema,
      label: 'Species',
      columns: r.value.schema.columns.map((c) => ({
        ...c,
        role: c.name === 'Species' ? ('label' as const) : c.role === 'label' ? ('feature' as const) : c.role,
      })),
    };
    const epochs: number[] = [];
    const res = await train.train(
      {
        runId: 'r',
        runName: 'n',
        datasetId: r.value.id,
        schema,
        split: { kind: 'stratified', fractions: [0.7, 0.15, 0.15], seed: 1 },
        config: upgradeConfig({ epochs: 3, learningRate: 0.01 }),
      },
      undefined,
      (e) => epochs.push(e.epoch),
    );
    if (!res.ok) throw new Error(res.error.message);
    expect(epochs).toEqual([1, 2, 3]);
    expect(res.value.run.metrics.validation.accuracy).toBeGreaterThan(0.9);
    const check = await train.checkFingerprint(res.value);
    expect(check.ok && check.value.maxAbsDiff).toBeLessThan(1e-6);
    expect(check.ok && check.value.onnx).toMatchObject({ maxAbsDiff: expect.any(Number) });
    if (check.ok && 'maxAbsDiff' in check.value.onnx) expect(check.value.onnx.maxAbsDiff).toBeLessThan(1e-5);
    const zip = await train.exportBundle(res.value);
    const back = await train.importBundle([{ name: 'm.zip', bytes: zip }]);
    expect(back.ok && back.value.run.id).toBe('r');
    expect(await train.tensors()).toBe(before);
  });

  it('training on a dataset that is not loaded says so', async () => {
    const res = await train.train({
      runId: 'x',
      runName: 'x',
      datasetId: 'nope',
      schema: { columns: [], label: null },
      split: { kind: 'random', fractions: [0.7, 0.15, 0.15], seed: 1 },
      config: upgradeConfig({}),
    });
    expect(!res.ok && res.error.kind).toBe('not-loaded');
  });
});
