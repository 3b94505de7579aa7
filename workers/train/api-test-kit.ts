import { configFor } from '../../src/core/families/index.ts';
// Test helpers for the training worker's feature modules: the data and training APIs in Node, over the
// app's shipped datasets, and a small network trained on wine.csv (178 rows, 13 features, 3 classes).
import { readFile } from 'node:fs/promises';
import { createDataApi } from '../data.api.ts';
import { createTrainApi } from '../train.api.ts';
import { type RunRecord, type TrainedModel } from '../../src/core/model/spec.ts';
import type { DatasetInfo } from '../data.api.ts';
import type { RunSource } from './run-cache.ts';

const root = new URL('../../public/', import.meta.url);

/** fetch over public/: what the data worker reads in the app, from the file system. */
export const fileFetch = (async (url: string) => {
  const path = new URL(new URL(url).pathname.slice(1), root);
  try {
    return new Response(await readFile(path));
  } catch {
    return new Response('not found', { status: 404 });
  }
}) as unknown as typeof fetch;

/** An in-memory run source (the page's repository in the app) that counts its reads. */
export function memoryRuns() {
  const runs = new Map<string, RunRecord>();
  const models = new Map<string, TrainedModel>();
  const reads = { run: 0, model: 0 };
  const source: RunSource = {
    async run(id) {
      reads.run++;
      return runs.get(id);
    },
    async model(id) {
      reads.model++;
      return models.get(id);
    },
  };
  const put = (run: RunRecord, model?: TrainedModel) => {
    runs.set(run.id, run);
    if (model) models.set(run.id, model);
  };
  return { source, reads, put, runs, models };
}

/** A data API and a training API connected to it, as the two workers are in the app, and a run source. */
export function apis() {
  const data = createDataApi(fileFetch, 'http://app.local/');
  const store = memoryRuns();
  const train = createTrainApi({
    tables: (id) => data.getTable(id),
    runs: store.source,
    runtime: 'node',
    appVersion: 'test',
  });
  return { data, train, store };
}

/**
 * The worker APIs, wine.csv loaded, and an MLP trained on it for 5 epochs (seeded, stratified split),
 * stored in the run source as `wine-mlp`.
 */
export async function trainedOnWine(): Promise<
  ReturnType<typeof apis> & { ds: DatasetInfo; run: RunRecord; model: TrainedModel }
> {
  const { data, train, store } = apis();
  const ds = await data.loadCatalog('wine');
  if (!ds.ok) throw new Error(ds.error.message);
  const res = await train.train({
    runId: 'wine-mlp',
    runName: 'wine mlp',
    datasetId: ds.value.id,
    schema: ds.value.schema,
    split: { kind: 'stratified', fractions: [0.7, 0.15, 0.15], seed: 1 },
    config: configFor('mlp', { epochs: 5, learningRate: 0.01 }),
  });
  if (!res.ok) throw new Error(res.error.message);
  store.put(res.value.run, res.value.model);
  return { data, train, store, ds: ds.value, ...res.value };
}
