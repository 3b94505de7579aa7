// `benchtop serve` answering bad requests: every one the client got wrong is a 4xx with a JSON
// {"error"} that says what is wrong (never a 500, never a stack), on both protocols; a client that
// never finishes its headers is answered 408 and cut off while others are served. Raw sockets, so
// what is sent is exactly what the test says.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delay, rawHttp } from '../tests/corpus/runners.ts';
import { ServingError } from '../src/core/serving/http.ts';
import {
  BODY_LIMIT_MESSAGE,
  clientErrorAnswer,
  errorAnswer,
  HEADERS_TIMEOUT_MS,
  MAX_BODY_BYTES,
  NO_FAULTS,
  startServer,
} from './serve.ts';

// y = sigmoid(x · W + b) over 3 features, input "features" [N, 3].
const MODEL = new URL('../tests/corpus/cases/_base/model.onnx', import.meta.url).pathname;

let s: Awaited<ReturnType<typeof startServer>>;
let port: number;
beforeAll(async () => {
  s = await startServer({
    onnx: new Uint8Array(readFileSync(MODEL)),
    name: 'm',
    version: '1',
    port: 0,
    origins: [],
    faults: NO_FAULTS,
  });
  port = Number(new URL(s.url).port);
});
afterAll(() => s.close());

const head = (method: string, path: string, length?: number, extra = '') =>
  `${method} ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\ncontent-type: application/json\r\n${extra}` +
  (length === undefined ? '' : `Content-Length: ${length}\r\n`) +
  '\r\n';

async function post(path: string, body: string) {
  const b = Buffer.from(body);
  const r = await rawHttp(port, head('POST', path, b.length), { body: b, timeoutMs: 10_000 });
  let error: unknown;
  try {
    error = (JSON.parse(r.body) as { error?: unknown }).error;
  } catch {
    error = undefined;
  }
  return { ...r, error: typeof error === 'string' ? error : undefined };
}

const KSERVE = '/v2/models/m/infer';
const TF = '/v1/models/m:predict';
const tensor = (data: string, shape = '[1, 3]') =>
  `{"inputs":[{"name":"features","shape":${shape},"datatype":"FP32","data":${data}}]}`;

describe('bad requests are 400s with the reason', () => {
  it('still serves a good request on both protocols', async () => {
    expect((await post(KSERVE, tensor('[1, 2, 3]'))).status).toBe(200);
    expect((await post(TF, '{"instances": [[1, 2, 3]]}')).status).toBe(200);
  });

  it.each([
    ['KServe: the body null', KSERVE, 'null', /body must be a JSON object with "inputs"; got null/],
    ['KServe: the body a list', KSERVE, '[1, 2, 3]', /body must be a JSON object.*got a list/],
    ['TF Serving: the body null', TF, 'null', /body must be a JSON object with "instances" or "inputs"; got null/],
    ['TF Serving: the body a string', TF, '"x"', /got string/],
    [
      'KServe: 1e400 (JSON.parse gives Infinity)',
      KSERVE,
      tensor('[1, 1e400, 3]'),
      /input 'features' value 2 \(row 1, feature 2\) is Infinity; model 'm' takes finite numbers/,
    ],
    [
      'KServe: -1e400 in the second row, nested',
      KSERVE,
      tensor('[[1, 2, 3], [4, 5, -1e400]]', '[2, 3]'),
      /value 6 \(row 2, feature 3\) is -Infinity/,
    ],
    [
      'KServe: 1e39, over FP32',
      KSERVE,
      tensor('[1e39, 2, 3]'),
      /value 1 \(row 1, feature 1\) is 1e\+39, out of FP32 range/,
    ],
    [
      'TF Serving: 1e400 in instances',
      TF,
      '{"instances": [[1, 2, 3], [1e400, 2, 3]]}',
      /instances row 2, feature 1 \('features'\) is Infinity/,
    ],
    ['TF Serving: 1e400 in columnar inputs', TF, '{"inputs": [[1, 2, 1e400]]}', /inputs row 1, feature 3.*Infinity/],
    [
      'KServe: data nested 100,000 deep',
      KSERVE,
      tensor('['.repeat(100_000) + ']'.repeat(100_000)),
      /nested more than 64 levels deep/,
    ],
    [
      'TF Serving: instances nested 100,000 deep',
      TF,
      `{"instances": ${'['.repeat(1e5)}${']'.repeat(1e5)}}`,
      /64 levels/,
    ],
    [
      'KServe: an object nested deep inside data',
      KSERVE,
      tensor(`[${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}, 2, 3]`),
      /expected numbers, found an object/,
    ],
    ['KServe: a null among the inputs', KSERVE, '{"inputs": [null]}', /inputs\[0\] must be an object/],
    [
      'KServe: "outputs" not a list',
      KSERVE,
      tensor('[1, 2, 3]').replace(/}$/, ',"outputs": 5}'),
      /"outputs" must be a list/,
    ],
    ['KServe: no rows', KSERVE, tensor('[]', '[0, 3]'), /at least one row/],
    ['TF Serving: no instances', TF, '{"instances": []}', /at least one row/],
    [
      'KServe: broken percent-encoding',
      '/v2/models/%E0%A4%A/infer',
      tensor('[1, 2, 3]'),
      /model name.*percent-encoding/,
    ],
    ['TF Serving: broken percent-encoding', '/v1/models/%ZZ:predict', '{"instances": [[1, 2, 3]]}', /percent-encoding/],
    [
      'KServe: broken percent-encoding in the version',
      '/v2/models/m/versions/%E0/infer',
      tensor('[1, 2, 3]'),
      /version/,
    ],
  ])('%s', async (_, path, body, reason) => {
    const r = await post(path, body);
    expect(r.status, r.body).toBe(400);
    expect(r.error, r.body).toMatch(reason);
    expect(r.body).not.toMatch(/\n\s+at |Maximum call stack|Cannot read properties/);
  });

  it('GET on TF Serving predict is a 405, not an attempt to predict', async () => {
    const r = await rawHttp(port, head('GET', TF), { timeoutMs: 10_000 });
    expect(r.status).toBe(405);
  });

  it('the generic error path: client mistakes are 400s, anything else a 500 with one line and no stack', () => {
    expect(errorAnswer(new ServingError('malformed', 'input x: expected numbers'))).toEqual({
      status: 400,
      body: { error: 'input x: expected numbers' },
    });
    expect(errorAnswer(new SyntaxError('Unexpected token')).status).toBe(400);
    const internal = errorAnswer(new TypeError("Cannot read properties of undefined (reading 'x')\n    at f (a.ts:1)"));
    expect(internal.status).toBe(500);
    expect(internal.body.error).toBe(
      "benchtop serve failed on this request: Cannot read properties of undefined (reading 'x')",
    );
  });
});

describe('the HTTP layer', () => {
  it('a chunked body past the limit, framed on a raw socket, is answered 413 with the reason', async () => {
    const MB = 2 ** 20;
    const framed = Buffer.concat([Buffer.from(`${MB.toString(16)}\r\n`), Buffer.alloc(MB, 0x31), Buffer.from('\r\n')]);
    let sent = 0;
    const r = await rawHttp(port, head('POST', KSERVE, undefined, 'Transfer-Encoding: chunked\r\n'), {
      timeoutMs: 30_000,
      feed: async (write, stopped) => {
        for (let i = 0; i < 80 && !stopped(); i++) {
          sent += MB;
          await delay(write(framed) ? 0 : 5);
        }
      },
    });
    expect(r.status, r.body).toBe(413);
    expect(JSON.parse(r.body)).toEqual({ error: BODY_LIMIT_MESSAGE });
    expect(sent).toBeGreaterThanOrEqual(MAX_BODY_BYTES);
  });

  it('broken chunk framing is a 400 with a JSON reason (not an empty 400)', async () => {
    // A size line, its data, then another size line where the CRLF should be.
    const r = await rawHttp(port, head('POST', KSERVE, undefined, 'Transfer-Encoding: chunked\r\n'), {
      body: Buffer.from('5\r\nhello5\r\nworld\r\n0\r\n\r\n'),
      timeoutMs: 10_000,
    });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error).toMatch(/^the request is not valid HTTP\/1\.1: /);
  });

  it('maps parser failures to statuses', () => {
    expect(clientErrorAnswer({ code: 'ERR_HTTP_REQUEST_TIMEOUT' }).status).toBe(408);
    expect(clientErrorAnswer({ code: 'HPE_HEADER_OVERFLOW' }).status).toBe(431);
    expect(clientErrorAnswer({ code: 'HPE_INVALID_METHOD', message: 'Invalid method' })).toEqual({
      status: 400,
      error: 'the request is not valid HTTP/1.1: Invalid method',
    });
  });

  it(
    'headers sent a byte at a time and never finished: 408 with the reason within the headers timeout, ' +
      'while another client is served',
    async () => {
      const t0 = Date.now();
      const slow = rawHttp(port, `POST ${KSERVE} HTTP/1.1\r\nHost: x\r\n`, {
        timeoutMs: 30_000,
        feed: async (write, stopped) => {
          while (!stopped()) {
            await delay(500);
            if (!stopped()) write('X');
          }
        },
      });
      await delay(1000);
      expect((await post(KSERVE, tensor('[1, 2, 3]'))).status).toBe(200);
      const r = await slow;
      const ms = Date.now() - t0;
      expect(r.status).toBe(408);
      expect(JSON.parse(r.body).error).toMatch(/did not arrive in time \(headers within 10 s/);
      expect(ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
      expect(ms).toBeLessThan(HEADERS_TIMEOUT_MS + 5000);
      expect((await post(KSERVE, tensor('[1, 2, 3]'))).status).toBe(200);
    },
    40_000,
  );
});
