// `benchtop serve`: a model server on loopback speaking the Open Inference Protocol (KServe V2) and
// TensorFlow Serving's REST API over onnxruntime-node, with CORS for the app's origin and fault
// injection (latency, errors, malformed bodies, stalls) for rehearsing how clients cope.
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import * as ort from 'onnxruntime-node';
import { modelToOnnx } from '../src/core/onnx/export-dense.ts';
import { cleanOrtMessage, explainOrtError, inspectOnnx, MAX_ONNX_BYTES } from '../src/core/onnx/inspect.ts';
import type { Problem, Result } from '../src/core/util/result.ts';
import { fail, ok } from '../src/core/util/result.ts';
import { reportError, EXIT, parseCommandArgs, UsageError } from './cli-errors.ts';
import { flattenData } from '../src/core/serving/protocols.ts';
import { ServingError } from '../src/core/serving/http.ts';
import { binaryBody, decodeTensor, encodeTensor, splitBinary } from '../src/core/serving/binary-tensor.ts';
import { createRandom } from '../src/core/util/random.ts';
import { readBundle } from './node-io.ts';
import { ORT_GRAPH_OPTIMIZATION } from '../src/core/onnx/session-options.ts';

export interface Faults {
  /** Added before every answer, in milliseconds. */
  latencyMs: number;
  /** Fractions of inference calls answered with a 500, a truncated body, or nothing at all. */
  errorRate: number;
  malformedRate: number;
  stallRate: number;
  seed: number;
}

export interface ServeOptions {
  onnx: Uint8Array;
  name: string;
  /** The file (or folder) the model came from, as the person gave it: refusals name it. Default: `name`. */
  file?: string;
  version: string;
  port: number;
  host?: string;
  /** Origins allowed by CORS ('*' for any). */
  origins: string[];
  faults: Faults;
  /**
   * Serve one input per feature (shape [-1, 1], named by these encoded feature names) instead of one
   * features tensor — as servers of scikit-learn-style models often do; the client must map them.
   */
  perFeatureInputs?: string[];
}

export const NO_FAULTS: Faults = Object.freeze({ latencyMs: 0, errorRate: 0, malformedRate: 0, stallRate: 0, seed: 1 });
export const APP_ORIGINS = [
  'http://localhost:5173',
  'http://127.0.0.1:5173',
  'http://localhost:4173',
  'http://127.0.0.1:4173',
];

/** The largest request body `benchtop serve` reads; a larger one is answered 413 and the connection closed. */
export const MAX_BODY_BYTES = 64 * 2 ** 20;
export const BODY_LIMIT_MESSAGE = `request body is over the ${MAX_BODY_BYTES / 2 ** 20} MiB limit`;
/** How long a connection refused with 413 stays open (discarding) so the client can read the answer. */
const LINGER_MS = 1000;
/**
 * A client has this long to send a request's headers, and this long for the whole request, before
 * the server answers 408 and closes the connection (a slow or stuck client cannot hold a connection
 * forever). Checked every CHECK_MS.
 */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 60_000;
const CHECK_MS = 1000;

/** What a request the HTTP parser cannot read is answered: status and the JSON reason. */
export function clientErrorAnswer(e: { code?: string; message?: string }): { status: number; error: string } {
  if (e.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return {
      status: 408,
      error: `the request did not arrive in time (headers within ${HEADERS_TIMEOUT_MS / 1000} s, all of it within ${REQUEST_TIMEOUT_MS / 1000} s)`,
    };
  if (e.code === 'HPE_HEADER_OVERFLOW') return { status: 431, error: 'the request headers are too large' };
  return { status: 400, error: `the request is not valid HTTP/1.1: ${e.message ?? e.code ?? 'unreadable'}` };
}

/** Why a server did not start: a model it cannot serve (the message names the file and the problem). */
export class ServeRefused extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

export interface Servable {
  onnx: Uint8Array;
  name: string;
  /** The path it was read from (as given to --model). */
  file: string;
  features?: string[];
}

/**
 * Reads a model for serving: an .onnx file (checked by inspectOnnx: readable, sane dimensions and
 * initializers), or a Benchtop model directory/zip (exported to ONNX). Every problem is a Result error
 * naming the file.
 */
export async function loadServable(path: string, version = 'dev'): Promise<Result<Servable>> {
  const s = await stat(path).catch(() => null);
  if (!s) return fail({ kind: 'missing-file', file: path, message: `${path} does not exist.` });
  if (s.isFile() && path.endsWith('.onnx')) {
    if (s.size > MAX_ONNX_BYTES)
      return fail({
        kind: 'too-large',
        file: path,
        message: `${path} is ${(s.size / 2 ** 20).toFixed(0)} MiB; benchtop serve loads ONNX models up to ${MAX_ONNX_BYTES / 2 ** 20} MiB.`,
      });
    const onnx = new Uint8Array(await readFile(path));
    const info = inspectOnnx(onnx, path);
    if (!info.ok) return info;
    return ok({ onnx, name: basename(path, '.onnx'), file: path });
  }
  const b = await readBundle(path);
  if (!b.ok) return b;
  const onnx = modelToOnnx(b.value.model, version);
  if (!onnx.ok) return onnx;
  return ok({
    onnx: onnx.value,
    name: basename(path).replace(/\.zip$/, ''),
    file: path,
    features: b.value.model.preprocessor.inputNames,
  });
}

export async function startServer(
  o: ServeOptions,
): Promise<{ url: string; close(): Promise<void>; requests: () => number }> {
  const file = o.file ?? o.name;
  const info = inspectOnnx(o.onnx, file);
  if (!info.ok) throw new ServeRefused(info.error);
  const { inputs, outputs } = info.value;
  const input = inputs[0],
    output = outputs[0];
  const list = (ts: { name: string }[]) => ts.map((t) => `"${t.name}"`).join(', ');
  if (inputs.length !== 1 || !input || !output)
    throw new ServeRefused({
      kind: 'bad-onnx',
      file,
      message:
        `${file} has ${inputs.length} graph input${inputs.length === 1 ? '' : 's'}` +
        `${inputs.length ? ` (${list(inputs)})` : ''} and ${outputs.length} output${outputs.length === 1 ? '' : 's'}; ` +
        `benchtop serve feeds one features tensor, so the model needs exactly one input (besides its ` +
        `initializers) and at least one output.`,
    });
  if (input.elemType !== 'float32')
    throw new ServeRefused({
      kind: 'bad-onnx',
      file,
      message: `${file}'s input "${input.name}" is ${input.elemType}; benchtop serve feeds float32 features.`,
    });
  const width = Number(input.shape.at(-1));
  if (!Number.isInteger(width) || width <= 0)
    throw new ServeRefused({
      kind: 'bad-onnx',
      file,
      message:
        `${file}'s input "${input.name}" has shape [${input.shape.join(', ')}]; benchtop serve needs its last ` +
        `dimension (the number of features) to be a fixed positive number.`,
    });
  let session: ort.InferenceSession;
  try {
    // onnxruntime's own log lines would mix plain text into stderr (which carries only JSON); its
    // errors still reach us as exceptions.
    session = await ort.InferenceSession.create(o.onnx, {
      logSeverityLevel: 4,
      graphOptimizationLevel: ORT_GRAPH_OPTIMIZATION,
    });
  } catch (e) {
    throw new ServeRefused({
      kind: 'unsupported-onnx',
      file,
      message: explainOrtError(String((e as Error)?.message ?? e), info.value, file, 'onnxruntime-node'),
    });
  }
  const dtype = (t: string) =>
    ({ float32: 'FP32', float64: 'FP64', int64: 'INT64', int32: 'INT32', uint8: 'UINT8', int8: 'INT8', bool: 'BOOL' })[
      t
    ] ?? t.toUpperCase();
  const shape = (s: (number | string)[]) => s.map((d) => (typeof d === 'number' && d > 0 ? d : -1));
  const split = o.perFeatureInputs;
  if (split && split.length !== width) {
    await session.release();
    throw new ServeRefused({
      kind: 'shape-mismatch',
      file,
      message: `--per-feature-inputs: the model takes ${width} features, ${split.length} names were given.`,
    });
  }
  const inputsMeta = split
    ? split.map((f) => ({ name: f, datatype: 'FP32', shape: [-1, 1] }))
    : [{ name: input.name, datatype: dtype(input.elemType), shape: shape(input.shape) }];
  const metadata = {
    name: o.name,
    versions: [o.version],
    platform: 'onnxruntime_onnx',
    inputs: inputsMeta,
    outputs: [{ name: output.name, datatype: dtype(output.elemType), shape: shape(output.shape) }],
  };
  // Seeded, so a rehearsal with the same seed fails the same calls.
  const rng = createRandom(o.faults.seed);
  let count = 0;

  /** `what(i)` names the i-th value for a refusal (input, row, feature). */
  const run = async (values: ArrayLike<number>, n: number, what: (i: number) => string) => {
    if (!Number.isInteger(n) || n < 1 || values.length !== n * width)
      throw new HttpError(
        400,
        `unexpected shape for input '${input.name}' for model '${o.name}'. Expected [-1, ${width}] with at ` +
          `least one row, got ${values.length} values for ${n} rows`,
      );
    const x = Float32Array.from(values);
    for (let i = 0; i < x.length; i++)
      if (!Number.isFinite(x[i]!))
        throw new HttpError(
          400,
          `${what(i)} is ${Number.isFinite(values[i]!) ? `${values[i]}, out of FP32 range` : values[i]}; ` +
            `model '${o.name}' takes finite numbers`,
        );
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await session.run({ [input.name]: new ort.Tensor('float32', x, [n, width]) });
    } catch (e) {
      throw new Error(
        `onnxruntime-node could not run ${file}: ${cleanOrtMessage(String((e as Error)?.message ?? e))}`,
        {
          cause: e,
        },
      );
    }
    const t = out[output.name]!;
    return { data: Array.from(t.data as Float32Array), shape: t.dims.map(Number) };
  };

  const handle = async (
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; body: unknown; binary?: Uint8Array; headerLength?: number } | 'stall' | 'malformed'> => {
    let p: string;
    try {
      p = new URL(req.url ?? '/', 'http://x').pathname;
    } catch {
      throw new HttpError(400, `the request target ${JSON.stringify(String(req.url).slice(0, 200))} is not a URL path`);
    }
    const m = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/.exec(p);
    const tf = /^\/v1\/models\/([^/:]+)(?:\/versions\/(\d+)|\/labels\/([^/:]+))?(\/metadata|:predict)?$/i.exec(p);
    const isInfer = (m && m[3] === '/infer') || (tf && tf[4]?.toLowerCase() === ':predict');
    if (isInfer) {
      const r = rng.next();
      if (r < o.faults.stallRate) return 'stall';
      if (r < o.faults.stallRate + o.faults.malformedRate) return 'malformed';
      if (r < o.faults.stallRate + o.faults.malformedRate + o.faults.errorRate)
        return { status: 500, body: { error: 'injected fault (benchtop serve --error-rate)' } };
    }
    if (p === '/v2/health/live') return { status: 200, body: { live: true } };
    if (p === '/v2/health/ready') return { status: 200, body: { ready: true } };
    if (p === '/v2') return { status: 200, body: { name: 'benchtop-serve', version: o.version, extensions: [] } };
    if (m) {
      const model = decodePart(m[1]!, 'model name');
      if (model !== o.name)
        return {
          status: 404,
          body: { error: `Model '${model}' is not served here (this server has '${o.name}').` },
        };
      if (m[2] && decodePart(m[2], 'model version') !== o.version)
        return {
          status: 404,
          body: { error: `Version '${m[2]}' of '${o.name}' is not served here (this server has '${o.version}').` },
        };
      if (m[3] === '/ready') return { status: 200, body: { name: o.name, ready: true } };
      if (!m[3])
        return req.method === 'GET' ? { status: 200, body: metadata } : { status: 405, body: { error: 'use GET' } };
      if (req.method !== 'POST') return { status: 405, body: { error: 'use POST' } };
      // JSON, or Triton's binary extension: the JSON header's length in Inference-Header-Content-Length.
      const hl = req.headers['inference-header-content-length'];
      const headerLength = hl === undefined ? body.length : Number(hl);
      if (!Number.isInteger(headerLength) || headerLength < 0 || headerLength > body.length)
        throw new HttpError(400, `Inference-Header-Content-Length ${hl} does not fit a ${body.length}-byte body`);
      const r = jsonObject(body.subarray(0, headerLength), '"inputs"') as {
        id?: string;
        parameters?: { binary_data_output?: boolean };
        inputs?: {
          name?: string;
          shape?: number[];
          datatype?: string;
          data?: unknown;
          parameters?: { binary_data_size?: number };
        }[];
        outputs?: { name?: string; parameters?: { binary_data?: boolean } }[];
      };
      if (!Array.isArray(r.inputs) || !r.inputs.length)
        throw new HttpError(400, 'the request needs "inputs" with name, shape, datatype and data');
      for (const [i, t] of r.inputs.entries())
        if (!t || typeof t !== 'object' || Array.isArray(t))
          throw new HttpError(400, `inputs[${i}] must be an object with name, shape, datatype and data`);
      if (r.outputs !== undefined && !Array.isArray(r.outputs))
        throw new HttpError(400, '"outputs" must be a list of {name, parameters}');
      const bins = splitBinary(
        r.inputs,
        new Uint8Array(body.buffer, body.byteOffset + headerLength, body.length - headerLength),
        'request',
      );
      const read = (t: NonNullable<typeof r.inputs>[number]) =>
        t.parameters?.binary_data_size !== undefined
          ? Array.from(decodeTensor(bins.get(String(t.name))!, String(t.datatype), `input '${t.name}'`))
          : flattenData(t.data, `input '${t.name}'`);
      for (const t of r.inputs)
        if (!Array.isArray(t.shape)) throw new HttpError(400, `input '${t.name}' needs a shape`);
      const n = Number(r.inputs[0]!.shape![0]);
      let values: number[];
      if (split) {
        // One [n, 1] input per feature, assembled into the model's [n, width] matrix.
        const byName = new Map(r.inputs.map((t) => [String(t.name), t]));
        const missing = split.filter((f) => !byName.has(f));
        if (missing.length)
          throw new HttpError(
            400,
            `missing inputs for model '${o.name}': ` +
              `${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', …' : ''}`,
          );
        const extra = r.inputs.filter((t) => !split.includes(String(t.name)));
        if (extra.length)
          throw new HttpError(400, `unexpected inference input '${extra[0]!.name}' for model '${o.name}'`);
        const cols = split.map((f) => read(byName.get(f)!));
        for (const [j, c] of cols.entries())
          if (c.length !== n) throw new HttpError(400, `input '${split[j]}' has ${c.length} values for ${n} rows`);
        values = new Array<number>(n * width);
        for (let i = 0; i < n; i++) for (let j = 0; j < width; j++) values[i * width + j] = cols[j]![i]!;
      } else {
        const t = r.inputs[0]!;
        if (r.inputs.length > 1 || t.name !== input.name)
          throw new HttpError(
            400,
            `unexpected inference input '${r.inputs.find((x) => x.name !== input.name)?.name ?? t.name}' for ` +
              `model '${o.name}' (it takes '${input.name}')`,
          );
        values = read(t);
      }
      const names = split ?? [input.name];
      const out = await run(values, n, (i) =>
        split
          ? `input '${split[i % width]}' row ${Math.floor(i / width) + 1}`
          : `input '${names[0]}' value ${i + 1} (row ${Math.floor(i / width) + 1}, feature ${(i % width) + 1})`,
      );
      const wantBinary =
        r.parameters?.binary_data_output === true || !!r.outputs?.some((x) => x?.parameters?.binary_data === true);
      if (wantBinary) {
        const bytes = encodeTensor(out.data, 'FP32');
        const b = binaryBody(
          {
            model_name: o.name,
            model_version: o.version,
            ...(r.id !== undefined ? { id: r.id } : {}),
            outputs: [
              { name: output.name, shape: out.shape, datatype: 'FP32', parameters: { binary_data_size: bytes.length } },
            ],
          },
          [bytes],
        );
        return { status: 200, body: null, binary: b.body, headerLength: b.headerLength };
      }
      return {
        status: 200,
        body: {
          model_name: o.name,
          model_version: o.version,
          ...(r.id !== undefined ? { id: r.id } : {}),
          outputs: [{ name: output.name, shape: out.shape, datatype: 'FP32', data: out.data }],
        },
      };
    }
    if (tf) {
      const model = decodePart(tf[1]!, 'model name');
      if (model.toLowerCase() !== o.name.toLowerCase())
        return {
          status: 404,
          body: { error: `Servable not found for request: Latest(${model})` },
        };
      if (tf[2] && tf[2] !== o.version && o.version !== 'dev')
        return { status: 404, body: { error: `Servable not found for request: Specific(${o.name}, ${tf[2]})` } };
      if (!tf[4])
        return {
          status: 200,
          body: {
            model_version_status: [
              {
                version: /^\d+$/.test(o.version) ? o.version : '1',
                state: 'AVAILABLE',
                status: { error_code: 'OK', error_message: '' },
              },
            ],
          },
        };
      if (tf[4].toLowerCase() === '/metadata')
        return {
          status: 200,
          body: {
            model_spec: { name: o.name, signature_name: '', version: o.version },
            metadata: {
              signature_def: {
                signature_def: {
                  serving_default: {
                    inputs: {
                      [input.name]: {
                        dtype: 'DT_FLOAT',
                        tensor_shape: { dim: shape(input.shape).map((size) => ({ size: String(size) })) },
                      },
                    },
                    outputs: { [output.name]: { dtype: 'DT_FLOAT' } },
                    method_name: 'tensorflow/serving/predict',
                  },
                },
              },
            },
          },
        };
      if (req.method !== 'POST') return { status: 405, body: { error: 'use POST' } };
      const r = jsonObject(body, '"instances" or "inputs"') as { instances?: unknown[]; inputs?: unknown };
      if ((r.instances === undefined) === (r.inputs === undefined))
        throw new HttpError(400, 'the request needs either "instances" or "inputs", not both and not neither');
      const rows =
        r.instances ??
        (r.inputs && typeof r.inputs === 'object' && !Array.isArray(r.inputs) ? Object.values(r.inputs)[0] : r.inputs);
      if (!Array.isArray(rows)) throw new HttpError(400, 'instances/inputs must be a list of rows');
      const where = r.instances !== undefined ? 'instances' : 'inputs';
      const out = await run(
        flattenData(rows, where),
        rows.length,
        (i) => `${where} row ${Math.floor(i / width) + 1}, feature ${(i % width) + 1} ('${input.name}')`,
      );
      const k = out.data.length / rows.length;
      const preds = Array.from({ length: rows.length }, (_, i) =>
        k === 1 ? out.data[i] : out.data.slice(i * k, i * k + k),
      );
      return { status: 200, body: r.instances ? { predictions: preds } : { outputs: preds } };
    }
    return { status: 404, body: { error: `no route for ${req.method} ${p}` } };
  };

  const cors = (req: IncomingMessage, res: ServerResponse) => {
    const origin = req.headers.origin;
    if (origin && (o.origins.includes('*') || o.origins.includes(origin))) {
      res.setHeader('Access-Control-Allow-Origin', o.origins.includes('*') ? '*' : origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'content-type, authorization, inference-header-content-length');
      res.setHeader('Access-Control-Max-Age', '600');
      res.setHeader('Access-Control-Expose-Headers', 'inference-header-content-length');
    }
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  };

  /**
   * A body over the limit: answer 413 with the reason and close the connection (Connection: close);
   * what the client still sends is discarded, never buffered. The close lingers a moment: closing at
   * once, with the client's bytes still arriving, resets the connection before it reads the 413.
   */
  const tooLarge = (req: IncomingMessage, res: ServerResponse) => {
    count++;
    cors(req, res);
    const socket = req.socket;
    socket.destroySoon = () => {
      socket.end();
      setTimeout(() => socket.destroy(), LINGER_MS).unref();
    };
    res
      .writeHead(413, { 'content-type': 'application/json', connection: 'close' })
      .end(JSON.stringify({ error: BODY_LIMIT_MESSAGE }));
    req.removeAllListeners('data');
    req.resume();
  };

  const server = createServer(
    { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: CHECK_MS },
    (req, res) => {
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > MAX_BODY_BYTES) return tooLarge(req, res);
      const parts: Buffer[] = [];
      let size = 0,
        over = false;
      req.on('data', (c: Buffer) => {
        if (over) return;
        size += c.length;
        if (size > MAX_BODY_BYTES) {
          over = true;
          parts.length = 0;
          return tooLarge(req, res);
        }
        parts.push(c);
      });
      req.on('error', () => {}); // a client that goes away mid-body: nothing to answer
      req.on('end', () => void answer(req, res, Buffer.concat(parts), over).catch(() => res.destroy()));
    },
  );
  // A request the parser cannot read (broken framing, oversized headers) or that did not arrive in
  // time: answered with the status and a JSON reason, then the connection is closed.
  server.on('clientError', (e: NodeJS.ErrnoException, socket) => {
    // An answer already under way on this socket (a 413 still discarding the body) cannot get another.
    const started = (socket as { _httpMessage?: ServerResponse })._httpMessage?.headersSent;
    if (e.code === 'ECONNRESET' || !socket.writable || started) return void socket.destroy();
    const a = clientErrorAnswer(e);
    const body = JSON.stringify({ error: a.error });
    const reason =
      a.status === 408 ? 'Request Timeout' : a.status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
    socket.end(
      `HTTP/1.1 ${a.status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `connection: close\r\n\r\n${body}`,
    );
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
  const answer = async (req: IncomingMessage, res: ServerResponse, body: Buffer, over: boolean) => {
    {
      if (over) return;
      count++;
      cors(req, res);
      if (req.method === 'OPTIONS') return void res.writeHead(204).end();
      if (o.faults.latencyMs) await new Promise((r) => setTimeout(r, o.faults.latencyMs));
      let result: Awaited<ReturnType<typeof handle>>;
      try {
        result = await handle(req, body);
      } catch (e) {
        result = errorAnswer(e);
      }
      if (result === 'stall') return; // never answers; the client's timeout must cope
      if (result === 'malformed')
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"outputs": [{"name": "outp');
      if (result.binary)
        return void res
          .writeHead(result.status, {
            'content-type': 'application/octet-stream',
            'inference-header-content-length': String(result.headerLength),
          })
          .end(result.binary);
      res.writeHead(result.status, { 'content-type': 'application/json' }).end(JSON.stringify(result.body));
    }
  };
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host ?? '127.0.0.1', resolve);
    });
  } catch (e) {
    await session.release();
    throw e;
  }
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${addr.address}:${addr.port}`,
    requests: () => count,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await session.release();
    },
  };
}

/** An answer to a request the client got wrong (4xx), with the reason. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A percent-encoded path segment, decoded; broken encoding (`%E0%A4%A`) is the client's error. */
function decodePart(segment: string, what: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(
      400,
      `the ${what} in the path, ${JSON.stringify(segment.slice(0, 200))}, is not valid percent-encoding`,
    );
  }
}

/** A request body that must be a JSON object (`needs` names what it should hold). */
function jsonObject(body: Buffer, needs: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new HttpError(400, `the request body is not JSON: ${(e as Error).message}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new HttpError(
      400,
      `the request body must be a JSON object with ${needs}; got ${v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v}`,
    );
  return v as Record<string, unknown>;
}

/**
 * The answer to an error thrown while handling a request: the client's mistakes (a refused request,
 * a malformed tensor) are 400s with the reason; anything else is a 500 that says so, without a stack.
 */
export function errorAnswer(e: unknown): { status: number; body: { error: string } } {
  if (e instanceof HttpError) return { status: e.status, body: { error: e.message } };
  if (e instanceof ServingError) return { status: 400, body: { error: e.message } };
  if (e instanceof SyntaxError) return { status: 400, body: { error: `the request body is not JSON: ${e.message}` } };
  const message = e instanceof Error ? e.message : String(e);
  return {
    status: 500,
    body: { error: `benchtop serve failed on this request: ${message.split('\n')[0]!.slice(0, 300)}` },
  };
}

export const SERVE_HELP =
  `benchtop serve --model DIR|ZIP|FILE.onnx [--name NAME] [--version V] [--port ` +
  `8500] [--cors-origin ORIGIN ...]
               [--latency MS] [--error-rate P] [--malformed-rate P] [--stall-rate P] [--seed S] [--per-feature-inputs]

Serves a model on loopback over the Open Inference Protocol (KServe V2: /v2/health/live|ready, /v2,
/v2/models/NAME[/versions/V][/ready|/infer]) and TensorFlow Serving REST (/v1/models/NAME[:predict|/metadata]),
running it with onnxruntime-node. A Benchtop model directory is exported to ONNX first. Inputs are the
model's preprocessed features (as in its ONNX export), as one tensor — or, with --per-feature-inputs
(model directories only), one [-1, 1] input per feature named by the feature, which clients must map.
KServe V2 infer also speaks Triton's binary tensor data extension (Inference-Header-Content-Length). CORS ` +
  `allows the app's dev and preview origins
(add more with --cors-origin, or '*'). Fault injection, for rehearsals: --latency adds milliseconds to
every answer; --error-rate, --malformed-rate and --stall-rate answer that fraction of inference calls
with a 500, a truncated body, or nothing (seeded by --seed). Request bodies are limited to 64 MiB
(a larger one is answered 413 with {"error":"request body is over the 64 MiB limit"}); a client has 10 s
to send the headers and 60 s for the whole request (else 408). A bad request is a 4xx with {"error": reason};
input values must be finite FP32 numbers. Prints one JSON line with the URL and model. A model it cannot
serve (unreadable ONNX, impossible dimensions, NaN weights, not exactly one float32 input, an operator or
opset onnxruntime-node lacks, a bad model folder) is refused with a JSON error naming the --model path on
stderr and exit code 2.
`;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('serve', {
    args: argv,
    options: {
      model: { type: 'string' },
      name: { type: 'string' },
      version: { type: 'string' },
      port: { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
      latency: { type: 'string' },
      'error-rate': { type: 'string' },
      'malformed-rate': { type: 'string' },
      'stall-rate': { type: 'string' },
      seed: { type: 'string' },
      'per-feature-inputs': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return (process.stdout.write(SERVE_HELP), 0);
  const num = (k: string, v: string | undefined, d: number, lo: number, hi: number) => {
    const x = v === undefined ? d : Number(v);
    if (!Number.isFinite(x) || x < lo || x > hi || (v !== undefined && v.trim() === ''))
      throw new UsageError(`--${k} must be a number from ${lo} to ${hi}; got "${v}"`, { option: `--${k}` });
    return x;
  };
  if (!values.model) throw new UsageError('--model is required', { option: '--model' });
  const faults: Faults = {
    latencyMs: num('latency', values.latency, 0, 0, 600_000),
    errorRate: num('error-rate', values['error-rate'], 0, 0, 1),
    malformedRate: num('malformed-rate', values['malformed-rate'], 0, 0, 1),
    stallRate: num('stall-rate', values['stall-rate'], 0, 0, 1),
    seed: num('seed', values.seed, 1, 0, 2 ** 31),
  };
  const port = num('port', values.port, 8500, 0, 65535);
  const loaded = await loadServable(values.model);
  if (!loaded.ok) return reportError(loaded.error, EXIT.input);
  const servable = loaded.value;
  const name = values.name ?? servable.name;
  if (values['per-feature-inputs'] && !servable.features)
    return reportError(
      {
        kind: 'usage',
        command: 'serve',
        option: '--per-feature-inputs',
        message:
          'benchtop serve: --per-feature-inputs needs a Benchtop model directory or zip (an .onnx file has no ' +
          'feature names).',
      },
      EXIT.usage,
    );
  let s: Awaited<ReturnType<typeof startServer>>;
  try {
    s = await startServer({
      perFeatureInputs: values['per-feature-inputs'] ? servable.features : undefined,
      onnx: servable.onnx,
      file: servable.file,
      name,
      version: values.version ?? '1',
      port,
      origins: [...APP_ORIGINS, ...(values['cors-origin'] ?? [])],
      faults,
    });
  } catch (e) {
    if (e instanceof ServeRefused) return reportError(e.problem, EXIT.input);
    const code = (e as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL')
      return reportError(
        {
          kind: 'port-unavailable',
          field: 'port',
          message:
            code === 'EADDRINUSE'
              ? `Port ${port} is already in use; choose another with --port (0 picks a free one).`
              : `Port ${port} cannot be opened here (${code}); choose another with --port.`,
        },
        EXIT.input,
      );
    throw e;
  }
  process.stdout.write(
    JSON.stringify({
      url: s.url,
      model: name,
      version: values.version ?? '1',
      kserve: `${s.url}/v2/models/${name}`,
      tfserving: `${s.url}/v1/models/${name}`,
      faults,
      maxBodyBytes: MAX_BODY_BYTES,
    }) + '\n',
  );
  await new Promise<void>((resolve) => {
    const stop = () => void s.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
