/**
 * Hand-built ONNX models for the corpus's damaged cases (the valid base comes from `benchtop export`).
 * Field numbers follow onnx/onnx.proto: ModelProto (1 ir_version, 2 producer_name, 7 graph,
 * 8 opset_import), GraphProto (1 node, 2 name, 5 initializer, 11 input, 12 output), NodeProto (1 input,
 * 2 output, 3 name, 4 op_type, 7 domain), TensorProto (1 dims, 2 data_type, 8 name, 9 raw_data),
 * ValueInfoProto (1 name, 2 type), TypeProto.Tensor (1 elem_type, 2 shape), Dimension (1 dim_value, 2 dim_param).
 */
import { ProtoWriter } from '../../src/core/onnx/protobuf-writer.ts';

const FLOAT = 1;
export const INT64 = 7;

export interface OnnxSpec {
  inputs?: { name: string; dims: (number | string)[]; elemType?: number }[];
  outputs?: { name: string; dims: (number | string)[] }[];
  nodes?: { op: string; inputs: string[]; outputs: string[]; domain?: string }[];
  inits?: { name: string; dims: number[]; raw: Uint8Array }[];
  opset?: number;
  extraOpsets?: { domain: string; version: number }[];
  /** Leave the graph out entirely. */
  noGraph?: boolean;
}

function valueInfo(name: string, dims: (number | string)[], elemType = FLOAT): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims)
    shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, elemType).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

export const f32 = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

/** Logistic regression over 3 features: sigmoid(x·W + b), W [3,1], b [1]. */
export function logisticSpec(w = [0.5, -0.25, 0.1], b = [0.05]): OnnxSpec {
  return {
    inputs: [{ name: 'features', dims: ['N', 3] }],
    outputs: [{ name: 'outputs', dims: ['N', 1] }],
    nodes: [
      { op: 'Gemm', inputs: ['features', 'W', 'B'], outputs: ['logits'] },
      { op: 'Sigmoid', inputs: ['logits'], outputs: ['outputs'] },
    ],
    inits: [
      { name: 'W', dims: [3, 1], raw: f32(w) },
      { name: 'B', dims: [1], raw: f32(b) },
    ],
  };
}

export function buildOnnx(s: OnnxSpec): Uint8Array {
  const model = new ProtoWriter().int(1, 8).string(2, 'benchtop-corpus').string(3, '1');
  if (!s.noGraph) {
    const g = new ProtoWriter();
    (s.nodes ?? []).forEach((n, i) => {
      const w = new ProtoWriter();
      for (const x of n.inputs) w.string(1, x);
      for (const x of n.outputs) w.string(2, x);
      w.string(3, `n${i}`).string(4, n.op);
      if (n.domain) w.string(7, n.domain);
      g.message(1, w);
    });
    g.string(2, 'corpus');
    for (const t of s.inits ?? [])
      g.message(5, new ProtoWriter().packedInts(1, t.dims).int(2, FLOAT).string(8, t.name).bytes(9, t.raw));
    for (const i of s.inputs ?? []) g.message(11, valueInfo(i.name, i.dims, i.elemType));
    for (const o of s.outputs ?? []) g.message(12, valueInfo(o.name, o.dims));
    model.message(7, g);
  }
  model.message(8, new ProtoWriter().string(1, '').int(2, s.opset ?? 13));
  for (const o of s.extraOpsets ?? []) model.message(8, new ProtoWriter().string(1, o.domain).int(2, o.version));
  return model.finish();
}
