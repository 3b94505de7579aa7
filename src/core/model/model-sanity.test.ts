import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { shippedTable, trainRequest } from '../../../tests/unit/fixtures.ts';
import type { ClassicalModel, NetworkModel, RunRecord, TrainedModel } from '../contracts/index.ts';
import { upgradeConfig } from '../store/upgrade.ts';
import { artifactsToModel } from './artifacts.ts';
import { bundleToFiles, filesToBundle } from './model-bundle.ts';
import { checkClassicalState, checkModel, MODEL_LIMITS, UnsafeModelError } from './model-sanity.ts';
import { predictTableRows } from './predict-table.ts';
import { runTraining } from './run-training.ts';

// Real models: an MLP (13 → 8 → 3) and a decision tree on wine, a CNN on digits-8x8; each test
// tampers one file of the bundle training wrote and expects a Result, never a throw.
const wine = shippedTable('wine.csv');
const digits = shippedTable('digits-8x8.csv');
let mlp: { run: RunRecord; model: TrainedModel };
let cnn: { run: RunRecord; model: TrainedModel };
let tree: { run: RunRecord; model: TrainedModel };

beforeAll(async () => {
  await tf.setBackend('cpu');
  const train = async (table: typeof wine, label: string, model: object, id: string) => {
    const r = await runTraining(
      trainRequest(table, label, upgradeConfig({ model, epochs: 1, seed: 1 }), { runId: id }),
    );
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  mlp = await train(wine, 'cultivar', { kind: 'mlp', hidden: [8] }, 'mlp');
  tree = await train(wine, 'cultivar', { kind: 'tree', maxDepth: 3 }, 'tree');
  cnn = await train(digits, 'digit', { kind: 'cnn', filters: [4], hidden: [8] }, 'cnn');
}, 120_000);

const dec = new TextDecoder();
const enc = new TextEncoder();

/** The bundle's files with model.json edited. */
function withTopology(b: { run: RunRecord; model: TrainedModel }, edit: (layers: Record<string, unknown>[]) => void) {
  const files = bundleToFiles(b);
  const m = JSON.parse(dec.decode(files['model.json']));
  edit(m.modelTopology.config.layers.map((l: { config: Record<string, unknown> }) => l.config));
  files['model.json'] = enc.encode(JSON.stringify(m));
  return files;
}

describe('network sanity before allocation', () => {
  it('the bundles training writes pass', () => {
    for (const b of [mlp, cnn, tree]) {
      const r = filesToBundle(bundleToFiles(b), 'my-model');
      if (!r.ok) throw new Error(r.error.message);
      expect(checkModel(r.value.model).ok).toBe(true);
    }
  });

  it('units of 10⁹ are refused by the memory limit, naming the layer and the limit (was RangeError)', () => {
    const files = withTopology(mlp, (ls) => ls.forEach((l) => (l.units = 1e9)));
    const r = filesToBundle(files, 'my-model');
    expect(!r.ok && r.error.kind).toBe('model-too-large');
    expect(!r.ok && r.error.file).toBe('my-model/model.json');
    expect(!r.ok && r.error.field).toBe('layers.dense_0.kernel');
    expect(!r.ok && r.error.message).toMatch(
      /^my-model\/model\.json: layer "dense_0" \(units 1000000000\) would need 48\.4 GiB for its weight "kernel" \(13 × 1000000000\); Benchtop loads networks of at most 512\.0 MiB of weights\.$/,
    );
  });

  it('a stored topology with huge units makes artifactsToModel throw a clear error before tfjs allocates', async () => {
    const a = (mlp.model as NetworkModel).artifacts;
    const topo = structuredClone(a.modelTopology) as { config: { layers: { config: { units?: number } }[] } };
    topo.config.layers[0]!.config.units = 1e9;
    const err = await artifactsToModel({ ...a, modelTopology: topo }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsafeModelError);
    expect((err as Error).message).toMatch(
      /^the saved model: layer "dense_0" \(units 1000000000\) would need .*512\.0 MiB/,
    );
  });

  it('negative, fractional and zero sizes are refused naming the layer and the field', () => {
    const neg = filesToBundle(
      withTopology(mlp, (ls) => (ls[1]!.units = -5)),
      'my-model',
    );
    expect(!neg.ok && neg.error).toMatchObject({
      kind: 'bad-model',
      file: 'my-model/model.json',
      field: 'layers.output.units',
    });
    expect(!neg.ok && neg.error.message).toBe(
      'my-model/model.json: layer "output" field "units" must be a whole number ≥ 1 (it holds the number -5).',
    );
    const frac = filesToBundle(
      withTopology(mlp, (ls) => (ls[0]!.units = 2.5)),
      'd',
    );
    expect(!frac.ok && frac.error.message).toMatch(/layer "dense_0" field "units" must be a whole number ≥ 1/);
    expect(!frac.ok && frac.error.field).toBe('layers.dense_0.units');
    const kernel = filesToBundle(
      withTopology(cnn, (ls) => (ls[1]!.kernel_size = [0, 3])),
      'd',
    );
    expect(!kernel.ok && kernel.error.message).toMatch(
      /layer "conv_0" field "kernel_size" must be a whole number ≥ 1 or a list/,
    );
    expect(!kernel.ok && kernel.error.field).toBe('layers.conv_0.kernel_size');
    const shape = filesToBundle(
      withTopology(mlp, (ls) => (ls[0]!.batch_input_shape = [null, 0])),
      'd',
    );
    expect(!shape.ok && shape.error.message).toMatch(
      /layer "dense_0" field "batch_input_shape" must be a list of sizes/,
    );
    expect(!shape.ok && shape.error.field).toBe('layers.dense_0.batch_input_shape');
  });

  it('a layer size that disagrees with its weights is refused naming both', () => {
    const r = filesToBundle(
      withTopology(mlp, (ls) => (ls[0]!.units = 7)),
      'd',
    );
    expect(!r.ok && r.error.message).toBe(
      'd/model.json: layer "dense_0" declares a weight "kernel" of 13 × 7, but the weights manifest holds 13 × 8.',
    );
    expect(!r.ok && r.error.field).toBe('layers.dense_0.kernel');
    const conv = filesToBundle(
      withTopology(cnn, (ls) => (ls[1]!.filters = 5)),
      'd',
    );
    expect(!conv.ok && conv.error.message).toMatch(/layer "conv_0" declares a weight "kernel" of 3 × 3 × 1 × 5/);
  });

  it('NaN and Infinity in weights.bin are refused naming the layer, the weight and the index (was NaN predictions)', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const files = bundleToFiles(mlp);
      const w = new Float32Array(files['weights.bin']!.slice().buffer);
      w[17] = bad; // dense_0/kernel comes first (13 × 8)
      files['weights.bin'] = new Uint8Array(w.buffer);
      const r = filesToBundle(files, 'my-model');
      expect(!r.ok && r.error).toEqual({
        kind: 'bad-weights',
        file: 'my-model/weights.bin',
        field: 'layers.dense_0.kernel[17]',
        message:
          `my-model/weights.bin: layer "dense_0" weight "kernel" holds ${bad} at index 17; ` +
          'a model with non-finite weights predicts nothing useful.',
      });
    }
    // The bias of the output layer, the last weight.
    const files = bundleToFiles(mlp);
    const w = new Float32Array(files['weights.bin']!.slice().buffer);
    w[w.length - 1] = NaN;
    files['weights.bin'] = new Uint8Array(w.buffer);
    const r = filesToBundle(files, 'm');
    expect(!r.ok && r.error.message).toMatch(/layer "output" weight "bias" holds NaN at index 2;/);
    expect(!r.ok && r.error.field).toBe('layers.output.bias[2]');
  });

  it('a stored model with NaN weights predicts nothing: predictTableRows returns the problem', async () => {
    const a = (mlp.model as NetworkModel).artifacts;
    const w = new Float32Array(a.weightData.slice(0));
    w[3] = NaN;
    const model: NetworkModel = { ...(mlp.model as NetworkModel), artifacts: { ...a, weightData: w.buffer } };
    const before = tf.memory().numTensors;
    const r = await predictTableRows(model, wine, Uint32Array.of(0, 1, 2));
    expect(!r.ok && r.error.message).toMatch(
      /^the saved weights: layer "dense_0" weight "kernel" holds NaN at index 3/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a truncated or padded weights.bin is refused with both byte counts', () => {
    const files = bundleToFiles(mlp);
    const full = files['weights.bin']!.byteLength;
    files['weights.bin'] = files['weights.bin']!.slice(0, full - 10);
    const r = filesToBundle(files, 'my-model');
    expect(!r.ok && r.error).toEqual({
      kind: 'bad-weights',
      file: 'my-model/weights.bin',
      message: `my-model/weights.bin: it has ${full - 10} bytes; my-model/model.json describes ${full}.`,
    });
  });

  it('a weights manifest beyond the limit is refused before the buffer is read', () => {
    const files = bundleToFiles(mlp);
    const m = JSON.parse(dec.decode(files['model.json']));
    m.weightsManifest[0].weights[0].shape = [MODEL_LIMITS.maxWeightBytes, 2];
    files['model.json'] = enc.encode(JSON.stringify(m));
    const r = filesToBundle(files, '');
    expect(!r.ok && r.error.kind).toBe('model-too-large');
    expect(!r.ok && r.error.message).toMatch(/^model\.json: the weights manifest describes more than 512\.0 MiB/);
    expect(!r.ok && r.error.field).toBe('layers.dense_0.kernel');
  });

  it('messages for files chosen one by one name the file alone', () => {
    const files = withTopology(mlp, (ls) => (ls[1]!.units = -5));
    const r = filesToBundle(files, '');
    expect(!r.ok && r.error.message).toMatch(/^model\.json: layer "output" field "units"/);
    const { 'weights.bin': _w, ...noWeights } = bundleToFiles(mlp);
    const m = filesToBundle(noWeights, '');
    expect(!m.ok && m.error.message).toBe(
      'The chosen files are not a Benchtop model: they have no weights.bin ' +
        '(expected model.json, weights.bin, preprocessing.json, run.json).',
    );
    const badRun = bundleToFiles(mlp);
    badRun['run.json'] = enc.encode(JSON.stringify({ ...mlp.run, status: 42 }));
    const br = filesToBundle(badRun, '');
    expect(!br.ok && br.error.message).toMatch(/^run\.json: field "status" must be one of/);
    expect(!br.ok && br.error.field).toBe('status');
    const badJson = bundleToFiles(mlp);
    badJson['model.json'] = enc.encode('{"modelTopology": {}, "weightsManifest": "x"}');
    const bj = filesToBundle(badJson, 'dir');
    expect(!bj.ok && bj.error.message).toBe(
      'dir/model.json: field "weightsManifest" must be a list of weight groups (it holds a string "x").',
    );
  });
});

describe('classical sanity', () => {
  const state = () => structuredClone((tree.model as ClassicalModel).classical);
  const inputs = () => tree.model.preprocessor.inputSize;

  it('a trained tree passes; a tampered one is refused naming the field', () => {
    expect(checkClassicalState(state(), inputs()).ok).toBe(true);
    const s = state() as {
      family: string;
      state: { feature: number[]; left: number[]; threshold: unknown[]; value: unknown[] };
    };
    const internal = s.state.feature.findIndex((f) => f >= 0);
    const loop = structuredClone(s);
    loop.state.left[internal] = internal;
    const r1 = checkClassicalState(loop, inputs(), 'm/classical.json');
    expect(!r1.ok && r1.error.message).toBe(
      `m/classical.json: field "state.left[${internal}]" must be a node after ${internal} and below ${s.state.feature.length} (it holds the number ${internal}).`,
    );
    expect(!r1.ok && r1.error.field).toBe(`state.left[${internal}]`);
    const nul = structuredClone(s);
    nul.state.threshold[internal] = null;
    const r2 = checkClassicalState(nul, inputs());
    expect(!r2.ok && r2.error.message).toMatch(
      /field "state\.threshold\[\d+\]" must be a finite number \(it holds null\)/,
    );
    const feat = structuredClone(s);
    feat.state.feature[internal] = 99;
    const r3 = checkClassicalState(feat, inputs());
    expect(!r3.ok && r3.error.message).toMatch(/field "state\.feature\[\d+\]" must be an input index below 13 or -1/);
    expect(!r3.ok && r3.error.field).toBe(`state.feature[${internal}]`);
    const nan = structuredClone(s);
    nan.state.value[0] = NaN;
    expect(checkClassicalState(nan, inputs()).ok).toBe(false);
  });

  it('classical.json from a bundle goes through the same check', () => {
    const files = bundleToFiles(tree);
    const c = JSON.parse(dec.decode(files['classical.json']));
    c.state.value[0] = 'x';
    files['classical.json'] = enc.encode(JSON.stringify(c));
    const r = filesToBundle(files, 'tree-model');
    expect(!r.ok && r.error).toMatchObject({
      kind: 'bad-model',
      file: 'tree-model/classical.json',
      field: 'state.value[0]',
    });
    expect(!r.ok && r.error.message).toMatch(
      /^tree-model\/classical\.json: field "state\.value\[0\]" must be a finite number \(it holds a string "x"\)/,
    );
  });
});

describe('preprocessing.json agrees with itself and with the network', () => {
  /** The bundle's files with preprocessing.json edited. */
  function withPre(b: { run: RunRecord; model: TrainedModel }, edit: (p: Record<string, unknown>) => void) {
    const files = bundleToFiles(b);
    const p = JSON.parse(dec.decode(files['preprocessing.json']));
    edit(p);
    files['preprocessing.json'] = enc.encode(JSON.stringify(p));
    return filesToBundle(files, 'my-model');
  }

  it('an inputSize its features do not make is refused naming preprocessing.json (was exit 70 at predict)', () => {
    const r = withPre(mlp, (p) => {
      p.inputSize = 15;
      p.inputNames = [...(p.inputNames as string[]), 'd', 'e'];
    });
    expect(!r.ok && r.error).toMatchObject({
      kind: 'bad-model',
      file: 'my-model/preprocessing.json',
      field: 'inputSize',
    });
    expect(!r.ok && r.error.message).toContain('field "inputSize" says 15 inputs, but its 13 feature(s) make 13');
  });

  it('a consistent preprocessor with more features than the network takes is refused naming both files', () => {
    const r = withPre(mlp, (p) => {
      const features = p.features as Record<string, unknown>[];
      features.push({ ...features[0]!, column: 'extra' });
      p.inputSize = 14;
      p.inputNames = [...(p.inputNames as string[]), 'extra'];
    });
    expect(!r.ok && r.error).toMatchObject({ file: 'my-model/preprocessing.json', field: 'inputSize' });
    expect(!r.ok && r.error.message).toContain('the network in my-model/model.json takes 13');
  });

  it('a tree whose preprocessor lost an input is refused (its feature indices reach past the inputs)', () => {
    const r = withPre(tree, (p) => {
      (p.features as unknown[]).splice(0, 12);
      p.inputSize = 1;
      p.inputNames = (p.inputNames as string[]).slice(0, 1);
    });
    expect(!r.ok && r.error.file).toBe('my-model/classical.json');
  });

  it('inputNames of another length is refused naming the field', () => {
    const r = withPre(mlp, (p) => (p.inputNames = ['a']));
    expect(!r.ok && r.error).toMatchObject({ file: 'my-model/preprocessing.json', field: 'inputNames' });
  });
});
