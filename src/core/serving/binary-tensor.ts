import { ServingError } from './http.ts';

/**
 * Tensor data for the Open Inference Protocol: JSON-safe checks per datatype, and Triton's binary
 * tensor data extension — a JSON header followed by raw little-endian tensors, its length in the
 * `Inference-Header-Content-Length` HTTP header, each binary tensor's byte count in its
 * `parameters.binary_data_size`, in the order the tensors appear in the header.
 */
export const NUMERIC_DATATYPES = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
] as const;
export type NumericDatatype = (typeof NUMERIC_DATATYPES)[number];

const SIZE: Record<NumericDatatype, number> = {
  BOOL: 1,
  UINT8: 1,
  UINT16: 2,
  UINT32: 4,
  UINT64: 8,
  INT8: 1,
  INT16: 2,
  INT32: 4,
  INT64: 8,
  FP16: 2,
  FP32: 4,
  FP64: 8,
};
const RANGE: Partial<Record<NumericDatatype, [number, number]>> = {
  BOOL: [0, 1],
  UINT8: [0, 255],
  UINT16: [0, 65535],
  UINT32: [0, 4294967295],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

export function isNumericDatatype(d: string): d is NumericDatatype {
  return (NUMERIC_DATATYPES as readonly string[]).includes(d);
}

/**
 * Checks that values fit a datatype: integers (and 0/1 for BOOL) within range; floats anything.
 * `describe(i)` names the i-th value (row and feature) for the message.
 */
export function checkValues(
  values: ArrayLike<number>,
  datatype: NumericDatatype,
  input: string,
  describe: (i: number) => string,
): void {
  const r = RANGE[datatype];
  if (!r) return;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < r[0] || v > r[1])
      throw new ServingError(
        'shape',
        `Input "${input}" is ${datatype}, but ${describe(i)} ` +
          `is ${v}${Number.isInteger(v) ? ', out of range' : ', not a whole number'}. Map a different ` +
          `feature to it, or serve a model that takes floats.`,
      );
  }
}

/** float32 → IEEE half (round to nearest even), as Uint16 bits. */
export function toHalf(x: number): number {
  const f = new Float32Array(1),
    u = new Uint32Array(f.buffer);
  f[0] = x;
  const b = u[0]!,
    sign = (b >>> 16) & 0x8000,
    exp = (b >>> 23) & 0xff,
    mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = (mant | 0x800000) >>> (1 - e);
    return sign | ((m + 0x1000 + ((m >>> 13) & 1) - 1) >>> 13);
  }
  const h = sign | (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  return rest > 0x1000 || (rest === 0x1000 && h & 1) ? h + 1 : h;
}

/** IEEE half bits → number. */
export function fromHalf(h: number): number {
  const s = h & 0x8000 ? -1 : 1,
    e = (h >>> 10) & 0x1f,
    m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 0x1f) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** Raw little-endian bytes of values as a datatype. */
export function encodeTensor(values: ArrayLike<number>, datatype: NumericDatatype): Uint8Array {
  const n = values.length,
    out = new Uint8Array(n * SIZE[datatype]);
  const v = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    switch (datatype) {
      case 'BOOL':
      case 'UINT8':
        v.setUint8(i, x);
        break;
      case 'INT8':
        v.setInt8(i, x);
        break;
      case 'UINT16':
        v.setUint16(i * 2, x, true);
        break;
      case 'INT16':
        v.setInt16(i * 2, x, true);
        break;
      case 'UINT32':
        v.setUint32(i * 4, x, true);
        break;
      case 'INT32':
        v.setInt32(i * 4, x, true);
        break;
      case 'UINT64':
        v.setBigUint64(i * 8, BigInt(x), true);
        break;
      case 'INT64':
        v.setBigInt64(i * 8, BigInt(x), true);
        break;
      case 'FP16':
        v.setUint16(i * 2, toHalf(x), true);
        break;
      case 'FP32':
        v.setFloat32(i * 4, x, true);
        break;
      case 'FP64':
        v.setFloat64(i * 8, x, true);
        break;
    }
  }
  return out;
}

/** Values from raw little-endian bytes of a datatype. */
export function decodeTensor(bytes: Uint8Array, datatype: string, where: string): Float64Array {
  if (!isNumericDatatype(datatype))
    throw new ServingError('shape', `${where}: datatype ${datatype} cannot be read as numbers.`);
  const size = SIZE[datatype];
  if (bytes.byteLength % size)
    throw new ServingError(
      'malformed',
      `${where}: ${bytes.byteLength} bytes are not a whole number of ${datatype} values (${size} bytes each).`,
    );
  const n = bytes.byteLength / size,
    out = new Float64Array(n);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) {
    switch (datatype) {
      case 'BOOL':
      case 'UINT8':
        out[i] = v.getUint8(i);
        break;
      case 'INT8':
        out[i] = v.getInt8(i);
        break;
      case 'UINT16':
        out[i] = v.getUint16(i * 2, true);
        break;
      case 'INT16':
        out[i] = v.getInt16(i * 2, true);
        break;
      case 'UINT32':
        out[i] = v.getUint32(i * 4, true);
        break;
      case 'INT32':
        out[i] = v.getInt32(i * 4, true);
        break;
      case 'UINT64':
        out[i] = Number(v.getBigUint64(i * 8, true));
        break;
      case 'INT64':
        out[i] = Number(v.getBigInt64(i * 8, true));
        break;
      case 'FP16':
        out[i] = fromHalf(v.getUint16(i * 2, true));
        break;
      case 'FP32':
        out[i] = v.getFloat32(i * 4, true);
        break;
      case 'FP64':
        out[i] = v.getFloat64(i * 8, true);
        break;
    }
  }
  return out;
}

/** A binary-extension body: the JSON header's bytes, then each tensor's bytes. */
export function binaryBody(header: object, tensors: Uint8Array[]): { body: Uint8Array; headerLength: number } {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const body = new Uint8Array(json.length + tensors.reduce((a, t) => a + t.length, 0));
  body.set(json, 0);
  let at = json.length;
  for (const t of tensors) (body.set(t, at), (at += t.length));
  return { body, headerLength: json.length };
}

/**
 * Splits the binary part of a response (or request) among its tensors: each tensor whose
 * `parameters.binary_data_size` is set takes that many bytes, in header order.
 */
export function splitBinary(
  tensors: readonly { name?: string; parameters?: { binary_data_size?: unknown } }[],
  binary: Uint8Array,
  where: string,
): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let at = 0;
  for (const t of tensors) {
    const size = t.parameters?.binary_data_size;
    if (size === undefined) continue;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0)
      throw new ServingError('malformed', `${where}: tensor "${t.name}" has binary_data_size ${JSON.stringify(size)}.`);
    if (at + size > binary.length)
      throw new ServingError(
        'malformed',
        `${where}: tensor "${t.name}" needs ${size} bytes at offset ${at}, but only ${binary.length - at} ` +
          `follow the header.`,
      );
    out.set(String(t.name), binary.subarray(at, at + size));
    at += size;
  }
  if (at !== binary.length)
    throw new ServingError('malformed', `${where}: ${binary.length - at} bytes after the header belong to no tensor.`);
  return out;
}
