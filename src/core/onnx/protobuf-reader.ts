import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';

/**
 * A minimal Protocol Buffers decoder: walks the fields of one message. Enough to read an ONNX
 * model's metadata (inputs, outputs, operators, opset) without a schema library.
 * @throws Error on truncated or malformed input (callers turn it into a message).
 */
export interface Field {
  field: number;
  wire: number;
  /** Varint value (wire 0), or the bytes (wire 2), or fixed bytes (wire 1/5). */
  int?: bigint;
  bytes?: Uint8Array;
}

export function readFields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): bigint => {
    let shift = 0n,
      v = 0n;
    for (;;) {
      if (i >= buf.length) throw new Error('truncated varint');
      const b = buf[i++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      shift += 7n;
      if (shift > 70n) throw new Error('varint too long');
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const field = key >>> 3,
      wire = key & 7;
    if (field === 0) throw new Error('field number 0');
    if (wire === 0) out.push({ field, wire, int: varint() });
    else if (wire === 2) {
      const len = Number(varint());
      if (len < 0 || i + len > buf.length) throw new Error('truncated length-delimited field');
      out.push({ field, wire, bytes: buf.subarray(i, i + len) });
      i += len;
    } else if (wire === 1 || wire === 5) {
      const len = wire === 1 ? 8 : 4;
      if (i + len > buf.length) throw new Error('truncated fixed field');
      out.push({ field, wire, bytes: buf.subarray(i, i + len) });
      i += len;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

/**
 * {@link readFields} as a value: the fields, or a `bad-protobuf` problem naming `file` and what is
 * wrong (truncated, malformed). Never throws.
 * @example readMessage(bytes, 'model.onnx') // {ok: true, value: [{field: 1, wire: 0, int: 8n}, …]}
 */
export function readMessage(buf: Uint8Array, file = 'the file'): Result<Field[]> {
  try {
    return ok(readFields(buf));
  } catch (e) {
    return fail({
      kind: 'bad-protobuf',
      file,
      message: `${file} is not a readable protobuf message (corrupt or truncated): ${(e as Error).message}.`,
    });
  }
}

export const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : '');
