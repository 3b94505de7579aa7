import { asNetwork } from '../../src/core/model/model-kind.ts';
import { upgradeConfig } from '../../src/core/store/upgrade.ts';
// Registry benchmarks for `npm run bench`, run in the page: the app's Repository (IndexedDB through
// idb) against tfjs's own `indexeddb://` model storage, and listing 1,000 runs.
import * as tf from '@tensorflow/tfjs';
import { Repository } from '../../src/app/storage/repository.ts';
import { modelToArtifacts, artifactsToModel, disposeModel } from '../../src/core/model/artifacts.ts';
import type { RunRecord } from '../../src/core/model/spec.ts';
import { startedRun } from '../../src/core/model/started-run.ts';
import type { ModelVersion } from '../../src/core/store/records.ts';

export interface RegistryRow {
  name: string;
  ms: number;
  note?: string;
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(reps: number, f: (i: number) => Promise<unknown>): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await f(i);
    t.push(performance.now() - t0);
  }
  return median(t);
}

/** 1,000 run records like the app writes (each with a 30-epoch history). */
export function fakeRuns(n: number): RunRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const r = startedRun({
      id: `bench-${i}`,
      name: `bench run ${i}`,
      dataset: { id: 'd', name: 'digits-8x8.csv', rows: 1797 },
      schema: {
        columns: [
          {
            name: 'digit',
            type: 'categorical',
            inferredType: 'categorical',
            role: 'label',
            missing: 0,
            distinct: 10,
            examples: [],
          },
        ],
        label: 'digit',
      },
      split: { kind: 'stratified', fractions: [0.7, 0.15, 0.15], seed: i },
      config: upgradeConfig({ seed: i }),
      environment: { backend: 'wasm', backendReason: '', runtime: 'bench', appVersion: 'bench' },
    });
    return {
      ...r,
      status: 'finished',
      createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60000).toISOString(),
      history: Array.from({ length: 30 }, (_, e) => ({
        epoch: e + 1,
        train: { loss: 1 / (e + 1), accuracy: 0.9 },
        validation: { loss: 1.1 / (e + 1), accuracy: 0.88 },
        samplesPerSecond: 15000,
        elapsedMs: e * 100,
      })),
      metrics: { train: { loss: 0.1, accuracy: 0.95 }, validation: { loss: 0.2, accuracy: 0.9 + (i % 10) / 1000 } },
    };
  });
}

export async function registryBench(): Promise<RegistryRow[]> {
  await tf.setBackend('cpu');
  await new Promise<void>((resolve) => {
    const r = indexedDB.deleteDatabase('benchtop-bench');
    r.onsuccess = r.onerror = () => resolve();
  });
  const repo = await Repository.open('benchtop-bench');
  // A dense 1000→1000 layer: 1,001,000 parameters (4 MB of float32 weights).
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1000, inputShape: [1000] })] });
  const artifacts = await modelToArtifacts(model);
  const pre = {
    format: 'benchtop-preprocessor@1' as const,
    features: [],
    label: { task: 'regression' as const, column: 'y', mean: 0, std: 1 },
    inputSize: 1000,
    inputNames: [],
  };
  const version = (i: number): ModelVersion => ({
    id: `big@${i + 1}`,
    name: 'big',
    version: i + 1,
    lineage: { architecture: 1, retrain: i + 1, update: 0 },
    label: `V1.${i + 1}.0`,
    relation: 'retrain',
    parentId: null,
    runId: 'r',
    datasetId: 'd',
    createdAt: '',
    createdBy: 'bench',
    task: 'regression',
    modelKind: 'mlp',
    metrics: { validation: { loss: 0 } },
    tags: [],
  });
  const rows: RegistryRow[] = [];
  const reps = 5;
  rows.push({
    name: 'save 1M-parameter model version (Benchtop repository)',
    ms: await time(reps, (i) => repo.addVersion(version(i), { kind: 'network', artifacts, preprocessor: pre })),
  });
  rows.push({
    name: 'load 1M-parameter model version (Benchtop repository → tfjs model)',
    ms: await time(reps, async (i) =>
      disposeModel(await artifactsToModel(asNetwork((await repo.getVersionModel(`big@${i + 1}`))!).artifacts)),
    ),
  });
  rows.push({
    name: "save 1M-parameter model (tfjs 'indexeddb://')",
    ms: await time(reps, (i) => model.save(`indexeddb://bench-1m-${i}`)),
  });
  rows.push({
    name: "load 1M-parameter model (tfjs 'indexeddb://')",
    ms: await time(reps, async (i) => disposeModel(await tf.loadLayersModel(`indexeddb://bench-1m-${i}`))),
  });
  const runs = fakeRuns(1000);
  const t0 = performance.now();
  await repo.importAll({ runs: runs.map((run) => ({ run })), datasets: [], versions: [], cards: [], experiments: [] });
  rows.push({ name: 'write 1,000 runs (one transaction)', ms: performance.now() - t0 });
  rows.push({ name: 'list 1,000 runs', ms: await time(reps, () => repo.listRuns()) });
  model.dispose();
  repo.close();
  for (let i = 0; i < reps; i++) await tf.io.removeModel(`indexeddb://bench-1m-${i}`).catch(() => undefined);
  return rows;
}

/** Seeds the app's own database with 1,000 runs, for the "open the runs table" measurement. */
export async function seedAppRuns(): Promise<void> {
  const repo = await Repository.open();
  await repo.importAll({
    runs: fakeRuns(1000).map((run) => ({ run })),
    datasets: [],
    versions: [],
    cards: [],
    experiments: [],
  });
  repo.close();
}
