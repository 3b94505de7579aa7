import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callJson, ServingError } from './http.ts';
import {
  flattenData,
  health,
  MAX_DATA_DEPTH,
  kserveInfer,
  kserveMetadata,
  kserveRequest,
  kserveResponse,
  tfServingPredict,
  tfServingResponse,
  tfServingStatus,
  type Endpoint,
} from './protocols.ts';
import { JsonSyntaxError, MAX_JSON_DEPTH, parseTolerantJson } from './tolerant-json.ts';

const fixture = (f: string) => readFileSync(new URL(`../../../tests/fixtures/protocols/${f}`, import.meta.url), 'utf8');
const fast = { timeoutMs: 300, retries: 2, backoffMs: 10 };

describe('tolerant JSON', () => {
  it('reads TF Serving non-finite numbers and agrees with JSON.parse elsewhere', () => {
    expect(parseTolerantJson(fixture('tfserving-predict-response-nonfinite.txt'))).toEqual({
      predictions: [
        [0.25, NaN],
        [Infinity, -Infinity],
      ],
    });
    for (const f of ['kserve-v2-infer-request.json', 'kserve-v2-infer-response.json', 'tfserving-status.json'])
      expect(parseTolerantJson(fixture(f))).toEqual(JSON.parse(fixture(f)));
    expect(parseTolerantJson('{"s":"NaN \\" Infinity","n":-1.5e-3,"e":[]}')).toEqual({
      s: 'NaN " Infinity',
      n: -1.5e-3,
      e: [],
    });
  });
  it("names the line and column of the spec example's missing comma", () => {
    try {
      parseTolerantJson(fixture('kserve-v2-infer-response.spec-text.txt'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(JsonSyntaxError);
      expect((e as JsonSyntaxError).line).toBe(3);
      expect((e as Error).message).toMatch(/expected "," or "}" at line 3/);
    }
  });
});

describe('deeply nested data is an error, never a stack overflow', () => {
  it('parseTolerantJson reads 512 levels and refuses the 513th with its position', () => {
    const at = (n: number) => '['.repeat(n) + '1' + ']'.repeat(n);
    expect(parseTolerantJson(at(MAX_JSON_DEPTH))).toBeDefined();
    expect(() => parseTolerantJson(at(MAX_JSON_DEPTH + 1))).toThrow(
      /nested more than 512 levels deep at line 1, column 513/,
    );
    expect(() => parseTolerantJson('{"a":'.repeat(100_000))).toThrow(JsonSyntaxError);
  });

  it('flattenData keeps row-major order, reads 64 levels and refuses deeper, naming where', () => {
    expect(flattenData([[1, [2, true]], [], [[[3]]], 4], 'x')).toEqual([1, 2, 1, 3, 4]);
    expect(flattenData(7, 'x')).toEqual([7]);
    let deep: unknown = [1];
    for (let i = 1; i < MAX_DATA_DEPTH; i++) deep = [deep];
    expect(flattenData(deep, 'x')).toEqual([1]);
    expect(() => flattenData([deep], 'input "f"')).toThrow(/^input "f": the data is nested more than 64 levels deep/);
    let huge: unknown = [];
    for (let i = 0; i < 100_000; i++) huge = [huge];
    expect(() => flattenData(huge, 'x')).toThrow(ServingError);
  });

  it('describes a non-number without walking into it', () => {
    let o: unknown = 1;
    for (let i = 0; i < 100_000; i++) o = { a: o };
    expect(() => flattenData([1, o], 'x')).toThrow(/^x: expected numbers, found an object\.$/);
    expect(() => flattenData([null], 'x')).toThrow(/found null/);
    expect(() => flattenData(['NaN'], 'x')).toThrow(/found "NaN"/);
  });
});

describe('protocol messages against the spec fixtures', () => {
  it('KServe V2 response: outputs read, shape checked, id echoed', () => {
    const r = kserveResponse(JSON.parse(fixture('kserve-v2-infer-response.json')), 3, '42');
    expect(r.width).toBe(2);
    expect(Array.from(r.values)).toEqual(Array.from(Float32Array.of(1, 1.1, 2, 2.1, 3, 3.1)));
    expect(() => kserveResponse(JSON.parse(fixture('kserve-v2-infer-response.json')), 3, '43')).toThrow(
      /id "42" does not match the request id "43"/,
    );
    expect(() => kserveResponse(JSON.parse(fixture('kserve-v2-infer-response.json')), 2, '42')).toThrow(
      /3 rows for 2 rows sent/,
    );
  });
  it('KServe V2 request: one FP32 tensor, checked against the model metadata', () => {
    const meta = {
      name: 'm',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }],
      outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 3] }],
    };
    expect(kserveRequest(meta, Float32Array.of(1, 2, 3, 4), 2, 2, '7').json).toEqual({
      id: '7',
      inputs: [{ name: 'x', shape: [2, 2], datatype: 'FP32', data: [1, 2, 3, 4] }],
      outputs: [{ name: 'y' }],
    });
    expect(() => kserveRequest(meta, Float32Array.of(1, 2, 3), 1, 3, '7')).toThrow(
      /expects 2 features per row \(shape \[-1, 2\]\); the dataset gives 3/,
    );
  });
  it('TF Serving: row-format predictions, non-finite values, status', () => {
    expect(
      Array.from(tfServingResponse(JSON.parse(fixture('tfserving-predict-response.json')), 3, 'row').values),
    ).toEqual([3.5, 4, 5.5]);
    const nf = tfServingResponse(parseTolerantJson(fixture('tfserving-predict-response-nonfinite.txt')), 2, 'row');
    expect(nf.width).toBe(2);
    expect(Number.isNaN(nf.values[1])).toBe(true);
    expect(nf.values[3]).toBe(-Infinity);
  });
});

// A real HTTP server on loopback speaking both protocols, with faults on request.
describe('clients against a server on loopback', () => {
  let server: Server;
  let base = '';
  let flaky = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const send = (status: number, body: string) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const u = req.url ?? '';
        if (u === '/v2/health/live') return res.writeHead(200, { 'content-type': 'text/plain' }).end();
        if (u === '/v2/health/ready') return send(200, '{"ready":true}');
        if (u === '/v2/models/sum/ready') return send(200, '');
        if (u === '/v2/models/missing/ready') return send(404, '{"error":"model missing not found"}');
        if (u === '/v2/models/sum')
          return send(
            200,
            JSON.stringify({
              name: 'sum',
              platform: 'onnxruntime_onnx',
              inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 2] }],
              outputs: [{ name: 'outputs', datatype: 'FP32', shape: [-1, 1] }],
            }),
          );
        if (u === '/v2/models/flaky')
          return ++flaky < 3
            ? send(503, '{"error":"warming up"}')
            : send(200, JSON.stringify({ name: 'flaky', inputs: [], outputs: [] }));
        if (u === '/v2/models/sum/infer') {
          const r = JSON.parse(body) as { id: string; inputs: { shape: number[]; data: number[] }[] };
          const [n, d] = r.inputs[0]!.shape as [number, number];
          const data = Array.from({ length: n }, (_, i) =>
            r.inputs[0]!.data.slice(i * d, i * d + d).reduce((a, b) => a + b, 0),
          );
          return send(
            200,
            JSON.stringify({
              model_name: 'sum',
              id: r.id,
              outputs: [{ name: 'outputs', shape: [n, 1], datatype: 'FP32', data }],
            }),
          );
        }
        if (u === '/v2/models/bad/infer') return send(400, fixture('kserve-v2-error.json'));
        if (u === '/v2/models/garbled/infer') return send(200, '{"outputs": [');
        if (u === '/v2/models/stall/infer') return; // never answers
        if (u === '/v1/models/half') return send(200, fixture('tfserving-status.json'));
        if (u === '/v1/models/half:predict') return send(200, '{"predictions": [[0.25, NaN], [Infinity, -Infinity]]}');
        if (u === '/v1/models/gone:predict') return send(404, fixture('tfserving-error.json'));
        send(404, '{"error":"no route"}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  const kserve = (model: string): Endpoint => ({ url: base, protocol: 'kserve-v2', model });

  it('KServe V2: health, metadata and infer round-trip', async () => {
    expect(await health(kserve('sum'), fast)).toEqual({ live: true, ready: true, modelReady: true });
    expect((await health(kserve('missing'), fast)).modelReady).toBe(false);
    const meta = await kserveMetadata(kserve('sum'), fast);
    const p = await kserveInfer(kserve('sum'), meta, Float32Array.of(1, 2, 3, 4, 5, 6), 3, 2, fast);
    expect(Array.from(p.values)).toEqual([3, 7, 11]);
  });
  it("errors name their cause: HTTP status with the server's text, malformed body, stall, unreachable", async () => {
    const meta = { name: 'x', inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 2] }], outputs: [] };
    const kind = async (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: ServingError) => `${e.kind}: ${e.message}`,
      );
    expect(await kind(kserveInfer(kserve('bad'), meta, Float32Array.of(1, 2), 1, 2, fast))).toMatch(
      /^http: .*HTTP 400: unexpected shape for input 'input1'/,
    );
    expect(await kind(kserveInfer(kserve('garbled'), meta, Float32Array.of(1, 2), 1, 2, fast))).toMatch(
      /^malformed: .*not JSON: unexpected end of input/,
    );
    expect(await kind(kserveInfer(kserve('stall'), meta, Float32Array.of(1, 2), 1, 2, fast))).toMatch(
      /^timeout: .*within 300 ms/,
    );
    expect(await kind(callJson('http://127.0.0.1:9/v2', { method: 'GET' }, { ...fast, retries: 0 }))).toMatch(
      /^unreachable: .*CORS/,
    );
    expect(
      await kind(
        tfServingPredict({ url: base, protocol: 'tfserving', model: 'gone' }, Float32Array.of(1), 1, 1, 'row', fast),
      ),
    ).toMatch(/HTTP 404: Servable not found for request: Latest\(half\)/);
  });
  it('retries idempotent calls after a 5xx, with backoff', async () => {
    flaky = 0;
    expect((await kserveMetadata(kserve('flaky'), fast)).name).toBe('flaky');
    expect(flaky).toBe(3);
    flaky = 0;
    await expect(kserveMetadata(kserve('flaky'), { ...fast, retries: 1 })).rejects.toThrow(/HTTP 503: warming up/);
  });
  it('TF Serving: status and predictions with non-finite numbers', async () => {
    const e: Endpoint = { url: base, protocol: 'tfserving', model: 'half' };
    expect(await tfServingStatus(e, fast)).toEqual([{ version: '123', state: 'AVAILABLE', error: undefined }]);
    const p = await tfServingPredict(e, Float32Array.of(1, 2), 2, 1, 'row', fast);
    expect(p.width).toBe(2);
    expect(p.values[2]).toBe(Infinity);
    await expect(tfServingStatus({ ...e, version: '1', label: 'stable' }, fast)).rejects.toThrow(/not both/);
  });
});
