import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import { readFields, text } from './protobuf-reader.ts';

export interface OnnxTensorInfo {
  name: string;
  elemType: string;
  /** Dimensions: numbers, or names for symbolic ones (batch). */
  shape: (number | string)[];
}

export interface OnnxInfo {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producer: string;
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
  /** Operator types used, with counts. */
  operators: Record<string, number>;
  initializers: number;
  bytes: number;
}

const ELEM: Readonly<Record<number, string>> = Object.freeze({
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  9: 'bool',
  10: 'float16',
  11: 'float64',
});

/** The largest ONNX file accepted in the browser. */
export const MAX_ONNX_BYTES = 256 * 1024 * 1024;

function valueInfo(b: Uint8Array): OnnxTensorInfo {
  const f = readFields(b);
  const name = text(f.find((x) => x.field === 1)?.bytes);
  let elemType = 'unknown';
  const shape: (number | string)[] = [];
  const type = f.find((x) => x.field === 2)?.bytes;
  if (type) {
    const tensor = readFields(type).find((x) => x.field === 1)?.bytes;
    if (tensor) {
      const tf = readFields(tensor);
      elemType = ELEM[Number(tf.find((x) => x.field === 1)?.int ?? 0)] ?? 'unknown';
      const sh = tf.find((x) => x.field === 2)?.bytes;
      if (sh)
        for (const d of readFields(sh).filter((x) => x.field === 1)) {
          const df = readFields(d.bytes!);
          const v = df.find((x) => x.field === 1);
          shape.push(v ? Number(v.int) : text(df.find((x) => x.field === 2)?.bytes) || '?');
        }
    }
  }
  return { name, elemType, shape };
}

/**
 * Reads an ONNX model's metadata: IR version, opsets, producer, graph inputs (excluding
 * initializers) and outputs with element types and shapes, and the operators it uses.
 * Errors: empty, too large, not a protobuf (corrupt or truncated), no graph.
 */
export function inspectOnnx(bytes: Uint8Array, file = 'the ONNX file'): Result<OnnxInfo> {
  if (bytes.byteLength === 0) return fail({ kind: 'empty-file', file, message: `${file} is empty.` });
  if (bytes.byteLength > MAX_ONNX_BYTES)
    return fail({
      kind: 'too-large',
      file,
      message:
        `${file} is ${(bytes.byteLength / 2 ** 20).toFixed(0)} MB; Benchtop loads ONNX models up ` +
        `to ${MAX_ONNX_BYTES / 2 ** 20} MB in a tab.`,
    });
  try {
    const model = readFields(bytes);
    const graph = model.find((x) => x.field === 7)?.bytes;
    if (!graph)
      return fail({
        kind: 'bad-onnx',
        file,
        message: `${file} has no graph: it is not an ONNX model (or it is damaged).`,
      });
    const g = readFields(graph);
    const initNames = new Set(
      g.filter((x) => x.field === 5).map((x) => text(readFields(x.bytes!).find((y) => y.field === 8)?.bytes)),
    );
    const operators: Record<string, number> = {};
    for (const n of g.filter((x) => x.field === 1)) {
      const nf = readFields(n.bytes!);
      const op = text(nf.find((x) => x.field === 4)?.bytes);
      const domain = text(nf.find((x) => x.field === 7)?.bytes);
      const key = domain && domain !== 'ai.onnx' ? `${domain}.${op}` : op;
      operators[key] = (operators[key] ?? 0) + 1;
    }
    return ok({
      irVersion: Number(model.find((x) => x.field === 1)?.int ?? 0),
      opsets: model
        .filter((x) => x.field === 8)
        .map((x) => {
          const o = readFields(x.bytes!);
          return {
            domain: text(o.find((y) => y.field === 1)?.bytes) || 'ai.onnx',
            version: Number(o.find((y) => y.field === 2)?.int ?? 0),
          };
        }),
      producer: text(model.find((x) => x.field === 2)?.bytes),
      inputs: g
        .filter((x) => x.field === 11)
        .map((x) => valueInfo(x.bytes!))
        .filter((i) => !initNames.has(i.name)),
      outputs: g.filter((x) => x.field === 12).map((x) => valueInfo(x.bytes!)),
      operators,
      initializers: initNames.size,
      bytes: bytes.byteLength,
    });
  } catch (e) {
    return fail({
      kind: 'bad-onnx',
      file,
      message: `${file} is not a readable ONNX model (corrupt or truncated): ${(e as Error).message}.`,
    });
  }
}

/** Turns an onnxruntime error into a message that names the unsupported operator when there is one. */
export function explainOrtError(message: string, info: OnnxInfo | null, file: string): string {
  const m =
    /(?:Could not find an implementation for|no kernel.*?for|not supported.*?op(?:erator)?)\s*'?([A-Za-z0-9_.]+)/i.exec(
      message,
    ) ?? /op type[: ]+'?([A-Za-z0-9_.]+)/i.exec(message);
  if (m) return `${file} uses the operator ${m[1]}, which onnxruntime-web cannot run here.`;
  const ops = info ? Object.keys(info.operators).join(', ') : '';
  return `onnxruntime-web cannot load ${file}: ${message}${ops ? ` (operators: ${ops})` : ''}`;
}
