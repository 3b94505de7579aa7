import type { Preprocessor } from '../data/preprocess.ts';
import { transformFeatures } from '../data/preprocess.ts';
import type { Table } from '../data/table.ts';
import { runSplitRows } from '../evaluation/report.ts';
import type { RunRecord } from '../model/spec.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import { ServingError, type HttpOptions } from './http.ts';
import {
  health,
  kserveMetadata,
  kserveRequest,
  planInputs,
  tfServingRequest,
  tfServingStatus,
  type Endpoint,
  type ModelMetadata,
} from './protocols.ts';

/** What a check of an endpoint found, and the request one row would send. */
export interface ProbeResult {
  live: boolean;
  ready: boolean;
  modelReady: boolean;
  metadata?: ModelMetadata;
  versions?: { version: string; state: string }[];
  preview: string;
  /** The dataset row the preview encodes (-1: zeros, the dataset was not available). */
  previewRow: number;
  /** The model's encoded features, and (KServe V2) which of them go to each server input. */
  features: string[];
  mapping?: { input: string; datatype: string; features: string[] }[];
  /** Why no request can be built (an unmapped input, a width or datatype mismatch). */
  planError?: string;
}

/** The encoded features of the model that the probe's request preview sends. */
export type ProbeFeatures = Pick<Preprocessor, 'inputSize' | 'inputNames'>;

/** One encoded row for the preview, and which dataset row it is (-1: zeros). */
export interface ProbeSample {
  x: Float32Array;
  row: number;
}

/**
 * The row a probe previews: the first row of the run's test split (else validation), encoded by the
 * model's preprocessor. Without a table, or when the split or the encoding fails, a row of zeros
 * (`row: -1`) — the probe still runs. Cost: one split of the table and one encoded row.
 */
export function probeSample(
  run: RunRecord,
  pre: Preprocessor,
  source: { table: Table; name: string } | null,
): ProbeSample {
  const zeros = { x: new Float32Array(pre.inputSize), row: -1 };
  if (!source) return zeros;
  const s = runSplitRows(run, source.table);
  const rows = s.ok ? (s.value.test.length ? s.value.test : s.value.validation) : null;
  if (!rows?.length) return zeros;
  const X = transformFeatures(pre, source.table, rows.subarray(0, 1), source.name);
  return X.ok ? { x: X.value, row: rows[0]! } : zeros;
}

/**
 * Checks a model server before anything is sent to it: liveness and readiness (see `health`), the
 * model's metadata (KServe V2) or version status (TF Serving), and the request one row would send,
 * pretty-printed for the person to read. For KServe V2 the input plan is worked out from the metadata;
 * a plan that cannot be built is reported in `planError` (the probe itself still succeeds).
 *
 * The HTTP client is `http.fetch` (injected; the global one when absent). Cost: 3–4 GETs, with the
 * retries of `http`.
 * @returns `endpoint-<kind>` failures (unreachable, timeout, http, malformed, shape) with the server's text.
 * @throws only bugs (errors that are not a ServingError).
 * @example await probeEndpoint({ url, protocol: 'kserve-v2', model: 'm' }, DEFAULT_HTTP, pre, sample)
 */
export async function probeEndpoint(
  endpoint: Endpoint,
  http: HttpOptions,
  pre: ProbeFeatures,
  sample: ProbeSample,
): Promise<Result<ProbeResult>> {
  const d = pre.inputSize,
    { x, row } = sample;
  try {
    const state = await health(endpoint, http);
    if (endpoint.protocol === 'kserve-v2') {
      const metadata = await kserveMetadata(endpoint, http);
      let preview: string, mapping: ProbeResult['mapping'], planError: string | undefined;
      try {
        const plan = planInputs(metadata, d, pre.inputNames, endpoint.inputMap);
        mapping = plan.inputs.map((i) => ({
          input: i.name,
          datatype: i.datatype,
          features: i.columns ? i.columns.map((c) => pre.inputNames[c]!) : [...pre.inputNames],
        }));
        const req = kserveRequest(metadata, x, 1, d, 'preview', plan, endpoint.binary, pre.inputNames);
        const bytes = req.tensors.reduce((a, b) => a + b.length, 0);
        preview =
          JSON.stringify(req.json, null, 1) +
          (endpoint.binary
            ? `\n+ ${bytes} bytes of binary tensor data ` +
              `(Inference-Header-Content-Length: ${JSON.stringify(req.json).length})`
            : '');
      } catch (e) {
        planError = (e as Error).message;
        preview = `(no request can be built: ${planError})`;
      }
      return ok({ ...state, metadata, preview, previewRow: row, features: pre.inputNames, mapping, planError });
    }
    const versions = await tfServingStatus(endpoint, http);
    return ok({
      ...state,
      versions,
      preview: JSON.stringify(tfServingRequest(x, 1, d, 'row'), null, 1),
      previewRow: row,
      features: pre.inputNames,
    });
  } catch (e) {
    if (e instanceof ServingError) return fail({ kind: `endpoint-${e.kind}`, message: e.message });
    throw e;
  }
}
