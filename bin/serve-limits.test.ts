// `benchtop serve` under hostile input: ONNX files that declare impossible tensors are refused before
// anything is allocated (JSON error, exit 2), and request bodies over the 64 MiB limit get a 413 with
// the reason — checked with real requests over loopback.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtoWriter } from '../src/core/onnx/protobuf-writer.ts';
import { inspectOnnx, MAX_DECLARED_BYTES } from '../src/core/onnx/inspect.ts';
import { BODY_LIMIT_MESSAGE, MAX_BODY_BYTES, NO_FAULTS, startServer } from './serve.ts';
import { runBenchtop } from './run-cli.ts';

const DIR = mkdtempSync(join(tmpdir(), 'benchtop-limits-'));
const FLOAT = 1;

function valueInfo(name: string, dims: (number | bigint | string)[], type = FLOAT): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims)
    shape.message(1, typeof d === 'string' ? new ProtoWriter().string(2, d) : new ProtoWriter().int(1, d));
  const tensorType = new ProtoWriter().int(1, type).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

/**
 * y = x · W, as an ONNX model: x [N, d] float, W an initializer. `o` overrides what the model
 * declares (input/output dims, W's dims and data) to build the hostile variants.
 */
function matmulModel(
  d: number,
  k: number,
  o: {
    input?: (number | bigint | string)[];
    output?: (number | bigint | string)[];
    wDims?: number[];
    wBytes?: number;
    /** W's values (default (i % 7) / 7). */
    w?: number[];
    /** Write W as float_data (one fixed32 per value) instead of raw_data. */
    floatData?: boolean;
    /** x's element type (ONNX DataType; default float). */
    inputType?: number;
    /** More graph inputs: a name, or 'W' to declare the initializer as an input too (old ONNX style). */
    moreInputs?: string[];
  } = {},
): Uint8Array {
  const W = o.w
    ? Float32Array.from(o.w)
    : new Float32Array(o.wBytes !== undefined ? Math.ceil(o.wBytes / 4) : d * k).map((_, i) => (i % 7) / 7);
  const raw = new Uint8Array(W.buffer).subarray(0, o.wBytes ?? W.byteLength);
  const init = new ProtoWriter()
    .packedInts(1, o.wDims ?? [d, k])
    .int(2, FLOAT)
    .string(8, 'W');
  if (o.floatData) for (const v of W) init.float(4, v);
  else init.bytes(9, raw);
  const graph = new ProtoWriter()
    .message(1, new ProtoWriter().string(1, 'x').string(1, 'W').string(2, 'y').string(3, 'mm').string(4, 'MatMul'))
    .string(2, 'g')
    .message(5, init)
    .message(11, valueInfo('x', o.input ?? ['N', d], o.inputType));
  for (const extra of o.moreInputs ?? []) graph.message(11, valueInfo(extra, extra === 'W' ? [d, k] : ['N', d]));
  graph.message(12, valueInfo('y', o.output ?? ['N', k]));
  return new ProtoWriter().int(1, 8).message(8, new ProtoWriter().string(1, '').int(2, 13)).message(7, graph).finish();
}

const benchtop = (args: string[]) => runBenchtop(args, { cwd: DIR, timeout: 30_000 });

describe('ONNX declarations are checked before anything is loaded', () => {
  it('accepts a sound model and reads its symbolic and fixed dimensions', () => {
    const r = inspectOnnx(matmulModel(4, 3), 'ok.onnx');
    expect(r.ok && r.value.inputs[0]).toEqual({ name: 'x', elemType: 'float32', shape: ['N', 4] });
  });

  it.each([
    ['a negative input dimension', { input: ['N', -3] }, /graph input "x" declares dimension 1 as -3/],
    ['a huge input dimension', { input: ['N', 2n ** 40n] }, /graph input "x" declares dimension 1 as 1099511627776/],
    ['an input row over the memory limit', { input: ['N', 2 ** 30] }, /graph input "x".*4096 MiB per row.*limit/],
    ['a negative output dimension', { output: [-1, 3] }, /graph output "y" declares dimension 0 as -1/],
    ['a negative initializer dimension', { wDims: [4, -3] }, /initializer "W" declares dimension 1 as -3/],
    [
      'an initializer declaring far more than it carries',
      { wDims: [1_000_000, 1_000_000] },
      /initializer "W" declares shape \[1000000, 1000000\].*memory limit/,
    ],
    [
      'an initializer whose data does not match its shape',
      { wBytes: 40 },
      /initializer "W" declares shape \[4, 3\] \(48 bytes\) but carries 40 bytes/,
    ],
  ] as const)('refuses %s, naming the tensor', (_, o, message) => {
    const r = inspectOnnx(matmulModel(4, 3, o as Parameters<typeof matmulModel>[2]), 'hostile.onnx');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ kind: 'bad-onnx', file: 'hostile.onnx' });
      expect(r.error.message).toMatch(message);
    }
  });

  it.each([
    ['raw_data', false],
    ['float_data', true],
  ])('refuses an initializer holding NaN (in %s), naming the file, the tensor and the index', (_, floatData) => {
    const w = Array.from({ length: 12 }, (_, i) => (i === 5 ? NaN : i / 12));
    const r = inspectOnnx(matmulModel(4, 3, { w, floatData }), 'diverged.onnx');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ kind: 'bad-onnx', file: 'diverged.onnx' });
      expect(r.error.message).toMatch(/^diverged\.onnx's initializer "W" holds NaN at index 5;/);
    }
  });

  it('lets through ±Infinity in an initializer (masks and clip bounds use it on purpose)', () => {
    const w = Array.from({ length: 12 }, (_, i) => (i === 2 ? -Infinity : i === 3 ? Infinity : i));
    expect(inspectOnnx(matmulModel(4, 3, { w }), 'mask.onnx').ok).toBe(true);
  });

  it('does not count an initializer declared as a graph input (old ONNX style) as an input', () => {
    const r = inspectOnnx(matmulModel(4, 3, { moreInputs: ['W'] }), 'old-style.onnx');
    expect(r.ok && r.value.inputs.map((i) => i.name)).toEqual(['x']);
  });

  it('states the memory limit it enforces', () => {
    expect(MAX_DECLARED_BYTES).toBe(2 ** 30);
  });
});

describe('benchtop serve refuses what it cannot serve: JSON on stderr, exit 2, no stack', () => {
  it('an unreadable .onnx, impossible declarations, a broken model folder', async () => {
    writeFileSync(join(DIR, 'garbage.onnx'), 'this is not protobuf\n');
    mkdirSync(join(DIR, 'models'), { recursive: true });
    writeFileSync(join(DIR, 'models', 'nan.onnx'), matmulModel(4, 3, { w: [NaN, ...Array<number>(11).fill(1)] }));
    writeFileSync(join(DIR, 'models', 'two.onnx'), matmulModel(4, 3, { moreInputs: ['mask'] }));
    writeFileSync(join(DIR, 'models', 'int64.onnx'), matmulModel(4, 3, { inputType: 7 }));
    // An opset from the future: onnxruntime refuses it with its C++ source path and signature.
    writeFileSync(
      join(DIR, 'models', 'future.onnx'),
      (() => {
        const m = matmulModel(4, 3);
        const i = Buffer.from(m).indexOf(Buffer.from([0x42, 0x04, 0x0a, 0x00, 0x10, 13])); // opset_import {"" 13}
        const b = Buffer.from(m);
        b[i + 5] = 99;
        return b;
      })(),
    );
    writeFileSync(join(DIR, 'huge.onnx'), matmulModel(4, 3, { input: ['N', 2n ** 40n] }));
    writeFileSync(join(DIR, 'lying.onnx'), matmulModel(4, 3, { wDims: [1_000_000, 1_000_000] }));
    mkdirSync(join(DIR, 'broken'), { recursive: true });
    writeFileSync(join(DIR, 'broken', 'model.json'), '{ not json');
    const cases = [
      ['garbage.onnx', /garbage\.onnx is not a readable ONNX model/],
      ['huge.onnx', /graph input "x" declares dimension 1/],
      ['lying.onnx', /initializer "W"/],
      ['broken', /broken/],
      ['missing.onnx', /missing\.onnx does not exist/],
      ['models/nan.onnx', /^models\/nan\.onnx's initializer "W" holds NaN at index 0/],
      ['models/two.onnx', /^models\/two\.onnx has 2 graph inputs \("x", "mask"\).*one features tensor/],
      ['models/int64.onnx', /^models\/int64\.onnx's input "x" is int64; benchtop serve feeds float32/],
      [
        'models/future.onnx',
        /^onnxruntime-node cannot load models\/future\.onnx: opset 99 of domain ai\.onnx is newer/,
      ],
    ] as const;
    const results = await Promise.all(cases.map(([m]) => benchtop(['serve', '--model', m, '--port', '0'])));
    for (const [i, [model, message]] of cases.entries()) {
      const r = results[i]!;
      expect(r.code, `${model}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      const err = JSON.parse(r.stderr);
      expect(err.ok).toBe(false);
      expect(err.error.message).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack frames
      expect(err.error.message).not.toMatch(/onnxruntime_src|\.(h|cc):\d+|::/); // no onnxruntime internals
    }
  }, 90_000);
});

describe('request bodies over the 64 MiB limit', () => {
  let s: Awaited<ReturnType<typeof startServer>>;
  let port: number;
  beforeAll(async () => {
    s = await startServer({
      onnx: matmulModel(4, 3),
      name: 'mm',
      version: '1',
      port: 0,
      origins: [],
      faults: NO_FAULTS,
    });
    port = Number(new URL(s.url).port);
  });
  afterAll(() => s.close());

  /** Sends a request with the given headers and body writer; resolves with the answer (or the socket error). */
  function send(
    headers: Record<string, string>,
    write: (req: ReturnType<typeof request>, stop: () => boolean) => void,
  ): Promise<{ status?: number; body: string; error?: string; closed: boolean }> {
    return new Promise((resolve) => {
      let answered = false;
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v2/models/mm/infer', headers }, (res) => {
        answered = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode, body, closed: res.headers.connection === 'close' }));
        res.on('error', (e) => resolve({ status: res.statusCode, body, error: e.message, closed: true }));
      });
      req.on('error', (e) => {
        if (!answered) resolve({ body: '', error: e.message, closed: true });
      });
      write(req, () => answered);
    });
  }

  it('a Content-Length claiming 65 MiB is answered 413 before any body is read', async () => {
    const r = await send(
      { 'content-type': 'application/json', 'content-length': String(65 * 2 ** 20) },
      (req) => req.flushHeaders(), // headers only: the server must not wait for the body
    );
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toEqual({ error: BODY_LIMIT_MESSAGE });
    expect(BODY_LIMIT_MESSAGE).toBe('request body is over the 64 MiB limit');
    expect(r.closed).toBe(true);
  });

  it('a chunked body that goes past the limit is cut off with a 413', async () => {
    const chunk = Buffer.alloc(1 << 20, 0x20); // 1 MiB of spaces
    let sent = 0;
    const r = await send({ 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, (req, stop) => {
      const pump = () => {
        // Keep writing until the server answers (or well past the limit, if it never does).
        while (!stop() && sent < MAX_BODY_BYTES + 32 * 2 ** 20) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!stop()) req.end();
      };
      pump();
    });
    expect(r.status, r.error).toBe(413);
    expect(JSON.parse(r.body)).toEqual({ error: BODY_LIMIT_MESSAGE });
    expect(sent).toBeGreaterThan(MAX_BODY_BYTES - (1 << 20)); // it read up to the limit, not less
  });

  it('a body under the limit is still served, on the same server', async () => {
    const body = JSON.stringify({ inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] }] });
    const r = await send(
      { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
      (req) => req.end(body),
    );
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).outputs[0].shape).toEqual([1, 3]);
  });
});
