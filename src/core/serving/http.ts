import { parseTolerantJson, JsonSyntaxError } from './tolerant-json.ts';

/** Why a call to a model server failed — each kind gets its own plain message. */
export type ServingErrorKind = 'unreachable' | 'timeout' | 'http' | 'malformed' | 'shape' | 'cancelled';

export class ServingError extends Error {
  constructor(
    readonly kind: ServingErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface HttpOptions {
  /** Milliseconds before a call is abandoned. */
  timeoutMs: number;
  /** Extra attempts for idempotent calls (GET), with exponential backoff from `backoffMs`. */
  retries: number;
  backoffMs: number;
  /** An auth header, such as `Authorization: Bearer …` — kept in memory only by the caller. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** fetch to use (tests pass none: the real one against a loopback server). */
  fetch?: typeof fetch;
}

export const DEFAULT_HTTP: HttpOptions = Object.freeze({ timeoutMs: 10_000, retries: 2, backoffMs: 200 });

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(new ServingError('cancelled', 'Cancelled.'))), {
      once: true,
    });
  });

/**
 * One JSON call to a model server: a timeout, retries with backoff for GETs (never for POSTs, which
 * may not be idempotent), and errors that name the cause — unreachable (in a browser, often CORS: the
 * page cannot tell the two apart), timeout, an HTTP status with the server's `{"error"}` text, or a
 * body that is not JSON (non-finite numbers are accepted).
 */
export interface CallTiming {
  /** Whole call, request encoding and response decoding (ms), and bytes sent and received. */
  totalMs: number;
  encodeMs: number;
  decodeMs: number;
  bytesSent: number;
  bytesReceived: number;
}

/** A request body in Triton's binary tensor extension: JSON header bytes then raw tensors. */
export interface BinaryPayload {
  binary: Uint8Array;
  headerLength: number;
}
const isBinary = (b: unknown): b is BinaryPayload =>
  !!b &&
  typeof b === 'object' &&
  (b as BinaryPayload).binary instanceof Uint8Array &&
  typeof (b as BinaryPayload).headerLength === 'number';

/**
 * A response with `Inference-Header-Content-Length` is split: its JSON header becomes `body`, the
 * bytes after it `binary` (cross-origin, the server must expose that header).
 */
export async function callJson(
  url: string,
  init: { method: 'GET' | 'POST'; body?: unknown },
  opts: HttpOptions = DEFAULT_HTTP,
): Promise<{ status: number; body: unknown; binary?: Uint8Array; timing: CallTiming }> {
  const f = opts.fetch ?? fetch;
  const attempts = init.method === 'GET' ? 1 + opts.retries : 1;
  let last: ServingError | null = null;
  for (let a = 0; a < attempts; a++) {
    if (a > 0) await sleep(opts.backoffMs * 2 ** (a - 1), opts.signal);
    const t0 = performance.now();
    const bin = isBinary(init.body) ? init.body : null;
    const payload = init.body === undefined ? undefined : bin ? bin.binary : JSON.stringify(init.body);
    const encodeMs = performance.now() - t0;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), opts.timeoutMs);
    const onAbort = () => ctl.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let res: Response;
      try {
        const type: Record<string, string> = bin
          ? { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(bin.headerLength) }
          : init.body !== undefined
            ? { 'content-type': 'application/json' }
            : {};
        res = await f(url, {
          method: init.method,
          headers: { ...type, ...opts.headers },
          body: payload as BodyInit | undefined,
          signal: ctl.signal,
        });
      } catch (e) {
        if (opts.signal?.aborted) throw new ServingError('cancelled', 'Cancelled.');
        if (ctl.signal.aborted)
          throw new ServingError('timeout', `${init.method} ${url} did not answer within ${opts.timeoutMs} ms.`);
        throw new ServingError(
          'unreachable',
          `${init.method} ${url} could not be reached (${(e as Error).message}). The server may be down, the ` +
            `address wrong, or — from a web page — the server does not allow this origin (CORS); see the ` +
            `README's proxy recipe.`,
        );
      }
      let text: string, bytes: Uint8Array, binary: Uint8Array | undefined;
      try {
        bytes = new Uint8Array(await res.arrayBuffer());
        const hl = res.headers.get('inference-header-content-length');
        if (hl !== null && res.ok) {
          const n = Number(hl);
          if (!Number.isInteger(n) || n < 0 || n > bytes.length)
            throw new ServingError(
              'malformed',
              `${init.method} ${url}: Inference-Header-Content-Length ${hl} does not fit a ${bytes.length}-byte body.`,
              res.status,
            );
          text = new TextDecoder().decode(bytes.subarray(0, n));
          binary = bytes.subarray(n);
        } else text = new TextDecoder().decode(bytes);
      } catch (e) {
        if (e instanceof ServingError) throw e;
        if (ctl.signal.aborted)
          throw new ServingError(
            'timeout',
            `${init.method} ${url} stalled: no complete answer within ${opts.timeoutMs} ms.`,
          );
        throw new ServingError('malformed', `${init.method} ${url}: the response body could not be read.`);
      }
      let body: unknown = undefined;
      const t1 = performance.now();
      if (text.trim()) {
        try {
          body = parseTolerantJson(text);
        } catch (e) {
          if (res.ok)
            throw new ServingError(
              'malformed',
              `${init.method} ${url} answered ${res.status} with a body that is not ` +
                `JSON: ${(e as JsonSyntaxError).message}.`,
              res.status,
            );
        }
      }
      if (!res.ok) {
        const err =
          body && typeof body === 'object' && 'error' in body
            ? String((body as { error: unknown }).error)
            : text.slice(0, 200) || res.statusText;
        throw new ServingError('http', `${init.method} ${url} answered HTTP ${res.status}: ${err}`, res.status);
      }
      const decodeMs = performance.now() - t1;
      return {
        status: res.status,
        body,
        binary,
        timing: {
          totalMs: performance.now() - t0,
          encodeMs,
          decodeMs,
          bytesSent: payload?.length ?? 0,
          bytesReceived: bytes.length,
        },
      };
    } catch (e) {
      if (!(e instanceof ServingError)) throw e;
      last = e;
      // Retry only what another attempt might fix: no answer, a timeout, or a 5xx.
      if (e.kind === 'cancelled' || e.kind === 'malformed' || (e.kind === 'http' && (e.status ?? 0) < 500)) throw e;
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }
  throw last!;
}
