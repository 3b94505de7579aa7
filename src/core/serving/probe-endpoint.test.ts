import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Preprocessor } from '../data/preprocess.ts';
import type { RunRecord } from '../model/spec.ts';
import type { HttpOptions } from './http.ts';
import { probeEndpoint, probeSample, type ProbeFeatures } from './probe-endpoint.ts';
import type { Endpoint } from './protocols.ts';

const fixture = (f: string) => readFileSync(new URL(`../../../tests/fixtures/protocols/${f}`, import.meta.url), 'utf8');

// Three encoded features; the preview row is (1.5, -2, 0.25), dataset row 7.
const pre: ProbeFeatures = { inputSize: 3, inputNames: ['age', 'color=red', 'color=blue'] };
const sample = { x: Float32Array.of(1.5, -2, 0.25), row: 7 };

// A real HTTP server on loopback: KServe V2 health, readiness and metadata, and TF Serving status.
describe('probeEndpoint against a server on loopback', () => {
  let server: Server;
  let base = '';
  const calls: string[] = [];
  // The injected fetch: the real one, recording what the probe asked for.
  const http: HttpOptions = {
    timeoutMs: 500,
    retries: 0,
    backoffMs: 10,
    fetch: ((url: string, init?: RequestInit) => {
      calls.push(`${init?.method ?? 'GET'} ${new URL(url).pathname}`);
      return fetch(url, init);
    }) as typeof fetch,
  };
  beforeAll(async () => {
    server = createServer((req, res) => {
      const send = (status: number, body: string) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      const meta = (name: string, inputs: object[]) =>
        send(200, JSON.stringify({ name, inputs, outputs: [{ name: 'probs', datatype: 'FP32', shape: [-1, 2] }] }));
      const u = req.url ?? '';
      if (u === '/v2/health/live') return res.writeHead(200).end();
      if (u === '/v2/health/ready') return send(200, '{"ready":true}');
      if (u === '/v2/models/m/ready') return send(200, '');
      if (u === '/v2/models/cold/ready') return send(503, '{"error":"loading"}');
      if (u === '/v2/models/m' || u === '/v2/models/cold')
        return meta(u.split('/').pop()!, [{ name: 'features', datatype: 'FP32', shape: [-1, 3] }]);
      if (u === '/v2/models/two/ready') return send(200, '');
      if (u === '/v2/models/two')
        return meta('two', [
          { name: 'age', datatype: 'FP32', shape: [-1, 1] },
          { name: 'height', datatype: 'FP32', shape: [-1, 1] },
        ]);
      if (u === '/v2/models/nometa/ready') return send(200, '');
      if (u === '/v2/models/nometa') return send(200, '{"inputs": []}');
      if (u === '/v1/models/tf') return send(200, fixture('tfserving-status.json'));
      send(404, '{"error":"no route"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  const kserve = (model: string, extra: Partial<Endpoint> = {}): Endpoint => ({
    url: base,
    protocol: 'kserve-v2',
    model,
    ...extra,
  });

  it('KServe V2: health, metadata, the input mapping and the one-row JSON request', async () => {
    calls.length = 0;
    const r = await probeEndpoint(kserve('m'), http, pre, sample);
    if (!r.ok) throw new Error(r.error.message);
    expect(calls).toEqual([
      'GET /v2/health/live',
      'GET /v2/health/ready',
      'GET /v2/models/m/ready',
      'GET /v2/models/m',
    ]);
    expect(r.value).toMatchObject({ live: true, ready: true, modelReady: true, previewRow: 7 });
    expect(r.value.features).toEqual(pre.inputNames);
    expect(r.value.metadata?.name).toBe('m');
    expect(r.value.mapping).toEqual([{ input: 'features', datatype: 'FP32', features: pre.inputNames }]);
    expect(r.value.planError).toBeUndefined();
    expect(JSON.parse(r.value.preview)).toEqual({
      id: 'preview',
      inputs: [{ name: 'features', shape: [1, 3], datatype: 'FP32', data: [1.5, -2, 0.25] }],
      outputs: [{ name: 'probs' }],
    });
  });

  it('KServe V2 binary: the preview counts the tensor bytes and the JSON header length', async () => {
    const r = await probeEndpoint(kserve('m', { binary: true }), http, pre, sample);
    if (!r.ok) throw new Error(r.error.message);
    const [json, tail] = r.value.preview.split('\n+ ');
    const header = JSON.parse(json!);
    expect(header.inputs[0].parameters).toEqual({ binary_data_size: 12 }); // 3 × FP32
    expect(tail).toBe(
      `12 bytes of binary tensor data (Inference-Header-Content-Length: ${JSON.stringify(header).length})`,
    );
  });

  it('a model that is not ready, and inputs that match no feature, are reported without failing', async () => {
    const cold = await probeEndpoint(kserve('cold'), http, pre, sample);
    expect(cold.ok && cold.value).toMatchObject({ live: true, ready: true, modelReady: false });
    const two = await probeEndpoint(kserve('two'), http, pre, sample);
    if (!two.ok) throw new Error(two.error.message);
    expect(two.value.planError).toMatch(/takes 2 inputs \(age, height\); "height" matches no feature by name/);
    expect(two.value.preview).toBe(`(no request can be built: ${two.value.planError})`);
    expect(two.value.mapping).toBeUndefined();
    // With a map, each input gets its features.
    const mapped = await probeEndpoint(
      kserve('two', { inputMap: { age: ['age'], height: ['color=blue'] } }),
      http,
      pre,
      sample,
    );
    expect(mapped.ok && mapped.value.mapping).toEqual([
      { input: 'age', datatype: 'FP32', features: ['age'] },
      { input: 'height', datatype: 'FP32', features: ['color=blue'] },
    ]);
    expect(mapped.ok && JSON.parse(mapped.value.preview).inputs.map((i: { data: number[] }) => i.data)).toEqual([
      [1.5],
      [0.25],
    ]);
  });

  it('TF Serving: version status and the row-format request', async () => {
    calls.length = 0;
    const r = await probeEndpoint({ url: base, protocol: 'tfserving', model: 'tf' }, http, pre, sample);
    if (!r.ok) throw new Error(r.error.message);
    expect(calls).toEqual(['GET /v1/models/tf', 'GET /v1/models/tf']);
    expect(r.value).toMatchObject({ live: true, ready: true, modelReady: true, previewRow: 7 });
    expect(r.value.versions).toEqual([{ version: '123', state: 'AVAILABLE', error: undefined }]);
    expect(JSON.parse(r.value.preview)).toEqual({ instances: [[1.5, -2, 0.25]] });
  });

  it('failures come back as endpoint-<kind> Results naming the cause', async () => {
    const bad = await probeEndpoint(kserve('nometa'), http, pre, sample);
    expect(!bad.ok && bad.error).toMatchObject({ kind: 'endpoint-malformed', message: /has no "name"/ });
    const gone = await probeEndpoint(
      { url: 'http://127.0.0.1:9', protocol: 'kserve-v2', model: 'm' },
      http,
      pre,
      sample,
    );
    expect(!gone.ok && gone.error.kind).toBe('endpoint-unreachable');
    const missing = await probeEndpoint(kserve('absent'), http, pre, sample);
    expect(!missing.ok && missing.error).toMatchObject({ kind: 'endpoint-http', message: /HTTP 404: no route/ });
  });
});

describe('probeSample', () => {
  it('without the dataset, previews a row of zeros (row -1)', () => {
    const s = probeSample({} as RunRecord, { inputSize: 4 } as Preprocessor, null);
    expect(s.row).toBe(-1);
    expect(Array.from(s.x)).toEqual([0, 0, 0, 0]);
  });
});
