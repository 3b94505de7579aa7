/**
 * Model sanity before allocation: a stored network or classical model is checked as plain data —
 * every declared size, the weights' byte count, a memory estimate and every weight's value — before
 * tfjs builds a layer or a typed array is made from it. A model.json with `units: 1e9` would
 * otherwise end in `RangeError: Invalid typed array length`; NaN weights would predict NaN quietly.
 */
import type { Preprocessor } from '../contracts/data.ts';
import type { ModelArtifacts, TrainedModel } from '../contracts/model.ts';
import { checkClassicalState } from './classical-sanity.ts';
import { describeValue } from '../store/schemas/describe-value.ts';
import type { Problem, Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';

/** The largest network Benchtop loads, and the largest activations one row may need. */
export const MODEL_LIMITS = Object.freeze({
  /** Bytes of weights (float32): 512 MiB. */
  maxWeightBytes: 512 * 2 ** 20,
  /** Bytes of the activations of one row through every layer: 64 MiB. */
  maxActivationBytesPerRow: 64 * 2 ** 20,
  maxLayers: 10_000,
});

/** How messages name the files of a network: `model.json` and `weights.bin` in a folder, else the saved model. */
export interface ModelFileNames {
  topology: string;
  weights: string;
  classical: string;
  /** The preprocessor's file (`preprocessing.json` when absent). */
  preprocessor?: string;
}

export const MODEL_FILE_NAMES: ModelFileNames = Object.freeze({
  topology: 'model.json',
  weights: 'weights.bin',
  classical: 'classical.json',
  preprocessor: 'preprocessing.json',
});

/** The files of a model in a folder or zip (`dir/model.json`), or the bare names when there is none. */
export function fileNamesIn(source: string): ModelFileNames {
  const at = (f: string) => (source ? `${source}/${f}` : f);
  return {
    topology: at('model.json'),
    weights: at('weights.bin'),
    classical: at('classical.json'),
    preprocessor: at('preprocessing.json'),
  };
}

export { checkClassicalState } from './classical-sanity.ts';

const MIB = 2 ** 20;
const bytesInWords = (b: number) =>
  b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(1)} GiB` : b >= MIB ? `${(b / MIB).toFixed(1)} MiB` : `${b} bytes`;

type Loose = Record<string, unknown>;
const isObject = (x: unknown): x is Loose => typeof x === 'object' && x !== null && !Array.isArray(x);
const isPositiveInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 1;
const product = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Why a check refused, and the field it is about (`layers.dense_0.units`, `state.threshold[3]`). */
interface Refusal {
  message: string;
  field?: string;
}

/** `layers.dense_0.kernel` for the weight `dense_0/kernel`; `weights.w` for a weight of no layer. */
function weightField(name: string): string {
  const slash = name.lastIndexOf('/');
  return slash > 0 ? `layers.${name.slice(0, slash)}.${name.slice(slash + 1)}` : `weights.${name}`;
}

interface Layer {
  className: string;
  name: string;
  config: Loose;
}

/** The layers of a tfjs topology (Sequential `{config: {layers}}`, the older `{config: [...]}`, or a functional model). */
function layersOf(topology: unknown): { layers: Layer[]; sequential: boolean } | Refusal {
  let t = topology;
  if (isObject(t) && isObject(t.model_config)) t = t.model_config;
  if (!isObject(t)) return { message: 'has no model topology', field: 'modelTopology' };
  const config = t.config;
  const raw = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(raw)) return { message: 'has no list of layers in its topology', field: 'layers' };
  if (raw.length > MODEL_LIMITS.maxLayers)
    return { message: `has ${raw.length} layers (at most ${MODEL_LIMITS.maxLayers})`, field: 'layers' };
  const layers: Layer[] = [];
  for (const [i, l] of raw.entries()) {
    if (!isObject(l) || typeof l.class_name !== 'string' || !isObject(l.config))
      return { message: `layer ${i + 1} is not a layer (it holds ${describeValue(l)})`, field: `layers[${i}]` };
    const name = typeof l.config.name === 'string' ? l.config.name : typeof l.name === 'string' ? l.name : `#${i + 1}`;
    layers.push({ className: l.class_name, name, config: l.config });
  }
  return { layers, sequential: t.class_name === 'Sequential' };
}

/** Sizes a layer declares; each must be a whole number ≥ 1 (or a list of them; `null` for the batch). */
/** The size a layer declares, in words (" (units 1000000000)"), or nothing. */
function declaredSize(l: Layer): string {
  const f = (['units', 'filters'] as const).find((k) => typeof l.config[k] === 'number');
  return f ? ` (${f} ${String(l.config[f])})` : '';
}

function checkDims(l: Layer): Refusal | null {
  const bad = (field: string, v: unknown, what: string): Refusal => ({
    message: `layer "${l.name}" field "${field}" must be ${what} (it holds ${describeValue(v)})`,
    field: `layers.${l.name}.${field}`,
  });
  for (const f of ['units', 'filters', 'input_dim'] as const) {
    const v = l.config[f];
    if (v !== undefined && v !== null && !isPositiveInt(v)) return bad(f, v, 'a whole number ≥ 1');
  }
  for (const f of ['kernel_size', 'pool_size', 'strides', 'dilation_rate'] as const) {
    const v = l.config[f];
    if (v === undefined || v === null) continue;
    if (!(isPositiveInt(v) || (Array.isArray(v) && v.length <= 3 && v.length > 0 && v.every(isPositiveInt))))
      return bad(f, v, 'a whole number ≥ 1 or a list of them');
  }
  for (const f of ['batch_input_shape', 'input_shape'] as const) {
    const v = l.config[f];
    if (v === undefined || v === null) continue;
    const dims = f === 'batch_input_shape' && Array.isArray(v) ? v.slice(1) : v;
    if (!Array.isArray(v) || !Array.isArray(dims) || dims.length > 8 || !dims.every(isPositiveInt))
      return bad(f, v, 'a list of sizes (whole numbers ≥ 1)');
  }
  const ts = l.config.target_shape;
  if (ts !== undefined && (!Array.isArray(ts) || ts.length > 8 || !ts.every((d) => isPositiveInt(d) || d === -1)))
    return bad('target_shape', ts, 'a list of sizes (whole numbers ≥ 1, or one -1)');
  return null;
}

/** The input shape (without the batch) a Sequential model's first layer declares; null when unknown. */
function declaredInput(layers: Layer[], sequential: boolean): number[] | null {
  const first = layers[0]?.config;
  const bis = first?.batch_input_shape as (number | null)[] | undefined;
  return !sequential
    ? null
    : Array.isArray(bis)
      ? (bis.slice(1) as number[])
      : Array.isArray(first?.input_shape)
        ? (first.input_shape as number[])
        : isPositiveInt(first?.input_dim)
          ? [first.input_dim]
          : null;
}

const pair = (v: unknown, dflt: number): [number, number] =>
  v === undefined || v === null
    ? [dflt, dflt]
    : typeof v === 'number'
      ? [v, v]
      : [(v as number[])[0]!, (v as number[])[1] ?? (v as number[])[0]!];

/** The weights a known layer allocates (name → shape) and the shape it outputs; `null` when unknown. */
function layerStep(
  l: Layer,
  input: number[] | null,
): { weights: Record<string, number[]>; output: number[] | null } | Refusal {
  const c = l.config;
  const cls = l.className;
  if (cls === 'Dense') {
    if (!input) return { weights: {}, output: null };
    const units = c.units as number;
    const inDim = input.at(-1)!;
    const weights: Record<string, number[]> = { kernel: [inDim, units] };
    if (c.use_bias !== false) weights.bias = [units];
    return { weights, output: [...input.slice(0, -1), units] };
  }
  if (cls === 'Conv2D' || cls === 'MaxPooling2D' || cls === 'AveragePooling2D') {
    if (!input) return { weights: {}, output: null };
    if (input.length !== 3)
      return {
        message: `layer "${l.name}" (${cls}) needs an image input (height × width × channels)`,
        field: `layers.${l.name}`,
      };
    const channelsFirst = c.data_format === 'channels_first';
    const [h, w, ch] = channelsFirst ? [input[1]!, input[2]!, input[0]!] : [input[0]!, input[1]!, input[2]!];
    const [kh, kw] = pair(cls === 'Conv2D' ? c.kernel_size : c.pool_size, cls === 'Conv2D' ? 1 : 2);
    const [sh, sw] = pair(c.strides, cls === 'Conv2D' ? 1 : kh);
    const same = c.padding === 'same';
    const oh = same ? Math.ceil(h / sh) : Math.floor((h - kh) / sh) + 1;
    const ow = same ? Math.ceil(w / sw) : Math.floor((w - kw) / sw) + 1;
    if (oh < 1 || ow < 1)
      return {
        message: `layer "${l.name}": its ${kh}×${kw} window does not fit its ${h}×${w} input`,
        field: `layers.${l.name}.${cls === 'Conv2D' ? 'kernel_size' : 'pool_size'}`,
      };
    const outCh = cls === 'Conv2D' ? (c.filters as number) : ch;
    const weights: Record<string, number[]> = {};
    if (cls === 'Conv2D') {
      weights.kernel = [kh, kw, ch, outCh];
      if (c.use_bias !== false) weights.bias = [outCh];
    }
    return { weights, output: channelsFirst ? [outCh, oh, ow] : [oh, ow, outCh] };
  }
  if (cls === 'Flatten') return { weights: {}, output: input ? [product(input)] : null };
  if (cls === 'Reshape') {
    const target = (c.target_shape as number[]).slice();
    if (!input) return { weights: {}, output: target.includes(-1) ? null : target };
    const known = product(target.filter((d) => d !== -1));
    const total = product(input);
    const free = target.indexOf(-1);
    if (free >= 0 && total % known === 0) target[free] = total / known;
    if (product(target) !== total)
      return {
        message: `layer "${l.name}" reshapes ${total} values into ${target.join(' × ')}, which does not hold them`,
        field: `layers.${l.name}.target_shape`,
      };
    return { weights: {}, output: target };
  }
  if (cls === 'BatchNormalization') {
    if (!input) return { weights: {}, output: null };
    const axis = typeof c.axis === 'number' ? c.axis : -1;
    const ch = input.at(axis < 0 ? axis : axis - 1) ?? input.at(-1)!;
    const weights: Record<string, number[]> = { moving_mean: [ch], moving_variance: [ch] };
    if (c.scale !== false) weights.gamma = [ch];
    if (c.center !== false) weights.beta = [ch];
    return { weights, output: input };
  }
  if (['Activation', 'Dropout', 'ReLU', 'Softmax', 'LeakyReLU', 'ELU', 'GaussianNoise'].includes(cls))
    return { weights: {}, output: input };
  return { weights: {}, output: null };
}

const specNameRe = (layer: string, weight: string) =>
  new RegExp(`^${layer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/${weight}(_\\d+)?$`);

/** Bytes per element of a weight's dtype (Benchtop stores float32; int32 reads the same way). */
const DTYPE_BYTES: Readonly<Record<string, number>> = Object.freeze({ float32: 4, int32: 4 });

/**
 * Checks a network's declared structure against its weights without touching the weight values:
 * every layer size a whole number ≥ 1; the weights the layers would allocate, and the activations
 * of one row, within {@link MODEL_LIMITS}; each known layer's weights (Dense, Conv2D,
 * BatchNormalization) of the shape the weights manifest declares; the weight buffer exactly as long
 * as the manifest says. Nothing is allocated: this runs before tfjs builds the model.
 * Cost: O(layers + weights in the manifest).
 * Errors: `bad-model` (a size that is not a whole number ≥ 1, shapes that disagree), `model-too-large`
 * (over the limits, naming them), `bad-weights` (the buffer is not the size the manifest describes).
 * A refusal about one layer or weight names it in `field`: `layers.dense_0.units`, `layers.dense_0.kernel`.
 * @example checkNetworkShape(artifacts, fileNamesIn('my-model'))
 */
export function checkNetworkShape(
  a: { modelTopology: unknown; weightSpecs: ModelArtifacts['weightSpecs']; weightData: { byteLength: number } },
  names: ModelFileNames = MODEL_FILE_NAMES,
): Result<void> {
  const bad = (kind: string, message: string, field?: string, file = names.topology) =>
    fail<void>({ kind, file, ...(field ? { field } : {}), message: `${file}: ${message}.` });
  const refuse = (r: Refusal) => bad('bad-model', r.message, r.field);
  let specBytes = 0;
  for (const w of a.weightSpecs) {
    const per = DTYPE_BYTES[w.dtype];
    if (!per)
      return bad(
        'bad-model',
        `weight "${w.name}" has type ${w.dtype}; Benchtop reads float32 weights`,
        weightField(w.name),
      );
    if ((w as { quantization?: unknown }).quantization !== undefined)
      return bad('bad-model', `weight "${w.name}" is quantized; Benchtop reads float32 weights`, weightField(w.name));
    specBytes += product(w.shape) * per;
    if (specBytes > MODEL_LIMITS.maxWeightBytes)
      return bad(
        'model-too-large',
        `the weights manifest describes more than ${bytesInWords(MODEL_LIMITS.maxWeightBytes)} of weights ` +
          `(reached at weight "${w.name}"); Benchtop loads networks of at most ` +
          `${bytesInWords(MODEL_LIMITS.maxWeightBytes)} of weights`,
        weightField(w.name),
      );
  }
  if (a.weightData.byteLength !== specBytes)
    return bad(
      'bad-weights',
      `it has ${a.weightData.byteLength} bytes; ${names.topology} describes ${specBytes}`,
      undefined,
      names.weights,
    );
  const found = layersOf(a.modelTopology);
  if ('message' in found) return refuse(found);
  const { layers, sequential } = found;
  for (const l of layers) {
    const d = checkDims(l);
    if (d) return refuse(d);
  }
  let shape = declaredInput(layers, sequential);
  let weightBytes = 0;
  let activationBytes = shape ? product(shape) * 4 : 0;
  for (const l of layers) {
    // Layers of a functional model, or after an unknown layer, declare their sizes but not their input.
    const step = layerStep(l, shape);
    if ('message' in step) return refuse(step);
    for (const [weight, dims] of Object.entries(step.weights)) {
      const bytes = product(dims) * 4;
      weightBytes += bytes;
      if (weightBytes > MODEL_LIMITS.maxWeightBytes)
        return bad(
          'model-too-large',
          `layer "${l.name}"${declaredSize(l)} would need ${bytesInWords(bytes)} for its weight "${weight}" ` +
            `(${dims.join(' × ')}); Benchtop loads networks of at most ` +
            `${bytesInWords(MODEL_LIMITS.maxWeightBytes)} of weights`,
          `layers.${l.name}.${weight}`,
        );
      const re = specNameRe(l.name, weight);
      const spec = a.weightSpecs.find((s) => re.test(s.name));
      if (spec && (spec.shape.length !== dims.length || spec.shape.some((s, i) => s !== dims[i])))
        return bad(
          'bad-model',
          `layer "${l.name}" declares a weight "${weight}" of ${dims.join(' × ')}, but the weights manifest ` +
            `holds ${spec.shape.join(' × ') || 'a scalar'}`,
          `layers.${l.name}.${weight}`,
        );
    }
    shape = step.output;
    // Unknown input shapes still bound what the layer outputs when it declares its width.
    const width = shape ? product(shape) : isPositiveInt(l.config.units) ? l.config.units : 0;
    activationBytes += width * 4;
    if (activationBytes > MODEL_LIMITS.maxActivationBytesPerRow)
      return bad(
        'model-too-large',
        `its activations would need more than ${bytesInWords(MODEL_LIMITS.maxActivationBytesPerRow)} per row ` +
          `(reached at layer "${l.name}"); Benchtop loads networks of at most that`,
        `layers.${l.name}`,
      );
  }
  return ok(undefined);
}

/**
 * {@link checkNetworkShape}, then every float32 weight finite: NaN or ±Infinity is refused naming
 * the layer, the weight and the index (`weights.bin: layer "dense_1" weight "kernel" holds NaN at index 17.`).
 * Reads the weights through a view of the buffer (no copy).
 * Cost: O(weights).
 */
export function checkNetworkArtifacts(a: ModelArtifacts, names: ModelFileNames = MODEL_FILE_NAMES): Result<void> {
  const shape = checkNetworkShape(a, names);
  if (!shape.ok) return shape;
  let offset = 0;
  for (const w of a.weightSpecs) {
    const n = product(w.shape);
    if (w.dtype === 'float32') {
      const view = offset % 4 === 0 ? new Float32Array(a.weightData, offset, n) : null;
      const dv = view ? null : new DataView(a.weightData, offset, n * 4);
      for (let i = 0; i < n; i++) {
        const x = view ? view[i]! : dv!.getFloat32(i * 4, true);
        if (!Number.isFinite(x)) {
          const slash = w.name.lastIndexOf('/');
          const where =
            slash > 0 ? `layer "${w.name.slice(0, slash)}" weight "${w.name.slice(slash + 1)}"` : `weight "${w.name}"`;
          return fail({
            kind: 'bad-weights',
            file: names.weights,
            field: `${weightField(w.name)}[${i}]`,
            message: `${names.weights}: ${where} holds ${x} at index ${i}; a model with non-finite weights predicts nothing useful.`,
          });
        }
      }
    }
    offset += n * 4;
  }
  return ok(undefined);
}

/** Outputs per row a preprocessor's label asks of a model: its classes, or 1 for regression. */
export function labelOutputs(pre: Preprocessor): number {
  return pre.label.task === 'classification' ? pre.label.classes.length : 1;
}

/**
 * A preprocessor that agrees with itself: its features make `inputSize` inputs (one per numeric
 * feature, one per category of a one-hot feature) and `inputNames` names each one; a classification
 * label has at least two classes. Otherwise every row it encodes has the wrong width for the model.
 * Cost: O(features + categories).
 * Errors: `bad-model`, naming the file and the field (`preprocessing.json: field "inputSize" …`).
 * @example checkPreprocessor(pre, 'my-model/preprocessing.json')
 */
export function checkPreprocessor(pre: Preprocessor, file = 'preprocessing.json'): Result<void> {
  const bad = (field: string, message: string) =>
    fail<void>({ kind: 'bad-model', file, field, message: `${file}: field "${field}" ${message}.` });
  let made = 0;
  for (const f of pre.features) made += f.kind === 'numeric' ? 1 : f.categories.length;
  if (pre.inputSize !== made)
    return bad('inputSize', `says ${pre.inputSize} inputs, but its ${pre.features.length} feature(s) make ${made}`);
  if (pre.inputNames.length !== made)
    return bad('inputNames', `names ${pre.inputNames.length} inputs, but its features make ${made}`);
  if (pre.label.task === 'classification' && pre.label.classes.length < 2)
    return bad('label.classes', `must list at least two classes (it lists ${pre.label.classes.length})`);
  return ok(undefined);
}

/**
 * A network whose declared input (the first layer's input shape, when it has one) takes as many
 * values per row as its preprocessor makes. Otherwise tfjs fails on the first prediction.
 * Errors: `bad-model`, naming the preprocessor's file and the topology's.
 */
export function checkNetworkInputs(
  topology: unknown,
  pre: Preprocessor,
  names: ModelFileNames = MODEL_FILE_NAMES,
): Result<void> {
  const found = layersOf(topology);
  if ('message' in found) return ok(undefined); // checkNetworkShape refuses it, naming the topology
  const shape = declaredInput(found.layers, found.sequential);
  if (!shape || !shape.every(isPositiveInt)) return ok(undefined);
  const takes = product(shape);
  if (takes === pre.inputSize) return ok(undefined);
  const file = names.preprocessor ?? 'preprocessing.json';
  return fail({
    kind: 'bad-model',
    file,
    field: 'inputSize',
    message:
      `${file}: field "inputSize" says the model gets ${pre.inputSize} inputs per row, but the network in ` +
      `${names.topology} takes ${takes}${shape.length > 1 ? ` (${shape.join(' × ')})` : ''}; the two files do not ` +
      `belong together.`,
  });
}

/**
 * Sanity of any trained model before it predicts: networks by {@link checkNetworkArtifacts},
 * classical models by {@link checkClassicalState}, ensembles member by member; ONNX graphs are left to
 * onnxruntime (src/core/onnx).
 * @example const s = checkModel(model, fileNamesIn('')); if (!s.ok) return s;
 */
export function checkModel(model: TrainedModel, names: ModelFileNames = MODEL_FILE_NAMES): Result<void> {
  const pre = checkPreprocessor(model.preprocessor, names.preprocessor ?? 'preprocessing.json');
  if (!pre.ok) return pre;
  switch (model.kind) {
    case 'network': {
      const sane = checkNetworkArtifacts(model.artifacts, names);
      return sane.ok ? checkNetworkInputs(model.artifacts.modelTopology, model.preprocessor, names) : sane;
    }
    case 'classical':
      return checkClassicalState(
        model.classical,
        model.preprocessor.inputSize,
        names.classical,
        labelOutputs(model.preprocessor),
      );
    case 'ensemble':
      for (const [i, m] of model.ensemble.members.entries()) {
        const r = checkModel(m, {
          topology: `${names.topology} (member ${i + 1})`,
          weights: `${names.weights} (member ${i + 1})`,
          classical: `${names.classical} (member ${i + 1})`,
          preprocessor: `${names.preprocessor ?? names.topology} (member ${i + 1})`,
        });
        if (!r.ok) return r;
      }
      return ok(undefined);
    case 'onnx':
      return ok(undefined);
  }
}

/** How messages name a model read from storage (IndexedDB, the file store's record) rather than from files. */
export const STORED_MODEL_NAMES: ModelFileNames = Object.freeze({
  topology: 'the saved model',
  weights: 'the saved weights',
  classical: 'the saved model',
  preprocessor: 'the saved preprocessing',
});

/**
 * Thrown by code that must return a model, not a Result (`artifactsToModel`), when the model's
 * sizes fail {@link checkNetworkShape}: the message is the person's sentence, `problem` the plain data.
 */
export class UnsafeModelError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
    this.name = 'UnsafeModelError';
  }
}
