import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import { readFields, text, type Field } from './protobuf-reader.ts';

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

/**
 * The memory limit on what a model declares: the fixed dimensions of one graph input or output (per
 * row when the batch is symbolic), and all initializers together. A declaration over it is refused
 * before onnxruntime allocates anything.
 */
export const MAX_DECLARED_BYTES = 1024 * 1024 * 1024;
/** The largest single dimension accepted (int32, what typed arrays and onnxruntime index with). */
export const MAX_DIM = 2 ** 31 - 1;

/** Bytes per element of ONNX TensorProto data types (onnx.proto DataType); 0.5 for the 4-bit ones. */
const ELEM_BYTES: Readonly<Record<number, number>> = Object.freeze({
  1: 4, // float
  2: 1, // uint8
  3: 1, // int8
  4: 2, // uint16
  5: 2, // int16
  6: 4, // int32
  7: 8, // int64
  9: 1, // bool
  10: 2, // float16
  11: 8, // double
  12: 4, // uint32
  13: 8, // uint64
  14: 8, // complex64
  15: 16, // complex128
  16: 2, // bfloat16
  17: 1, // float8e4m3fn
  18: 1, // float8e4m3fnuz
  19: 1, // float8e5m2
  20: 1, // float8e5m2fnuz
  21: 0.5, // uint4
  22: 0.5, // int4
});
const STRING = 8;

/** A declared tensor that Benchtop refuses: the message names the tensor and what is wrong with it. */
class DeclarationError extends Error {}

/** The varints of a packed repeated field, as signed 64-bit values. */
function packedVarints(b: Uint8Array): bigint[] {
  const out: bigint[] = [];
  let v = 0n,
    shift = 0n;
  for (const byte of b) {
    v |= BigInt(byte & 0x7f) << shift;
    if (byte & 0x80) {
      shift += 7n;
      if (shift > 70n) throw new Error('varint too long');
    } else {
      out.push(BigInt.asIntN(64, v));
      v = 0n;
      shift = 0n;
    }
  }
  if (shift !== 0n) throw new Error('truncated packed varint');
  return out;
}

/** Values of a repeated int64 field, packed (wire 2) or not (wire 0). */
function int64s(fields: Field[], field: number): bigint[] {
  const out: bigint[] = [];
  for (const f of fields)
    if (f.field === field) {
      if (f.wire === 0) out.push(BigInt.asIntN(64, f.int!));
      else if (f.wire === 2) out.push(...packedVarints(f.bytes!));
    }
  return out;
}

/** How many values a repeated numeric field holds (packed or not; fixed width or varint). */
function countValues(fields: Field[], field: number, fixedWidth?: 4 | 8): number {
  let n = 0;
  for (const f of fields)
    if (f.field === field) {
      if (f.wire === 2) n += fixedWidth ? Math.floor(f.bytes!.length / fixedWidth) : packedVarints(f.bytes!).length;
      else n++;
    }
  return n;
}

const plural = (n: bigint | number, w: string) => `${n} ${w}${n === 1n || n === 1 ? '' : 's'}`;

/** Checks one dimension list (names are symbolic): non-negative integers up to MAX_DIM; returns the count of the fixed ones. */
function checkDims(dims: readonly (bigint | string)[], what: string): bigint {
  let count = 1n;
  for (const [i, d] of dims.entries()) {
    if (typeof d === 'string') continue;
    if (d < 0n)
      throw new DeclarationError(
        `${what} declares dimension ${i} as ${d}; dimensions are non-negative integers or names.`,
      );
    if (d > BigInt(MAX_DIM))
      throw new DeclarationError(
        `${what} declares dimension ${i} as ${d}, over the largest Benchtop accepts (${MAX_DIM}).`,
      );
    count *= d;
  }
  return count;
}

/** Whether a float16 / bfloat16 bit pattern is NaN. */
const halfNaN = (h: number, type: number) =>
  type === 10 ? (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0 : (h & 0x7f80) === 0x7f80 && (h & 0x7f) !== 0;

/**
 * The index of the first NaN among a float tensor's values (float32, float64, float16, bfloat16;
 * raw_data or the typed fields), or -1. Other types cannot hold NaN.
 * Cost: one pass over the tensor's data.
 */
function firstNaN(t: Field[], type: number): number {
  const raw = t.find((x) => x.field === 9)?.bytes;
  let index = 0;
  if (type === 1 || type === 11) {
    const w = type === 1 ? 4 : 8;
    const scan = (b: Uint8Array): number => {
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      for (let o = 0; o + w <= b.length; o += w, index++)
        if (Number.isNaN(w === 4 ? v.getFloat32(o, true) : v.getFloat64(o, true))) return index;
      return -1;
    };
    if (raw) return scan(raw);
    // float_data (4) or double_data (10): packed (wire 2) or one fixed-width value per field (wire 5/1).
    for (const f of t) if (f.field === (type === 1 ? 4 : 10) && f.bytes) if (scan(f.bytes) >= 0) return index;
    return -1;
  }
  if (type === 10 || type === 16) {
    if (raw) {
      const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      for (let o = 0; o + 2 <= raw.length; o += 2, index++) if (halfNaN(v.getUint16(o, true), type)) return index;
      return -1;
    }
    // Half floats without raw_data travel as their bit patterns in int32_data (5).
    for (const f of t)
      if (f.field === 5)
        for (const h of f.wire === 0 ? [f.int!] : packedVarints(f.bytes!)) {
          if (halfNaN(Number(h & 0xffffn), type)) return index;
          index++;
        }
  }
  return -1;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 3 : 0)} MiB`;

/**
 * Refuses a float tensor holding NaN: weights that are not numbers mean a diverged training run, and
 * every prediction through them is NaN. (±Infinity is let through: graphs use it on purpose, as
 * masks and clip bounds.)
 */
function checkNotNaN(t: Field[], type: number, what: string): void {
  const i = firstNaN(t, type);
  if (i >= 0)
    throw new DeclarationError(
      `${what} holds NaN at index ${i}; a model with NaN weights predicts nothing useful (a diverged ` +
        `training run?). Export it from a checkpoint before it diverged.`,
    );
}

/**
 * Checks one initializer (TensorProto): sane dimensions, data inside the file, and exactly as much
 * data as its dimensions × element size declare. Returns its declared bytes.
 */
function checkTensor(t: Field[], what: string): number {
  const dims = int64s(t, 1);
  const count = checkDims(dims, what);
  const type = Number(t.find((x) => x.field === 2)?.int ?? 0);
  if (Number(t.find((x) => x.field === 14)?.int ?? 0) === 1 || t.some((x) => x.field === 13))
    throw new DeclarationError(
      `${what} keeps its data in an external file; Benchtop reads self-contained ONNX models (save it with the ` +
        `weights inside the model, e.g. onnx.save(model, path, save_as_external_data=False)).`,
    );
  const size = ELEM_BYTES[type];
  const shape = `[${dims.join(', ')}]`;
  if (size !== undefined) {
    const declared = size === 0.5 ? (count + 1n) / 2n : count * BigInt(size);
    if (declared > BigInt(MAX_DECLARED_BYTES))
      throw new DeclarationError(
        `${what} declares shape ${shape} (${mib(Number(declared))}), over the ${mib(MAX_DECLARED_BYTES)} memory limit.`,
      );
    const raw = t.find((x) => x.field === 9)?.bytes;
    if (raw) {
      if (BigInt(raw.length) !== declared)
        throw new DeclarationError(
          `${what} declares shape ${shape} (${plural(declared, 'byte')}) but carries ${plural(raw.length, 'byte')} of data.`,
        );
      checkNotNaN(t, type, what);
      return Number(declared);
    }
    // Typed fields: float_data 4, int32_data 5, int64_data 7, double_data 10, uint64_data 11.
    const values =
      countValues(t, 4, 4) + countValues(t, 5) + countValues(t, 7) + countValues(t, 10, 8) + countValues(t, 11);
    const complex = type === 14 || type === 15 ? 2n : 1n;
    const want = size === 0.5 ? (type === 21 || type === 22 ? (count + 1n) / 2n : count) : count * complex;
    // 4-bit types pack two values per int32_data entry; everything else holds one value per entry.
    if (BigInt(values) !== want)
      throw new DeclarationError(
        `${what} declares shape ${shape} (${plural(count, 'element')}) but carries ${plural(values, 'value')}.`,
      );
    checkNotNaN(t, type, what);
    return Number(declared);
  }
  if (type === STRING) {
    const values = t.filter((x) => x.field === 6).length;
    if (BigInt(values) !== count)
      throw new DeclarationError(
        `${what} declares shape ${shape} (${plural(count, 'string')}) but carries ${plural(values, 'string')}.`,
      );
    return t.filter((x) => x.field === 6).reduce((s, x) => s + x.bytes!.length, 0);
  }
  throw new DeclarationError(`${what} has data type ${type}, which Benchtop does not know.`);
}

/** Checks a graph input's or output's declared shape: fixed dims sane, one row's bytes under the limit. */
function checkValueInfo(v: OnnxTensorInfo, dims: (bigint | string)[], what: string): void {
  const count = checkDims(dims, what);
  const symbolic = dims.some((d) => typeof d === 'string');
  const size = Object.entries(ELEM).find(([, t]) => t === v.elemType)?.[0];
  const bytes = count * BigInt(size ? Math.ceil(ELEM_BYTES[Number(size)] ?? 1) : 1);
  if (bytes > BigInt(MAX_DECLARED_BYTES))
    throw new DeclarationError(
      `${what} declares shape [${v.shape.join(', ')}]: ${mib(Number(bytes))} ` +
        `${symbolic ? 'per row' : 'in all'}, over the ${mib(MAX_DECLARED_BYTES)} memory limit.`,
    );
}

function valueInfoDims(b: Uint8Array): (bigint | string)[] {
  const dims: (bigint | string)[] = [];
  const type = readFields(b).find((x) => x.field === 2)?.bytes;
  const tensor = type && readFields(type).find((x) => x.field === 1)?.bytes;
  const sh = tensor && readFields(tensor).find((x) => x.field === 2)?.bytes;
  if (sh)
    for (const d of readFields(sh).filter((x) => x.field === 1)) {
      const df = readFields(d.bytes!);
      const v = df.find((x) => x.field === 1);
      dims.push(v ? BigInt.asIntN(64, v.int!) : text(df.find((x) => x.field === 2)?.bytes) || '?');
    }
  return dims;
}

/**
 * Refuses declarations no server should act on: graph input/output dimensions that are negative, huge
 * or over the memory limit; initializers (and Constant nodes' tensors) whose data does not match their
 * shape, live outside the file, or add up to more than the memory limit.
 * @throws DeclarationError naming the tensor.
 */
function checkDeclarations(g: Field[], inputs: Field[], outputs: Field[], file: string): void {
  for (const [kind, list] of [
    ['input', inputs],
    ['output', outputs],
  ] as const)
    for (const x of list) {
      const v = valueInfo(x.bytes!);
      checkValueInfo(v, valueInfoDims(x.bytes!), `${file}'s graph ${kind} "${v.name}"`);
    }
  let total = 0;
  for (const x of g.filter((y) => y.field === 5)) {
    const t = readFields(x.bytes!);
    total += checkTensor(t, `${file}'s initializer "${text(t.find((y) => y.field === 8)?.bytes)}"`);
    if (total > MAX_DECLARED_BYTES)
      throw new DeclarationError(
        `${file}'s initializers add up to more than the ${mib(MAX_DECLARED_BYTES)} memory limit ` +
          `(at "${text(t.find((y) => y.field === 8)?.bytes)}").`,
      );
  }
  for (const n of g.filter((y) => y.field === 1)) {
    const nf = readFields(n.bytes!);
    for (const a of nf.filter((y) => y.field === 5)) {
      const af = readFields(a.bytes!);
      const t = af.find((y) => y.field === 5)?.bytes;
      if (t)
        checkTensor(
          readFields(t),
          `${file}'s node "${text(nf.find((y) => y.field === 3)?.bytes) || text(nf.find((y) => y.field === 4)?.bytes)}" ` +
            `attribute "${text(af.find((y) => y.field === 1)?.bytes)}"`,
        );
    }
  }
}

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
          shape.push(v ? Number(BigInt.asIntN(64, v.int!)) : text(df.find((x) => x.field === 2)?.bytes) || '?');
        }
    }
  }
  return { name, elemType, shape };
}

/**
 * Reads an ONNX model's metadata: IR version, opsets, producer, graph inputs (excluding
 * initializers) and outputs with element types and shapes, and the operators it uses.
 * Errors: empty, too large, not a protobuf (corrupt or truncated), no graph; and declarations no one
 * should load (`bad-onnx`, naming the tensor): a graph input/output dimension that is negative, over
 * MAX_DIM, or whose fixed dimensions need more than MAX_DECLARED_BYTES; an initializer (or Constant
 * attribute) whose data is not exactly its dimensions × element size, lives in an external file, or
 * that together with the others is over MAX_DECLARED_BYTES; a float initializer (or Constant) holding
 * NaN, naming the tensor and the index. Cost: one pass over the bytes.
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
    const inputFields = g.filter((x) => x.field === 11 && !initNames.has(valueInfo(x.bytes!).name));
    const outputFields = g.filter((x) => x.field === 12);
    try {
      checkDeclarations(g, inputFields, outputFields, file);
    } catch (e) {
      if (e instanceof DeclarationError) return fail({ kind: 'bad-onnx', file, message: e.message });
      throw e;
    }
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
      inputs: inputFields.map((x) => valueInfo(x.bytes!)),
      outputs: outputFields.map((x) => valueInfo(x.bytes!)),
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

/**
 * onnxruntime's error text without its internals: the "Can't create a session. ERROR_CODE: n,
 * ERROR_MESSAGE:" wrapper, C++ source paths with line numbers and the function signatures after them
 * (`/onnxruntime_src/…/model_load_utils.h:46 void onnxruntime::…(…)`). An opset newer than the runtime
 * knows becomes one plain sentence.
 */
export function cleanOrtMessage(message: string): string {
  const opset = /Opset (\d+) is under development[\s\S]*?support for domain (\S+) is till opset (\d+)/i.exec(message);
  if (opset)
    return `opset ${opset[1]} of domain ${opset[2]} is newer than this onnxruntime supports (max ${opset[3]}).`;
  return message
    .replace(/Can't create a session\.?\s*(?:ERROR_CODE: \d+,\s*)?(?:ERROR_MESSAGE:\s*)?/g, '')
    .replace(
      /(?:[A-Za-z]:)?(?:[\\/][^\s:\\/]+)+\.(?:h|hh|hpp|c|cc|cpp|cxx):\d+\s+(?:[^()]*::[^()]*\([^)]*\)(?:\s*const)?\s*)?/g,
      '',
    )
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Turns an onnxruntime error into a message that names the file and, when there is one, the
 * unsupported operator; onnxruntime's internals (source paths, C++ signatures) are left out.
 */
export function explainOrtError(
  message: string,
  info: OnnxInfo | null,
  file: string,
  runtime = 'onnxruntime-web',
): string {
  const m =
    /(?:Could not find an implementation for|no kernel.*?for|not supported.*?op(?:erator)?)\s*'?([A-Za-z0-9_.]+)/i.exec(
      message,
    ) ?? /op type[: ]+'?([A-Za-z0-9_.]+)/i.exec(message);
  if (m) return `${file} uses the operator ${m[1]}, which ${runtime} cannot run here.`;
  const ops = info ? Object.keys(info.operators).join(', ') : '';
  return `${runtime} cannot load ${file}: ${cleanOrtMessage(message)}${ops ? ` (operators: ${ops})` : ''}`;
}
