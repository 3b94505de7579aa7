import type { ModelArtifacts, TrainedModel } from '../model/spec.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import { ProtoWriter } from './protobuf-writer.ts';
import type { QuantParams } from '../compression/quantize.ts';

/**
 * ONNX export of Benchtop's dense models (logistic/softmax/linear regression and MLPs): each Dense
 * layer becomes a `Gemm` (+ its activation node), Dropout disappears at inference. The graph takes the
 * preprocessed features (`features`, float32 [N, d]) and returns the model's raw outputs (`outputs`).
 * Field numbers follow onnx/onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto,
 * ValueInfoProto). Opset 13, IR version 8.
 */
export const ONNX_OPSET = 13;
const IR_VERSION = 8;
const FLOAT = 1;

const ACTIVATIONS: Readonly<Record<string, string | null>> = Object.freeze({
  linear: null,
  relu: 'Relu',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  elu: 'Elu',
  softmax: 'Softmax',
});

interface DenseLayer {
  kind: 'dense';
  name: string;
  units: number;
  activation: string;
  useBias: boolean;
  /** A batch-norm layer right after it, folded into its weights at export (exact at inference). */
  bn?: string;
  bnEps?: number;
}

interface ConvLayer {
  kind: 'conv';
  name: string;
  filters: number;
  kernel: [number, number];
  same: boolean;
  activation: string;
  useBias: boolean;
  bn?: string;
  bnEps?: number;
}

type Layer =
  | DenseLayer
  | ConvLayer
  | { kind: 'image'; shape: [number, number, number] }
  | { kind: 'pool'; name: string; size: [number, number]; same: boolean }
  | { kind: 'flatten' };

function denseLayers(topology: object): Result<Layer[]> {
  type Layers = { class_name: string; config: Record<string, unknown> }[];
  type Seq = { class_name?: string; config?: { layers?: Layers } };
  // tfjs writes the Sequential config at the top level; Keras files nest it under model_config.
  const t = topology as Seq & { model_config?: Seq };
  const cfg = (t.model_config ?? t).config?.layers;
  if (!Array.isArray(cfg))
    return fail({ kind: 'unsupported-model', message: 'ONNX export needs a tfjs Sequential model topology.' });
  const out: Layer[] = [];
  const pair = (v: unknown, d: number): [number, number] =>
    Array.isArray(v)
      ? [Number(v[0]), Number(v[1] ?? v[0])]
      : v === undefined || v === null
        ? [d, d]
        : [Number(v), Number(v)];
  for (const l of cfg) {
    const prev = out.at(-1);
    if (l.class_name === 'Dropout' || l.class_name === 'InputLayer') continue;
    if (l.class_name === 'Activation' && prev && (prev.kind === 'dense' || prev.kind === 'conv')) {
      const act = String(l.config.activation ?? 'linear');
      if (!(act in ACTIVATIONS))
        return fail({ kind: 'unsupported-activation', message: `ONNX export does not handle the ${act} activation.` });
      if (prev.activation !== 'linear')
        return fail({ kind: 'unsupported-layer', message: 'ONNX export does not handle two activations in a row.' });
      prev.activation = act;
      continue;
    }
    if (l.class_name === 'BatchNormalization') {
      if (!prev || (prev.kind !== 'dense' && prev.kind !== 'conv') || prev.activation !== 'linear' || prev.bn)
        return fail({
          kind: 'unsupported-layer',
          message:
            'ONNX export folds batch normalization into the dense or convolution layer right before it (with ' +
            'no activation between).',
        });
      if (l.config.center === false || l.config.scale === false)
        return fail({
          kind: 'unsupported-layer',
          message: 'ONNX export handles batch normalization with both center and scale.',
        });
      prev.bn = String(l.config.name);
      prev.bnEps = Number(l.config.epsilon ?? 1e-3);
      continue;
    }
    if (l.class_name === 'Reshape' && out.length === 0) {
      const shape = (l.config.target_shape ?? l.config.targetShape) as number[];
      if (!Array.isArray(shape) || shape.length !== 3)
        return fail({
          kind: 'unsupported-layer',
          message: 'ONNX export handles a Reshape only into an image (height × width × channels) at the input.',
        });
      out.push({ kind: 'image', shape: [shape[0]!, shape[1]!, shape[2]!] });
      continue;
    }
    if (l.class_name === 'Conv2D') {
      const strides = pair(l.config.strides, 1),
        dilation = pair(l.config.dilation_rate, 1);
      if (
        strides[0] !== 1 ||
        strides[1] !== 1 ||
        dilation[0] !== 1 ||
        dilation[1] !== 1 ||
        (l.config.data_format && l.config.data_format !== 'channels_last')
      )
        return fail({
          kind: 'unsupported-layer',
          message: 'ONNX export handles Conv2D with stride 1, no dilation, channels last.',
        });
      const activation = String(l.config.activation ?? 'linear');
      if (!(activation in ACTIVATIONS) || activation === 'softmax')
        return fail({
          kind: 'unsupported-activation',
          message: `ONNX export does not handle the ${activation} activation on a convolution.`,
        });
      out.push({
        kind: 'conv',
        name: String(l.config.name),
        filters: Number(l.config.filters),
        kernel: pair(l.config.kernel_size, 3),
        same: l.config.padding === 'same',
        activation,
        useBias: l.config.use_bias !== false,
      });
      continue;
    }
    if (l.class_name === 'MaxPooling2D') {
      const size = pair(l.config.pool_size, 2),
        strides = pair(l.config.strides ?? l.config.pool_size, 2);
      if (strides[0] !== size[0] || strides[1] !== size[1])
        return fail({
          kind: 'unsupported-layer',
          message: 'ONNX export handles max pooling with strides equal to the pool size.',
        });
      out.push({ kind: 'pool', name: String(l.config.name), size, same: l.config.padding === 'same' });
      continue;
    }
    if (l.class_name === 'Flatten') {
      out.push({ kind: 'flatten' });
      continue;
    }
    if (l.class_name !== 'Dense')
      return fail({ kind: 'unsupported-layer', message: `ONNX export does not handle ${l.class_name} layers yet.` });
    const activation = String(l.config.activation ?? 'linear');
    if (!(activation in ACTIVATIONS))
      return fail({
        kind: 'unsupported-activation',
        message: `ONNX export does not handle the ${activation} activation.`,
      });
    out.push({
      kind: 'dense',
      name: String(l.config.name),
      units: Number(l.config.units),
      activation,
      useBias: l.config.use_bias !== false,
    });
  }
  return ok(out);
}

/** Folds batch normalization (inference statistics) into per-output-channel kernel and bias. */
function foldBn(
  kernel: Float32Array,
  bias: Float32Array | undefined,
  channels: number,
  weights: Map<string, Float32Array>,
  bn: string,
  eps: number,
): { kernel: Float32Array; bias: Float32Array; factor: Float32Array } {
  const gamma = weights.get(`${bn}/gamma`),
    beta = weights.get(`${bn}/beta`),
    mean = weights.get(`${bn}/moving_mean`),
    variance = weights.get(`${bn}/moving_variance`);
  if (!gamma || !beta || !mean || !variance) throw new Error(`weights for ${bn} are missing`);
  const factor = Float32Array.from(gamma, (g, c) => g / Math.sqrt(variance[c]! + eps));
  return {
    kernel: Float32Array.from(kernel, (v, i) => v * factor[i % channels]!),
    bias: Float32Array.from(factor, (f, c) => (bias?.[c] ?? 0) * f + beta[c]! - mean[c]! * f),
    factor,
  };
}

function valueInfo(name: string, dims: (number | string)[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims)
    shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, FLOAT).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

function initializer(name: string, dims: number[], data: Float32Array): ProtoWriter {
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new ProtoWriter().packedInts(1, dims).int(2, FLOAT).string(8, name).bytes(9, raw);
}

const INT8 = 3,
  UINT8 = 2;

function intInitializer(name: string, dims: number[], data: Int8Array | Uint8Array, type: number): ProtoWriter {
  return new ProtoWriter()
    .packedInts(1, dims)
    .int(2, type)
    .string(8, name)
    .bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

function node(op: string, inputs: string[], outputs: string[], name: string, attrs: ProtoWriter[] = []): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of inputs) w.string(1, i);
  for (const o of outputs) w.string(2, o);
  w.string(3, name).string(4, op);
  for (const a of attrs) w.message(5, a);
  return w;
}

const INT64 = 7;

function int64Initializer(name: string, values: number[]): ProtoWriter {
  const data = BigInt64Array.from(values, (v) => BigInt(v));
  return new ProtoWriter()
    .packedInts(1, [values.length])
    .int(2, INT64)
    .string(8, name)
    .bytes(9, new Uint8Array(data.buffer));
}

const intsAttr = (name: string, vs: number[]) => new ProtoWriter().string(1, name).packedInts(8, vs).int(20, 7);
const intAttr = (name: string, v: number) => new ProtoWriter().string(1, name).int(3, v).int(20, 2);

/** tfjs 'same' padding for a window of k and stride s over n: [before, after] (extra at the end). */
function samePads(n: number, k: number, stride: number): [number, number] {
  const out = Math.ceil(n / stride);
  const total = Math.max((out - 1) * stride + k - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * Writes an ONNX model for a tfjs Sequential model's artifacts: Dense → `Gemm`; an input Reshape to an
 * image → `Reshape` + `Transpose` to NCHW; Conv2D → `Conv`; MaxPooling2D → `MaxPool`; Flatten →
 * `Transpose` back to NHWC + `Flatten` (so the order matches tfjs); batch normalization folded into
 * the layer before it; activations as nodes; Dropout disappears at inference.
 * Errors: other layers, unknown activations, weights that do not match the topology.
 * Cost: O(weights).
 * @example const bytes = exportDenseOnnx(model.artifacts, 64); // feed to onnxruntime
 */
export function exportDenseOnnx(
  artifacts: ModelArtifacts,
  inputSize: number,
  producerVersion = 'dev',
  quant?: Record<string, QuantParams>,
  activations?: Record<string, { scale: number; zeroPoint: number }>,
): Result<Uint8Array> {
  const layers = denseLayers(artifacts.modelTopology);
  if (!layers.ok) return layers;
  const weights = new Map<string, Float32Array>();
  let offset = 0;
  for (const spec of artifacts.weightSpecs) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.dtype !== 'float32')
      return fail({
        kind: 'unsupported-dtype',
        message: `ONNX export expects float32 weights; ${spec.name} is ${spec.dtype}.`,
      });
    weights.set(spec.name, new Float32Array(artifacts.weightData.slice(offset, offset + n * 4)));
    offset += n * 4;
  }
  const graph = new ProtoWriter();
  const inits: ProtoWriter[] = [];
  let current = 'features';
  let width = inputSize;
  // Image layout while between the input Reshape and Flatten (NCHW inside the graph).
  let image: { h: number; w: number; c: number } | null = null;
  const outputLayer = layers.value.findLastIndex((l) => l.kind === 'dense' || l.kind === 'conv');
  if (outputLayer < 0 || layers.value[outputLayer]!.kind !== 'dense')
    return fail({ kind: 'unsupported-model', message: 'ONNX export needs a model that ends in a dense layer.' });

  /** Kernel initializer `${name}.kernel` (float, or int8 codes + DequantizeLinear), in ONNX layout. */
  const addKernel = (
    name: string,
    kernel: Float32Array,
    dims: number[],
    channels: number,
    toOnnx: (x: Float32Array | Int8Array | Uint8Array) => Float32Array | Int8Array | Uint8Array,
    axis: number,
    bnFactor?: Float32Array,
  ) => {
    const q = quant?.[`${name}/kernel`];
    if (!q) {
      inits.push(initializer(`${name}.kernel`, dims, toOnnx(kernel) as Float32Array));
      return;
    }
    if (bnFactor && (!q.perChannel || !q.symmetric))
      throw new ExportError(
        'int8 ONNX export of a batch-normalized layer needs per-channel symmetric weights (the folded scale ' +
          'differs per channel).',
      );
    // QDQ: the kernel is stored as 8-bit integers and dequantized in the graph (per output channel on `axis`).
    const scale = Float32Array.from(q.scale, (sc, c) => sc * (bnFactor ? Math.abs(bnFactor[c]!) : 1));
    const at = (i: number) => (q.perChannel ? i % channels : 0);
    const code = (v: number, i: number) => Math.round(v / scale[at(i)]!) + q.zeroPoint[at(i)]!;
    const codes = q.signed ? Int8Array.from(kernel, code) : Uint8Array.from(kernel, code);
    const qdims = q.perChannel ? [channels] : [];
    inits.push(
      intInitializer(`${name}.kernel_q`, dims, toOnnx(codes) as Int8Array | Uint8Array, q.signed ? INT8 : UINT8),
    );
    inits.push(initializer(`${name}.kernel_scale`, qdims, scale));
    inits.push(
      intInitializer(
        `${name}.kernel_zero`,
        qdims,
        q.signed ? Int8Array.from(q.zeroPoint) : Uint8Array.from(q.zeroPoint),
        q.signed ? INT8 : UINT8,
      ),
    );
    graph.message(
      1,
      node(
        'DequantizeLinear',
        [`${name}.kernel_q`, `${name}.kernel_scale`, `${name}.kernel_zero`],
        [`${name}.kernel`],
        `${name}.dequantize`,
        q.perChannel ? [intAttr('axis', axis)] : [],
      ),
    );
  };
  /** Static quantization: a layer's input passes through QuantizeLinear → DequantizeLinear (uint8). */
  const quantizeInput = (name: string, input: string) => {
    const inQ = activations?.[name];
    if (!inQ) return input;
    inits.push(initializer(`${name}.in_scale`, [], Float32Array.of(inQ.scale)));
    inits.push(intInitializer(`${name}.in_zero`, [], Uint8Array.of(inQ.zeroPoint), UINT8));
    graph.message(
      1,
      node('QuantizeLinear', [input, `${name}.in_scale`, `${name}.in_zero`], [`${name}.in_q`], `${name}.quantize_in`),
    );
    graph.message(
      1,
      node(
        'DequantizeLinear',
        [`${name}.in_q`, `${name}.in_scale`, `${name}.in_zero`],
        [`${name}.in_dq`],
        `${name}.dequantize_in`,
      ),
    );
    return `${name}.in_dq`;
  };
  const activate = (name: string, activation: string, z: string, last: boolean) => {
    const act = ACTIVATIONS[activation]!;
    if (act === null) return z;
    const out = last ? 'outputs' : `${name}.a`;
    const attrs =
      act === 'Softmax'
        ? [intAttr('axis', -1)]
        : act === 'Elu'
          ? [new ProtoWriter().string(1, 'alpha').float(2, 1).int(20, 1)]
          : [];
    graph.message(1, node(act, [z], [out], `${name}.${act.toLowerCase()}`, attrs));
    return out;
  };

  try {
    layers.value.forEach((l, i) => {
      const last = i === outputLayer;
      if (l.kind === 'image') {
        const [h, w, c] = l.shape;
        if (h * w * c !== width)
          throw new ExportError(`the input Reshape to ${h}×${w}×${c} does not match ${width} features`);
        inits.push(int64Initializer('image.shape', [-1, h, w, c]));
        graph.message(1, node('Reshape', [current, 'image.shape'], ['image.nhwc'], 'image.reshape'));
        graph.message(
          1,
          node('Transpose', ['image.nhwc'], ['image.nchw'], 'image.to_nchw', [intsAttr('perm', [0, 3, 1, 2])]),
        );
        current = 'image.nchw';
        image = { h, w, c };
        return;
      }
      if (l.kind === 'pool') {
        if (!image) throw new ExportError('max pooling needs an image input');
        const ph = l.same ? samePads(image.h, l.size[0], l.size[0]) : [0, 0];
        const pw = l.same ? samePads(image.w, l.size[1], l.size[1]) : [0, 0];
        graph.message(
          1,
          node('MaxPool', [current], [`${l.name}.out`], `${l.name}.maxpool`, [
            intsAttr('kernel_shape', l.size),
            intsAttr('strides', l.size),
            intsAttr('pads', [ph[0], pw[0], ph[1], pw[1]]),
          ]),
        );
        image = {
          h: l.same ? Math.ceil(image.h / l.size[0]) : Math.floor(image.h / l.size[0]),
          w: l.same ? Math.ceil(image.w / l.size[1]) : Math.floor(image.w / l.size[1]),
          c: image.c,
        };
        current = `${l.name}.out`;
        return;
      }
      if (l.kind === 'flatten') {
        if (!image) throw new ExportError('Flatten needs an image input');
        graph.message(
          1,
          node('Transpose', [current], ['flatten.nhwc'], 'flatten.to_nhwc', [intsAttr('perm', [0, 2, 3, 1])]),
        );
        graph.message(1, node('Flatten', ['flatten.nhwc'], ['flatten.out'], 'flatten', [intAttr('axis', 1)]));
        width = image.h * image.w * image.c;
        image = null;
        current = 'flatten.out';
        return;
      }
      if (l.kind === 'conv') {
        if (!image) throw new ExportError(`${l.name} needs an image input`);
        const [kh, kw] = l.kernel;
        const cin = image.c,
          cout = l.filters;
        let kernel = weights.get(`${l.name}/kernel`);
        let bias = weights.get(`${l.name}/bias`);
        if (!kernel || kernel.length !== kh * kw * cin * cout)
          throw new ExportError(`weights for ${l.name} do not match the topology`);
        let factor: Float32Array | undefined;
        if (l.bn)
          ({ kernel, bias, factor } = foldBn(kernel, l.useBias ? bias : undefined, cout, weights, l.bn, l.bnEps!));
        // tfjs [kh, kw, in, out] → ONNX [out, in, kh, kw]
        const toOnnx = <T extends Float32Array | Int8Array | Uint8Array>(x: T): T => {
          const y = new (x.constructor as new (n: number) => T)(x.length);
          for (let a = 0; a < kh; a++)
            for (let b = 0; b < kw; b++)
              for (let ci = 0; ci < cin; ci++)
                for (let co = 0; co < cout; co++)
                  y[((co * cin + ci) * kh + a) * kw + b] = x[((a * kw + b) * cin + ci) * cout + co]!;
          return y;
        };
        addKernel(l.name, kernel, [cout, cin, kh, kw], cout, toOnnx, 0, factor);
        current = quantizeInput(l.name, current);
        const convIn = [current, `${l.name}.kernel`];
        if (bias && (l.useBias || l.bn)) {
          inits.push(initializer(`${l.name}.bias`, [cout], bias));
          convIn.push(`${l.name}.bias`);
        }
        const ph = l.same ? samePads(image.h, kh, 1) : [0, 0],
          pw = l.same ? samePads(image.w, kw, 1) : [0, 0];
        graph.message(
          1,
          node('Conv', convIn, [`${l.name}.z`], `${l.name}.conv`, [
            intsAttr('kernel_shape', [kh, kw]),
            intsAttr('pads', [ph[0], pw[0], ph[1], pw[1]]),
          ]),
        );
        current = activate(l.name, l.activation, `${l.name}.z`, false);
        image = { h: l.same ? image.h : image.h - kh + 1, w: l.same ? image.w : image.w - kw + 1, c: cout };
        return;
      }
      if (image) throw new ExportError(`${l.name} (dense) follows an image without Flatten`);
      let kernel = weights.get(`${l.name}/kernel`);
      let bias = weights.get(`${l.name}/bias`);
      if (!kernel || kernel.length !== width * l.units)
        throw new ExportError(`weights for ${l.name} do not match the topology`);
      let factor: Float32Array | undefined;
      if (l.bn)
        ({ kernel, bias, factor } = foldBn(kernel, l.useBias ? bias : undefined, l.units, weights, l.bn, l.bnEps!));
      addKernel(l.name, kernel, [width, l.units], l.units, (x) => x, 1, factor);
      current = quantizeInput(l.name, current);
      const gemmIn = [current, `${l.name}.kernel`];
      if (bias && (l.useBias || l.bn)) {
        inits.push(initializer(`${l.name}.bias`, [l.units], bias));
        gemmIn.push(`${l.name}.bias`);
      }
      const gemmOut = ACTIVATIONS[l.activation] === null && last ? 'outputs' : `${l.name}.z`;
      graph.message(1, node('Gemm', gemmIn, [gemmOut], `${l.name}.gemm`));
      current = activate(l.name, l.activation, gemmOut, last);
      width = l.units;
    });
  } catch (e) {
    if (e instanceof ExportError) return fail({ kind: 'unsupported-model', message: `ONNX export: ${e.message}.` });
    throw e;
  }
  graph.string(2, 'benchtop');
  for (const w of inits) graph.message(5, w);
  graph.message(11, valueInfo('features', ['N', inputSize]));
  graph.message(12, valueInfo('outputs', ['N', width]));
  const model = new ProtoWriter()
    .int(1, IR_VERSION)
    .string(2, 'Benchtop')
    .string(3, producerVersion)
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').int(2, ONNX_OPSET));
  return ok(model.finish());
}

class ExportError extends Error {}

/**
 * A model version's ONNX: the graph it carries (imported or statically quantized), else its network
 * exported here — int8 QDQ for weight-quantized versions.
 * Errors: classical models and ensembles (no ONNX export), layers the exporter does not handle.
 */
export function modelToOnnx(model: TrainedModel, producerVersion = 'dev'): Result<Uint8Array> {
  if (model.kind === 'onnx') return ok(new Uint8Array(model.onnx.bytes));
  if (model.kind !== 'network')
    return fail({
      kind: 'unsupported-model',
      message:
        'ONNX export covers neural networks (logistic, linear, MLP, CNN); classical models and ensembles ' +
        'have none yet.',
    });
  return exportDenseOnnx(
    model.artifacts,
    model.preprocessor.inputSize,
    producerVersion,
    model.compression?.method === 'int8' ? model.compression.quant : undefined,
  );
}
