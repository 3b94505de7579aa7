import { unzipSync, zipSync } from 'fflate';
import * as v from 'valibot';
import { CalibratorSchema, CompressionInfoSchema } from '../store/schemas/attachments.ts';
import {
  ClassicalJsonSchema,
  EnsembleJsonSchema,
  OnnxMetaSchema,
  PreprocessorSchema,
  TfjsModelJsonSchema,
} from '../store/schemas/model-files.ts';
import { type RecordSchema, validateRecord } from '../store/schemas/validate.ts';
import { parseRun, upgradeClassical, upgradeModel } from '../store/upgrade.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import {
  checkClassicalState,
  checkModel,
  checkNetworkArtifacts,
  checkNetworkInputs,
  checkNetworkShape,
  checkPreprocessor,
  fileNamesIn,
  labelOutputs,
} from './model-sanity.ts';
import type { RunRecord, TrainedModel } from './spec.ts';

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
 * Reads a bundle from its files, checking each one against its schema (src/core/store/schemas) and
 * the model's sanity (src/core/model/model-sanity.ts) before anything is built from it. `source`
 * names the directory or zip in messages (`my-model/model.json: …`); pass `''` for files chosen one
 * by one, and messages name the file alone (`model.json: …`).
 * Errors: `missing-file`, `bad-json`, `bad-record` (a field of the wrong type, naming the field),
 * `bad-weights` (a weights file of the wrong size, non-finite weights), `bad-model` (also: a
 * preprocessing.json whose input count disagrees with its features or with the network's input, a
 * classical.json of an unknown family or whose state is not that family's), `model-too-large`.
 */
export function filesToBundle(files: Record<string, Uint8Array>, source: string): Result<ModelBundle> {
  const r = readModelFiles(files, source, true);
  return r.ok ? ok({ model: r.value.model, run: r.value.run! }, r.warnings) : r;
}

/**
 * The model alone from a model directory's files (no `run.json` needed): what a store keeps beside a
 * run or a version whose run record lives elsewhere. Same checks and errors as {@link filesToBundle}.
 */
export function filesToModel(files: Record<string, Uint8Array>, source: string): Result<TrainedModel> {
  const r = readModelFiles(files, source, false);
  return r.ok ? ok(r.value.model, r.warnings) : r;
}

function readModelFiles(
  files: Record<string, Uint8Array>,
  source: string,
  withRun: boolean,
): Result<{ model: TrainedModel; run?: RunRecord }> {
  const at = (name: string) => (source ? `${source}/${name}` : name);
  const b = filesToBundleWithoutAttachments(files, source, at, withRun);
  if (!b.ok) return b;
  let model = b.value.model;
  if (files['compression.json']) {
    const c = readJson(files, 'compression.json', at, CompressionInfoSchema);
    if (!c.ok) return c;
    model = { ...model, compression: c.value };
  }
  if (files['calibrator.json']) {
    const c = readJson(files, 'calibrator.json', at, CalibratorSchema);
    if (!c.ok) return c;
    model = { ...model, calibrator: c.value };
  }
  return ok({ ...b.value, model }, b.warnings);
}

/** One JSON file of the bundle, parsed and checked against its schema. */
function readJson<S extends RecordSchema>(
  files: Record<string, Uint8Array>,
  name: string,
  at: (name: string) => string,
  schema: S,
): Result<v.InferOutput<S>> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(files[name]!));
  } catch (e) {
    return fail({
      kind: 'bad-json',
      file: at(name),
      message: `${at(name)} is not valid JSON: ${(e as Error).message}`,
    });
  }
  return validateRecord(schema, value, at(name));
}

function filesToBundleWithoutAttachments(
  files: Record<string, Uint8Array>,
  source: string,
  at: (name: string) => string,
  withRun: boolean,
): Result<{ model: TrainedModel; run?: RunRecord }> {
  const needed = files['onnx.json']
    ? ['model.onnx', 'onnx.json', 'preprocessing.json', 'run.json']
    : files['ensemble.json']
      ? ['ensemble.json', 'preprocessing.json', 'run.json']
      : files['classical.json']
        ? ['classical.json', 'preprocessing.json', 'run.json']
        : ['model.json', 'weights.bin', 'preprocessing.json', 'run.json'];
  if (!withRun) needed.pop();
  for (const f of needed)
    if (!files[f])
      return fail({
        kind: 'missing-file',
        file: source || f,
        message: source
          ? `${source} is not a Benchtop model: it has no ${f} (expected ${needed.join(', ')}).`
          : `The chosen files are not a Benchtop model: they have no ${f} (expected ${needed.join(', ')}).`,
      });
  const pre = readJson(files, 'preprocessing.json', at, PreprocessorSchema);
  if (!pre.ok) return pre;
  const run: { value?: RunRecord } = {};
  if (withRun) {
    const rawRun = readJson(files, 'run.json', at, v.unknown());
    if (!rawRun.ok) return rawRun;
    const parsed = parseRun(rawRun.value, at('run.json'));
    if (!parsed.ok) return parsed;
    run.value = parsed.value;
  }
  const preprocessor = pre.value;
  // Every row the preprocessor encodes must have the width it declares (and the model takes).
  const consistent = checkPreprocessor(preprocessor, at('preprocessing.json'));
  if (!consistent.ok) return consistent;
  if (files['onnx.json']) {
    const meta = readJson(files, 'onnx.json', at, OnnxMetaSchema);
    if (!meta.ok) return meta;
    const b = files['model.onnx']!;
    return ok({
      model: {
        kind: 'onnx',
        onnx: {
          ...meta.value,
          bytes: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer,
        },
        preprocessor,
      },
      run: run.value,
    });
  }
  if (files['ensemble.json']) {
    const e = readJson(files, 'ensemble.json', at, EnsembleJsonSchema);
    if (!e.ok) return e;
    const model = modelFromJson(e.value);
    const file = at('ensemble.json');
    const sane = checkModel(model, { topology: file, weights: file, classical: file, preprocessor: file });
    return sane.ok ? ok({ model, run: run.value }) : sane;
  }
  if (files['classical.json']) {
    const c = readJson(files, 'classical.json', at, ClassicalJsonSchema);
    if (!c.ok) return c;
    const classical = upgradeClassical(c.value);
    const sane = checkClassicalState(
      classical,
      preprocessor.inputSize,
      at('classical.json'),
      labelOutputs(preprocessor),
    );
    if (!sane.ok) return sane;
    return ok({ model: { kind: 'classical', classical, preprocessor }, run: run.value });
  }
  const modelJson = readJson(files, 'model.json', at, TfjsModelJsonSchema);
  if (!modelJson.ok) return modelJson;
  const weightSpecs = modelJson.value.weightsManifest.flatMap((g) => g.weights);
  const bin = files['weights.bin']!;
  const names = fileNamesIn(source);
  // Sizes first, on the byte count alone: nothing is copied before the model is known to fit.
  const shape = checkNetworkShape(
    { modelTopology: modelJson.value.modelTopology, weightSpecs, weightData: bin },
    names,
  );
  if (!shape.ok) return shape;
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
  const artifacts = { modelTopology: modelJson.value.modelTopology as object, weightSpecs, weightData };
  const sane = checkNetworkArtifacts(artifacts, names);
  if (!sane.ok) return sane;
  const inputs = checkNetworkInputs(artifacts.modelTopology, preprocessor, names);
  if (!inputs.ok) return inputs;
  return ok({ model: { kind: 'network', artifacts, preprocessor }, run: run.value });
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
