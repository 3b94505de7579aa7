import { unzipSync, zipSync } from 'fflate';
import type { Preprocessor } from '../data/preprocess.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import type { ModelArtifacts, RunRecord, TrainedModel } from './spec.ts';
import { upgradeClassical, upgradeModel, upgradeRun } from '../store/upgrade.ts';

/**
 * The portable model format, shared by the app and the command line. A model directory (or a zip
 * of the same files) holds:
 * - `model.json` + `weights.bin` — standard tfjs layers-model files (`tf.loadLayersModel` reads
 *   them), for networks; or `classical.json` — the fitted state of a tree, forest, boosting, kNN or
 *   naive Bayes model;
 * - `preprocessing.json` — the fitted {@link Preprocessor};
 * - `run.json` — the {@link RunRecord} that produced it.
 */
export const BUNDLE_FILES = Object.freeze([
  'model.json',
  'weights.bin',
  'classical.json',
  'ensemble.json',
  'calibrator.json',
  'compression.json',
  'model.onnx',
  'onnx.json',
  'preprocessing.json',
  'run.json',
] as const);

export interface ModelBundle {
  model: TrainedModel;
  run: RunRecord;
}

const enc = new TextEncoder();
const json = (v: unknown) => enc.encode(JSON.stringify(v, null, 1));

/** The bundle's files as bytes. */
function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(s: string): ArrayBuffer {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
}

/** A trained model as JSON (network weights in base64), for ensembles' members. */
export function modelToJson(m: TrainedModel): unknown {
  switch (m.kind) {
    case 'network': {
      const a = m.artifacts;
      return {
        ...m,
        artifacts: { modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightData: toBase64(a.weightData) },
      };
    }
    case 'ensemble':
      return { ...m, ensemble: { ...m.ensemble, members: m.ensemble.members.map(modelToJson) } };
    case 'onnx':
      return { ...m, onnx: { ...m.onnx, bytes: toBase64(m.onnx.bytes) } };
    case 'classical':
      return m;
  }
}

/** Inverse of {@link modelToJson}; reads members written before models carried `kind` too. */
export function modelFromJson(j: unknown): TrainedModel {
  const m = upgradeModel(j as Record<string, unknown>);
  switch (m.kind) {
    case 'network': {
      const w = m.artifacts.weightData as unknown;
      return {
        ...m,
        artifacts: { ...m.artifacts, weightData: typeof w === 'string' ? fromBase64(w) : (w as ArrayBuffer) },
      };
    }
    case 'ensemble':
      return { ...m, ensemble: { ...m.ensemble, members: m.ensemble.members.map(modelFromJson) } };
    case 'onnx': {
      const b = m.onnx.bytes as unknown;
      return { ...m, onnx: { ...m.onnx, bytes: typeof b === 'string' ? fromBase64(b) : (b as ArrayBuffer) } };
    }
    case 'classical':
      return m;
  }
}

export function bundleToFiles(b: ModelBundle): Record<string, Uint8Array> {
  const files = modelFiles(b);
  if (b.model.calibrator) files['calibrator.json'] = json(b.model.calibrator);
  if (b.model.compression) files['compression.json'] = json(b.model.compression);
  return files;
}

function modelFiles(b: ModelBundle): Record<string, Uint8Array> {
  if (b.model.kind === 'onnx') {
    const { bytes, ...meta } = b.model.onnx;
    return {
      'model.onnx': new Uint8Array(bytes.slice(0)),
      'onnx.json': json(meta),
      'preprocessing.json': json(b.model.preprocessor),
      'run.json': json(b.run),
    };
  }
  if (b.model.kind === 'ensemble')
    return {
      'ensemble.json': json(modelToJson(b.model)),
      'preprocessing.json': json(b.model.preprocessor),
      'run.json': json(b.run),
    };
  if (b.model.kind === 'classical')
    return {
      'classical.json': json(b.model.classical),
      'preprocessing.json': json(b.model.preprocessor),
      'run.json': json(b.run),
    };
  const a = b.model.artifacts;
  return {
    'model.json': json({
      format: 'layers-model',
      generatedBy: 'Benchtop',
      convertedBy: null,
      modelTopology: a.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
    }),
    'weights.bin': new Uint8Array(a.weightData.slice(0)),
    'preprocessing.json': json(b.model.preprocessor),
    'run.json': json(b.run),
  };
}

/**
 * Reads a bundle from its files, checking each one. `source` names the directory or zip in messages.
 * Errors: a missing file, unreadable JSON, a wrong format tag, a weights file of the wrong size.
 */
export function filesToBundle(files: Record<string, Uint8Array>, source: string): Result<ModelBundle> {
  const b0 = filesToBundleWithoutCalibrator(files, source);
  let b = b0;
  if (b.ok && files['compression.json']) {
    try {
      b = ok(
        {
          ...b.value,
          model: { ...b.value.model, compression: JSON.parse(new TextDecoder().decode(files['compression.json'])) },
        },
        b.warnings,
      );
    } catch (e) {
      return fail({
        kind: 'bad-json',
        file: `${source}/compression.json`,
        message: `${source}/compression.json is not valid JSON: ${(e as Error).message}`,
      });
    }
  }
  if (!b.ok || !files['calibrator.json']) return b;
  try {
    const cal = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(files['calibrator.json']));
    if (!cal || typeof cal.method !== 'string')
      return fail({
        kind: 'bad-format',
        file: `${source}/calibrator.json`,
        message: `${source}/calibrator.json is not a calibrator.`,
      });
    return ok({ ...b.value, model: { ...b.value.model, calibrator: cal } }, b.warnings);
  } catch (e) {
    return fail({
      kind: 'bad-json',
      file: `${source}/calibrator.json`,
      message: `${source}/calibrator.json is not valid JSON: ${(e as Error).message}`,
    });
  }
}

function filesToBundleWithoutCalibrator(files: Record<string, Uint8Array>, source: string): Result<ModelBundle> {
  const needed = files['onnx.json']
    ? ['model.onnx', 'onnx.json', 'preprocessing.json', 'run.json']
    : files['ensemble.json']
      ? ['ensemble.json', 'preprocessing.json', 'run.json']
      : files['classical.json']
        ? ['classical.json', 'preprocessing.json', 'run.json']
        : ['model.json', 'weights.bin', 'preprocessing.json', 'run.json'];
  for (const f of needed)
    if (!files[f])
      return fail({
        kind: 'missing-file',
        file: source,
        message: `${source} is not a Benchtop model: it has no ${f} (expected ${needed.join(', ')}).`,
      });
  const parse = (name: string): Result<Record<string, unknown>> => {
    try {
      return ok(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(files[name]!)));
    } catch (e) {
      return fail({
        kind: 'bad-json',
        file: `${source}/${name}`,
        message: `${source}/${name} is not valid JSON: ${(e as Error).message}`,
      });
    }
  };
  const pre = parse('preprocessing.json');
  if (!pre.ok) return pre;
  const run = parse('run.json');
  if (!run.ok) return run;
  if (pre.value.format !== 'benchtop-preprocessor@1')
    return fail({
      kind: 'bad-format',
      file: `${source}/preprocessing.json`,
      message:
        `${source}/preprocessing.json has format "${String(pre.value.format)}", expected ` +
        `"benchtop-preprocessor@1".`,
    });
  if (run.value.format !== 'benchtop-run@1' && run.value.format !== 'benchtop-run@2')
    return fail({
      kind: 'bad-format',
      file: `${source}/run.json`,
      message: `${source}/run.json has format "${String(run.value.format)}", expected "benchtop-run@2" (or @1).`,
    });
  const runRecord = upgradeRun(run.value);
  if (files['onnx.json']) {
    const meta = parse('onnx.json');
    if (!meta.ok) return meta;
    const b = files['model.onnx']!;
    return ok({
      model: {
        kind: 'onnx',
        onnx: {
          ...(meta.value as { input: string; output: string; file: string }),
          bytes: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer,
        },
        preprocessor: pre.value as unknown as Preprocessor,
      },
      run: runRecord,
    });
  }
  if (files['ensemble.json']) {
    const e = parse('ensemble.json');
    if (!e.ok) return e;
    if (!e.value.ensemble)
      return fail({
        kind: 'bad-format',
        file: `${source}/ensemble.json`,
        message: `${source}/ensemble.json has no ensemble.`,
      });
    return ok({ model: modelFromJson(e.value), run: runRecord });
  }
  if (files['classical.json']) {
    const classical = parse('classical.json');
    if (!classical.ok) return classical;
    if (typeof (classical.value.family ?? classical.value.kind) !== 'string' || classical.value.state === undefined)
      return fail({
        kind: 'bad-format',
        file: `${source}/classical.json`,
        message: `${source}/classical.json has no model kind and state.`,
      });
    return ok({
      model: {
        kind: 'classical',
        classical: upgradeClassical(classical.value),
        preprocessor: pre.value as unknown as Preprocessor,
      },
      run: runRecord,
    });
  }
  const modelJson = parse('model.json');
  if (!modelJson.ok) return modelJson;
  const manifest = modelJson.value.weightsManifest as { weights: ModelArtifacts['weightSpecs'] }[] | undefined;
  if (!modelJson.value.modelTopology || !Array.isArray(manifest))
    return fail({
      kind: 'bad-format',
      file: `${source}/model.json`,
      message: `${source}/model.json is not a tfjs layers model (no modelTopology or weightsManifest).`,
    });
  const weightSpecs = manifest.flatMap((g) => g.weights);
  const expected = weightSpecs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  const bin = files['weights.bin']!;
  if (bin.byteLength !== expected)
    return fail({
      kind: 'bad-weights',
      file: `${source}/weights.bin`,
      message: `${source}/weights.bin has ${bin.byteLength} bytes; model.json describes ${expected}.`,
    });
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
  return ok({
    model: {
      kind: 'network',
      artifacts: { modelTopology: modelJson.value.modelTopology as object, weightSpecs, weightData },
      preprocessor: pre.value as unknown as Preprocessor,
    },
    run: runRecord,
  });
}

/** Zips the bundle's files (no compression of weights beyond deflate level 6). */
export function zipBundle(b: ModelBundle): Uint8Array {
  return zipSync(bundleToFiles(b), { level: 6 });
}

/** Reads a zipped bundle; files may sit at the root or inside one top-level folder. */
export function unzipBundle(bytes: Uint8Array, source: string): Result<ModelBundle> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    return fail({
      kind: 'bad-zip',
      file: source,
      message: `${source} is not a readable zip file: ${(e as Error).message}`,
    });
  }
  const files: Record<string, Uint8Array> = {};
  for (const [path, data] of Object.entries(entries)) {
    const base = path.split('/').pop()!;
    if ((BUNDLE_FILES as readonly string[]).includes(base)) files[base] = data;
  }
  return filesToBundle(files, source);
}
