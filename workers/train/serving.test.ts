import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSplitRows } from '../../src/core/evaluation/report.ts';
import type { Endpoint } from '../../src/core/serving/protocols.ts';
import { trainedOnWine } from './api-test-kit.ts';

// A KServe V2 server on loopback whose model "wine" takes the 13 features and answers uniform probabilities.
describe('training API: probeEndpoint and compareRemote against a server on loopback', () => {
  let w: Awaited<ReturnType<typeof trainedOnWine>>;
  let server: Server;
  let endpoint: Endpoint;
  const fast = { timeoutMs: 2000, retries: 0, backoffMs: 10 };
  beforeAll(async () => {
    w = await trainedOnWine();
    server = createServer((req, res) => {
      const send = (status: number, body: string) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const u = req.url ?? '';
        if (/^\/v2\/(health\/(live|ready)|models\/wine\/ready)$/.test(u)) return send(200, '');
        if (u === '/v2/models/wine')
          return send(
            200,
            JSON.stringify({
              name: 'wine',
              inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 13] }],
              outputs: [{ name: 'probs', datatype: 'FP32', shape: [-1, 3] }],
            }),
          );
        if (u === '/v2/models/wine/infer') {
          const r = JSON.parse(body) as { id: string; inputs: { shape: number[] }[] };
          const n = r.inputs[0]!.shape[0]!;
          const data = Array.from({ length: n * 3 }, () => 1 / 3);
          return send(
            200,
            JSON.stringify({ id: r.id, outputs: [{ name: 'probs', shape: [n, 3], datatype: 'FP32', data }] }),
          );
        }
        send(404, '{"error":"no route"}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      protocol: 'kserve-v2',
      model: 'wine',
    };
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it("probes health and metadata and previews the run's first test row, encoded", async () => {
    const r = await w.train.probeEndpoint(endpoint, fast, w.run.id);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({ live: true, ready: true, modelReady: true });
    const t = await w.data.getTable(w.ds.id);
    const split = t.ok ? runSplitRows(w.run, t.value.table) : null;
    expect(split?.ok && r.value.previewRow).toBe(split?.ok && split.value.test[0]);
    expect(r.value.features).toEqual(w.model.preprocessor.inputNames);
    const req = JSON.parse(r.value.preview) as { inputs: { shape: number[]; data: number[] }[] };
    expect(req.inputs[0]!.shape).toEqual([1, 13]);
    // Standardized features of a real row: not the zeros of a missing dataset.
    expect(req.inputs[0]!.data.some((v) => v !== 0)).toBe(true);
  });

  it('an unreachable server is an endpoint-unreachable Result', async () => {
    const r = await w.train.probeEndpoint({ ...endpoint, url: 'http://127.0.0.1:9' }, fast, w.run.id);
    expect(!r.ok && r.error.kind).toBe('endpoint-unreachable');
  });

  it('compares the local model with the remote one on the test split', async () => {
    const done: number[] = [];
    const r = await w.train.compareRemote(w.run.id, endpoint, { http: fast, batchSize: 8, concurrency: 2 }, (d) =>
      done.push(d),
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.split).toBe('test');
    const t = await w.data.getTable(w.ds.id);
    const split = t.ok ? runSplitRows(w.run, t.value.table) : null;
    const n = split?.ok ? split.value.test.length : -1;
    expect(r.value.rows).toBe(n);
    expect(done.at(-1)).toBe(n);
    // The server answers 1/3 for every class; the trained network does not.
    expect(r.value.maxDiff).toBeGreaterThan(0);
    expect(r.value.agreement).toBeGreaterThanOrEqual(0);
    expect(r.value.agreement).toBeLessThanOrEqual(1);
  });
});
