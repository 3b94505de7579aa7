import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { FsStore } from '../../bin/fs-store.ts';
import { transformFeatures } from '../../src/core/data/preprocess.ts';
import { predictMatrix, maxAbsDifference } from '../../src/core/model/predict-table.ts';
import { upgradeConfig, upgradeModel } from '../../src/core/store/upgrade.ts';
import { shippedTable } from './fixtures.ts';

// A store written by the code before model families (tests/fixtures/v3-store/README.md says how).
const FIXTURE = new URL('../fixtures/v3-store/', import.meta.url).pathname;

describe('data written before model families opens with nothing lost', () => {
  it('the file store upgrades runs and models, and each model predicts its fingerprint again', async () => {
    await tf.setBackend('cpu');
    const dir = mkdtempSync(join(tmpdir(), 'benchtop-v3-'));
    cpSync(FIXTURE, dir, { recursive: true });
    const store = new FsStore(dir);
    const runs = await store.listRuns();
    expect(runs.map((r) => r.config.kind).sort()).toEqual(['logistic', 'tree']);
    const table = shippedTable('wine.csv');
    for (const run of runs) {
      expect(run.format).toBe('benchtop-run@2');
      if (run.config.kind === 'tree') expect(run.config.params).toEqual({ maxDepth: 3, minSamplesLeaf: 1 });
      else expect(run.config.params).toMatchObject({ epochs: 3, learningRate: 0.001, optimizer: 'adam', l2: 0 });
      const model = await store.getModel(run.id);
      expect(model?.kind).toBe(run.config.kind === 'tree' ? 'classical' : 'network');
      const X = transformFeatures(model!.preprocessor, table, Uint32Array.from(run.fingerprint.rows));
      if (!X.ok) throw new Error(X.error.message);
      const out = await predictMatrix(model!, X.value, run.fingerprint.rows.length);
      expect(maxAbsDifference(out, run.fingerprint.outputs)).toBeLessThan(1e-6);
    }
  });

  it('upgrades old shapes and leaves new ones as they are', () => {
    const old = { model: { kind: 'gbt', nEstimators: 7, hidden: [3] }, epochs: 9, seed: 5 };
    const c = upgradeConfig(old);
    expect(c).toEqual({
      kind: 'gbt',
      params: { nEstimators: 7, boostLearningRate: 0.1, maxDepth: 6, minSamplesLeaf: 1, subsample: 1 },
      seed: 5,
    });
    expect(upgradeConfig(c)).toEqual(c);
    const net = upgradeConfig({ model: { kind: 'mlp' }, schedule: { kind: 'step', every: 3, gamma: 0.2 } });
    expect(net.params).toMatchObject({ schedule: 'step', scheduleEvery: 3, scheduleGamma: 0.2, hidden: [128, 64] });
    const pre = { format: 'benchtop-preprocessor@1' } as never;
    expect(upgradeModel({ classical: { kind: 'tree', state: 1 }, preprocessor: pre })).toEqual({
      kind: 'classical',
      classical: { family: 'tree', state: 1 },
      preprocessor: pre,
    });
    const ens = upgradeModel({
      ensemble: { method: 'bag', members: [{ artifacts: 'a', preprocessor: pre }] },
      preprocessor: pre,
    });
    expect(ens).toMatchObject({ kind: 'ensemble', ensemble: { members: [{ kind: 'network', artifacts: 'a' }] } });
  });
});
