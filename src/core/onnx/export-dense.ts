import type { ModelArtifacts } from '../model/spec.ts';
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

const ACTIVATIONS: Readonly<Record<string, string | null>> = Object.freeze({ linear: null, relu: 'Relu', tanh: 'Tanh', sigmoid: 'Sigmoid', elu: 'Elu', softmax: 'Softmax' });

interface DenseLayer {
  name: string;
  units: number;
  activation: string;
  useBias: boolean;
}

function denseLayers(topology: object): Result<DenseLayer[]> {
  type Layers = { class_name: string; config: Record<string, unknown> }[];
  type Seq = { class_name?: string; config?: { layers?: Layers } };
  // tfjs writes the Sequential config at the top level; Keras files nest it under model_config.
  const t = topology as Seq & { model_config?: Seq };
  const cfg = (t.model_config ?? t).config?.layers;
  if (!Array.isArray(cfg)) return fail({ kind: 'unsupported-model', message: 'ONNX export needs a tfjs Sequential model topology.' });
  const out: DenseLayer[] = [];
  for (const l of cfg) {
    if (l.class_name === 'Dropout' || l.class_name === 'InputLayer') continue;
    if (l.class_name === 'Activation' && out.length) {
      const act = String(l.config.activation ?? 'linear');
      if (!(act in ACTIVATIONS)) return fail({ kind: 'unsupported-activation', message: `ONNX export does not handle the ${act} activation.` });
      const prev = out.at(-1)!;
      if (prev.activation !== 'linear') return fail({ kind: 'unsupported-layer', message: 'ONNX export does not handle two activations in a row.' });
      prev.activation = act;
      continue;
    }
    if (l.class_name !== 'Dense') return fail({ kind: 'unsupported-layer', message: `ONNX export does not handle ${l.class_name} layers yet.` });
    const activation = String(l.config.activation ?? 'linear');
    if (!(activation in ACTIVATIONS)) return fail({ kind: 'unsupported-activation', message: `ONNX export does not handle the ${activation} activation.` });
    out.push({ name: String(l.config.name), units: Number(l.config.units), activation, useBias: l.config.use_bias !== false });
  }
  return ok(out);
}

function valueInfo(name: string, dims: (number | string)[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, FLOAT).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

function initializer(name: string, dims: number[], data: Float32Array): ProtoWriter {
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new ProtoWriter().packedInts(1, dims).int(2, FLOAT).string(8, name).bytes(9, raw);
}

const INT8 = 3, UINT8 = 2;

function intInitializer(name: string, dims: number[], data: Int8Array | Uint8Array, type: number): ProtoWriter {
  return new ProtoWriter().packedInts(1, dims).int(2, type).string(8, name).bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

function node(op: string, inputs: string[], outputs: string[], name: string, attrs: ProtoWriter[] = []): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of inputs) w.string(1, i);
  for (const o of outputs) w.string(2, o);
  w.string(3, name).string(4, op);
  for (const a of attrs) w.message(5, a);
  return w;
}

/**
 * Writes an ONNX model for a dense tfjs model's artifacts.
 * Errors: layers other than Dense/Dropout, unknown activations, weights that do not match the topology.
 * Cost: O(weights).
 * @example const bytes = exportDenseOnnx(model.artifacts, 64); // feed to onnxruntime
 */
export function exportDenseOnnx(artifacts: ModelArtifacts, inputSize: number, producerVersion = 'dev', quant?: Record<string, QuantParams>, activations?: Record<string, { scale: number; zeroPoint: number }>): Result<Uint8Array> {
  const layers = denseLayers(artifacts.modelTopology);
  if (!layers.ok) return layers;
  const weights = new Map<string, Float32Array>();
  let offset = 0;
  for (const spec of artifacts.weightSpecs) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.dtype !== 'float32') return fail({ kind: 'unsupported-dtype', message: `ONNX export expects float32 weights; ${spec.name} is ${spec.dtype}.` });
    weights.set(spec.name, new Float32Array(artifacts.weightData.slice(offset, offset + n * 4)));
    offset += n * 4;
  }
  const graph = new ProtoWriter();
  const inits: ProtoWriter[] = [];
  let current = 'features';
  let width = inputSize;
  layers.value.forEach((l, i) => {
    const kernel = weights.get(`${l.name}/kernel`);
    const bias = weights.get(`${l.name}/bias`);
    if (!kernel || kernel.length !== width * l.units) throw new Error(`weights for ${l.name} do not match the topology`);
    const q = quant?.[`${l.name}/kernel`];
    if (q) {
      // QDQ: the kernel is stored as 8-bit integers and dequantized in the graph (per output channel: axis 1).
      const codes = q.signed ? Int8Array.from(kernel, (v, i) => Math.round(v / q.scale[q.perChannel ? i % l.units : 0]!) + q.zeroPoint[q.perChannel ? i % l.units : 0]!) : Uint8Array.from(kernel, (v, i) => Math.round(v / q.scale[q.perChannel ? i % l.units : 0]!) + q.zeroPoint[q.perChannel ? i % l.units : 0]!);
      const dims = q.perChannel ? [l.units] : [];
      inits.push(intInitializer(`${l.name}.kernel_q`, [width, l.units], codes, q.signed ? INT8 : UINT8));
      inits.push(initializer(`${l.name}.kernel_scale`, dims, Float32Array.from(q.scale)));
      inits.push(intInitializer(`${l.name}.kernel_zero`, dims, q.signed ? Int8Array.from(q.zeroPoint) : Uint8Array.from(q.zeroPoint), q.signed ? INT8 : UINT8));
      graph.message(1, node('DequantizeLinear', [`${l.name}.kernel_q`, `${l.name}.kernel_scale`, `${l.name}.kernel_zero`], [`${l.name}.kernel`], `${l.name}.dequantize`, q.perChannel ? [new ProtoWriter().string(1, 'axis').int(3, 1).int(20, 2)] : []));
    } else inits.push(initializer(`${l.name}.kernel`, [width, l.units], kernel));
    const inQ = activations?.[l.name];
    if (inQ) {
      // Static quantization: the layer's input passes through QuantizeLinear → DequantizeLinear (uint8).
      inits.push(initializer(`${l.name}.in_scale`, [], Float32Array.of(inQ.scale)));
      inits.push(intInitializer(`${l.name}.in_zero`, [], Uint8Array.of(inQ.zeroPoint), UINT8));
      graph.message(1, node('QuantizeLinear', [current, `${l.name}.in_scale`, `${l.name}.in_zero`], [`${l.name}.in_q`], `${l.name}.quantize_in`));
      graph.message(1, node('DequantizeLinear', [`${l.name}.in_q`, `${l.name}.in_scale`, `${l.name}.in_zero`], [`${l.name}.in_dq`], `${l.name}.dequantize_in`));
      current = `${l.name}.in_dq`;
    }
    const gemmIn = [current, `${l.name}.kernel`];
    if (l.useBias && bias) {
      inits.push(initializer(`${l.name}.bias`, [l.units], bias));
      gemmIn.push(`${l.name}.bias`);
    }
    const last = i === layers.value.length - 1;
    const act = ACTIVATIONS[l.activation]!;
    const gemmOut = act === null && last ? 'outputs' : `${l.name}.z`;
    graph.message(1, node('Gemm', gemmIn, [gemmOut], `${l.name}.gemm`));
    if (act !== null) {
      const out = last ? 'outputs' : `${l.name}.a`;
      const attrs = act === 'Softmax' ? [new ProtoWriter().string(1, 'axis').int(3, -1).int(20, 2)] : act === 'Elu' ? [new ProtoWriter().string(1, 'alpha').float(2, 1).int(20, 1)] : [];
      graph.message(1, node(act, [gemmOut], [out], `${l.name}.${act.toLowerCase()}`, attrs));
      current = out;
    } else current = gemmOut;
    width = l.units;
  });
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
