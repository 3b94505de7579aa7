import { asNetwork } from './model-kind.ts';
import { upgradeConfig } from '../store/upgrade.ts';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvTable, shippedTable } from '../../../tests/unit/fixtures.ts';
import { expectNoTensorLeak } from '../../../tests/unit/tensor-leak.ts';
import { datasetVersionId } from '../data/dataset-hash.ts';
import { inferSchema, withRole } from '../data/schema.ts';
import type { SplitSpec } from '../data/split.ts';
import type { Table } from '../data/table.ts';
import { registerWasmGradKernels } from './wasm-grad-kernels.ts';
import { bundleToFiles, filesToBundle, unzipBundle, zipBundle } from './model-bundle.ts';
import { maxAbsDifference, predictTableRows } from './predict-table.ts';
import { runTraining, type TrainRequest } from './run-training.ts';
import type { BackendName } from './spec.ts';
import { networkSpec } from '../families/index.ts';

registerWasmGradKernels();

const env = (backend: BackendName) => ({ backend, backendReason: 'test', runtime: 'vitest', appVersion: 'test' });

function request(
  table: Table,
  label: string,
  // The flat shape of benchtop-run@1 configs, read by upgradeConfig (tests the upgrade on every run too).
  config: Record<string, unknown> & { model?: Record<string, unknown> } = {},
  split: Partial<SplitSpec> = {},
): TrainRequest {
  return {
    runId: 'run-1',
    runName: 'test',
    table,
    dataset: { id: datasetVersionId(table), name: 'test' },
    schema: inferSchema(table, label),
    split: { kind: 'stratified', fractions: [0.7, 0.15, 0.15], seed: 3, ...split },
    config: upgradeConfig({
      epochs: 3,
      ...config,
      model: { ...(config.model ?? {}) },
    }),
    environment: env(tf.getBackend() as BackendName),
  };
}

async function useBackend(name: string) {
  await tf.setBackend(name);
  await tf.ready();
}

describe('runTraining', () => {
  let digits: Table;
  beforeAll(() => {
    digits = shippedTable('digits-8x8.csv');
  });

  for (const backend of ['cpu', 'wasm']) {
    it(`same seed and data on ${backend} → identical metrics and weights; another seed → different`, async () => {
      await useBackend(backend);
      const cfg = { epochs: 2, learningRate: 0.01, model: { hidden: [32] } };
      const a = await expectNoTensorLeak(() => runTraining(request(digits, 'digit', cfg)));
      const b = await runTraining(request(digits, 'digit', cfg));
      const c = await runTraining(request(digits, 'digit', { ...cfg, seed: 43 }));
      if (!a.ok || !b.ok || !c.ok) throw new Error('training failed');
      expect(b.value.run.metrics).toEqual(a.value.run.metrics);
      expect(new Uint8Array(asNetwork(b.value.model).artifacts.weightData)).toEqual(
        new Uint8Array(asNetwork(a.value.model).artifacts.weightData),
      );
      expect(c.value.run.metrics.validation.loss).not.toBe(a.value.run.metrics.validation.loss);
      expect(a.value.run.metrics.validation.accuracy).toBeGreaterThan(0.85);
      expect(a.value.run.history).toHaveLength(2);
      expect(a.value.run.environment.backend).toBe(backend);
    });
  }

  it('logistic regression on breast cancer beats the majority class by far', async () => {
    await useBackend('wasm');
    const r = await runTraining(
      request(shippedTable('breast-cancer-wisconsin.csv'), 'diagnosis', {
        model: { kind: 'logistic' },
        epochs: 20,
        learningRate: 0.01,
      }),
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.run.metrics.test!.accuracy).toBeGreaterThan(0.9);
    expect(r.value.model.preprocessor.label).toMatchObject({
      task: 'classification',
      classes: ['benign', 'malignant'],
    });
  });

  it('penguins (missing values, categorical inputs) train; rows without a label are left out with a warning', async () => {
    await useBackend('wasm');
    const req = request(shippedTable('penguins.json'), 'Sex', { epochs: 5, learningRate: 0.01 });
    const missingSex = req.schema.columns.find((c) => c.name === 'Sex')!.missing;
    expect(missingSex).toBeGreaterThan(0);
    const r = await runTraining(req);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.warnings.some((w) => w.kind === 'missing-label' && w.column === 'Sex')).toBe(true);
    const s = r.value.run.splitSizes;
    expect(s.train + s.validation + s.test).toBe(344 - missingSex);
  });

  it('regression on a numeric label reports RMSE, MAE and R² in the label units', async () => {
    await useBackend('wasm');
    const rows = Array.from({ length: 300 }, (_, i) => `${i / 30},${((i * 7) % 13) / 13},${(3 * i) / 30 + 5}`);
    const t = csvTable(['a,b,y', ...rows].join('\n'));
    const r = await runTraining(
      request(t, 'y', { model: { kind: 'linear' }, epochs: 60, learningRate: 0.05 }, { kind: 'random' }),
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.run.task).toBe('regression');
    expect(r.value.run.metrics.validation.r2).toBeGreaterThan(0.99);
    expect(r.value.run.metrics.validation.rmse).toBeLessThan(0.5);
  });

  it('time split on seattle-weather keeps the last days for test', async () => {
    await useBackend('wasm');
    const t = shippedTable('seattle-weather.csv');
    const req = request(t, 'weather', { epochs: 1 }, { kind: 'time', timeColumn: 'date' });
    req.schema = withRole(req.schema, 'date', 'ignore');
    const r = await runTraining(req);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.run.splitSizes).toEqual({ train: 1023, validation: 219, test: 219 });
  });

  it('cancel stops within one batch and still returns the partial run', async () => {
    await useBackend('wasm');
    let batches = 0;
    let cancelAt = -1;
    const r = await runTraining(request(digits, 'digit', { epochs: 50 }), {
      progressEveryMs: 0,
      onProgress: () => {
        batches++;
        if (batches === 10) cancelAt = batches;
      },
      isCancelled: () => cancelAt > 0,
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.run.status).toBe('cancelled');
    expect(batches).toBe(10); // no batch ran after the cancel was seen
    expect(r.value.run.history.length).toBe(0);
  });

  it('refuses a one-class label with a message', async () => {
    const t = csvTable('x,y\n1,a\n2,a\n3,a\n4,a\n');
    const r = await runTraining(request(t, 'y'));
    expect(!r.ok && r.error.kind).toBe('one-class-label');
  });

  it('a saved bundle (files or zip) reloads and predicts exactly its fingerprint', async () => {
    await useBackend('wasm');
    const r = await runTraining(request(digits, 'digit', { epochs: 1 }));
    if (!r.ok) throw new Error(r.error.message);
    const files = bundleToFiles(r.value);
    const back = filesToBundle(files, 'dir');
    if (!back.ok) throw new Error(back.error.message);
    const zipped = unzipBundle(zipBundle(r.value), 'm.zip');
    expect(zipped.ok).toBe(true);
    const fp = r.value.run.fingerprint;
    const out = await expectNoTensorLeak(() => predictTableRows(back.value.model, digits, Uint32Array.from(fp.rows)));
    if (!out.ok) throw new Error(out.error.message);
    expect(maxAbsDifference(out.value, fp.outputs)).toBeLessThan(1e-6);
  });

  it('a bundle with missing or inconsistent files is refused with the file named', () => {
    const files = { 'model.json': new Uint8Array([123]) };
    const r = filesToBundle(files, 'mydir');
    expect(!r.ok && r.error.message).toMatch(/mydir.*weights\.bin/);
    expect(unzipBundle(new Uint8Array([1, 2, 3]), 'x.zip').ok).toBe(false);
  });
});

describe('NaN/Inf guard', () => {
  it('stops the run naming the step and the layer whose gradients went non-finite', async () => {
    await tf.setBackend('cpu');
    // A regression target with SGD at an absurd rate: the squared error overflows within a few steps.
    const t = csvTable(
      ['a,b,y', ...Array.from({ length: 200 }, (_, i) => `${i % 17},${(i * 7) % 13},${i}`)].join('\n'),
    );
    const { prepareData } = await import('./prepare.ts');
    const { trainModel } = await import('./train-model.ts');
    const p = prepareData(t, inferSchema(t, 'y'), { kind: 'random', fractions: [0.7, 0.15, 0.15], seed: 1 });
    if (!p.ok) throw new Error(p.error.message);
    const before = tf.memory().numTensors;
    const config = upgradeConfig({
      optimizer: 'sgd',
      learningRate: 1e9,
      epochs: 3,
      model: { kind: 'mlp', hidden: [32], activation: 'relu' },
    });
    const out = await trainModel(
      p.value.pre,
      p.value.train,
      p.value.validation,
      networkSpec('mlp', config.params, config.seed),
    );
    expect(out.status).toBe('failed');
    expect(out.message).toMatch(/at epoch \d+, step \d+ \(global step \d+\)/);
    expect(out.message).toMatch(/non-finite in layer "(dense_0|output)"/);
    out.model.dispose();
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(0);
  });
});
