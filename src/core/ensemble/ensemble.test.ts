import { asEnsemble } from '../model/model-kind.ts';
import { upgradeConfig } from '../store/upgrade.ts';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { shippedTable } from '../../../tests/unit/fixtures.ts';
import { datasetVersionId } from '../data/dataset-hash.ts';
import { inferSchema } from '../data/schema.ts';
import type { Table } from '../data/table.ts';
import { bundleToFiles, filesToBundle } from '../model/model-bundle.ts';
import { runTraining } from '../model/run-training.ts';
type ModelSpec = Record<string, unknown> & { kind: string };
import { combineRuns, predictAnyRows, runEnsembleTraining } from './ensemble.ts';

const env = { backend: 'wasm' as const, backendReason: '', runtime: 'vitest', appVersion: 'test' };
const split = { kind: 'stratified' as const, fractions: [0.6, 0.2, 0.2] as [number, number, number], seed: 4 };

function req(table: Table, label: string, model: Partial<ModelSpec>, extra: Record<string, unknown> = {}) {
  return {
    runId: `r-${model.kind}`,
    runName: String(model.kind),
    table,
    dataset: { id: datasetVersionId(table), name: 't' },
    schema: inferSchema(table, label),
    split,
    config: upgradeConfig({ model, epochs: 20, learningRate: 0.02, ...extra }),
    environment: env,
  };
}

describe('ensembles', () => {
  let cancer: Table, wine: Table;
  beforeAll(async () => {
    await tf.setBackend('wasm');
    cancer = shippedTable('breast-cancer-wisconsin.csv');
    wine = shippedTable('wine.csv');
  });

  it('AdaBoost over decision stumps beats a single stump', async () => {
    const stump = await runTraining(req(cancer, 'diagnosis', { kind: 'tree', maxDepth: 1 }));
    const boosted = await runEnsembleTraining({
      ...req(cancer, 'diagnosis', { kind: 'tree', maxDepth: 1 }),
      method: 'adaboost',
      members: 25,
    });
    if (!stump.ok || !boosted.ok) throw new Error('failed');
    expect(boosted.value.run.metrics.test!.accuracy!).toBeGreaterThan(stump.value.run.metrics.test!.accuracy! + 0.02);
    expect(asEnsemble(boosted.value.model).ensemble.weights!.length).toBe(
      asEnsemble(boosted.value.model).ensemble.members.length,
    );
    expect(boosted.value.run.ensemble!.method).toBe('adaboost');
  });

  it('bagging is deterministic for a seed and round-trips through the bundle format', async () => {
    const a = await runEnsembleTraining({
      ...req(wine, 'cultivar', { kind: 'tree', maxDepth: 4 }),
      method: 'bag',
      members: 5,
    });
    const b = await runEnsembleTraining({
      ...req(wine, 'cultivar', { kind: 'tree', maxDepth: 4 }),
      method: 'bag',
      members: 5,
    });
    if (!a.ok || !b.ok) throw new Error('failed');
    expect(b.value.run.metrics).toEqual(a.value.run.metrics);
    const back = filesToBundle(bundleToFiles(a.value), 'dir');
    if (!back.ok) throw new Error(back.error.message);
    const rows = Uint32Array.from(a.value.run.fingerprint.rows);
    const p = await predictAnyRows(back.value.model, wine, rows);
    expect(p.ok && Array.from(p.value)).toEqual(a.value.run.fingerprint.outputs);
  });

  it('combines runs by vote, average and stacking; refuses members trained on another split', async () => {
    const members = [];
    for (const kind of ['logistic', 'tree', 'knn'] as const) {
      const r = await runTraining(req(wine, 'cultivar', { kind, maxDepth: 3 }));
      if (!r.ok) throw new Error(r.error.message);
      members.push(r.value);
    }
    for (const method of ['vote-hard', 'vote-soft', 'stack'] as const) {
      const c = await combineRuns(members, method, wine, { runId: method, runName: method, environment: env });
      if (!c.ok) throw new Error(c.error.message);
      expect(c.value.run.metrics.test!.accuracy!).toBeGreaterThan(0.85);
      expect(c.value.run.ensemble!.members.map((m) => m.runId)).toEqual(members.map((m) => m.run.id));
      const p = await predictAnyRows(c.value.model, wine, Uint32Array.from(c.value.run.fingerprint.rows));
      expect(p.ok && Array.from(p.value)).toEqual(c.value.run.fingerprint.outputs);
    }
    const other = await runTraining({ ...req(wine, 'cultivar', { kind: 'tree' }), split: { ...split, seed: 99 } });
    if (!other.ok) throw new Error('failed');
    const bad = await combineRuns([members[0]!, other.value], 'vote-soft', wine, {
      runId: 'x',
      runName: 'x',
      environment: env,
    });
    expect(!bad.ok && bad.error.kind).toBe('incompatible-members');
  });
});
