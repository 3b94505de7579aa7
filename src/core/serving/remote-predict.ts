import { DEFAULT_HTTP, ServingError, type CallTiming, type HttpOptions } from './http.ts';
import { inferTimed, type Endpoint, type InputPlan, type ModelMetadata } from './protocols.ts';

export interface RemoteOptions {
  /** Rows per request (1 = one request per row). */
  batchSize: number;
  /** Requests in flight at once. */
  concurrency: number;
  http?: HttpOptions;
  tfFormat?: 'row' | 'columnar';
  /** KServe V2: how features map to the server's inputs (default: one input takes them all). */
  plan?: InputPlan;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface RemoteResult {
  values: Float32Array;
  width: number;
  /** One entry per request: its timing, and the rows it carried. */
  calls: (CallTiming & { rows: number })[];
  wallMs: number;
}

/**
 * Predicts n rows of d features with a remote model, in batches, with at most `concurrency` requests
 * in flight; outputs come back in row order. Cancelling stops issuing requests.
 * Errors: the first failed request's ServingError (the others in flight are let finish).
 */
export async function predictRemote(
  e: Endpoint,
  meta: ModelMetadata | null,
  X: Float32Array,
  n: number,
  d: number,
  o: RemoteOptions,
): Promise<RemoteResult> {
  if (e.protocol === 'kserve-v2' && !meta)
    throw new ServingError('shape', 'KServe V2 inference needs the model metadata first.');
  const size = Math.max(1, Math.floor(o.batchSize));
  const batches = Math.ceil(n / size);
  const parts: Float32Array[] = new Array(batches);
  const calls: RemoteResult['calls'] = [];
  let width = -1,
    next = 0,
    done = 0;
  let failure: unknown = null;
  const t0 = performance.now();
  const worker = async () => {
    while (next < batches && !failure) {
      if (o.signal?.aborted) throw new ServingError('cancelled', 'Cancelled.');
      const b = next++;
      const lo = b * size,
        hi = Math.min(n, lo + size);
      const x = X.subarray(lo * d, hi * d);
      try {
        const r = await inferTimed(
          e,
          meta,
          x,
          hi - lo,
          d,
          { ...(o.http ?? DEFAULT_HTTP), signal: o.signal },
          o.plan,
          o.tfFormat,
        );
        if (width === -1) width = r.width;
        else if (r.width !== width)
          throw new ServingError(
            'shape',
            `The server returned ${r.width} values per row in one batch and ${width} in another.`,
          );
        parts[b] = r.values;
        calls.push({ ...r.timing, rows: hi - lo });
        done += hi - lo;
        o.onProgress?.(done, n);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, batches)) }, worker));
  if (failure) throw failure;
  const values = new Float32Array(n * Math.max(width, 0));
  parts.forEach((p, b) => values.set(p, b * size * width));
  return { values, width, calls, wallMs: performance.now() - t0 };
}

/** p50/p95/p99 of a list of milliseconds (nearest rank). */
export function latencySummary(ms: number[]): { p50: number; p95: number; p99: number; mean: number } {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]! : NaN);
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), mean: s.reduce((a, b) => a + b, 0) / (s.length || 1) };
}
