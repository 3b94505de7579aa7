import { callJson, DEFAULT_HTTP, ServingError, type CallTiming, type HttpOptions } from './http.ts';
import {
  binaryBody,
  checkValues,
  decodeTensor,
  encodeTensor,
  isNumericDatatype,
  splitBinary,
  type NumericDatatype,
} from './binary-tensor.ts';

/** An endpoint the person configured: where, which protocol, which model and version. */
export interface Endpoint {
  url: string;
  protocol: 'kserve-v2' | 'tfserving';
  model: string;
  version?: string;
  /** TF Serving only: a version label such as `stable` (never together with a version). */
  label?: string;
  /** KServe V2: send and ask for tensors in Triton's binary tensor data extension instead of JSON. */
  binary?: boolean;
  /**
   * KServe V2: which encoded features go to which server input, by name (`{"age": ["age"], "x": [...]}`).
   * Without it: one input takes every feature; several inputs are matched to features by name.
   */
  inputMap?: Record<string, string[]>;
}

export interface TensorMeta {
  name: string;
  datatype: string;
  shape: number[];
}

export interface ModelMetadata {
  name: string;
  versions?: string[];
  platform?: string;
  inputs: TensorMeta[];
  outputs: TensorMeta[];
}

/** Row-major outputs of a model server for n rows: n × width. */
export interface Prediction {
  values: Float32Array;
  width: number;
}

const trimUrl = (u: string) => u.replace(/\/+$/, '');
const enc = encodeURIComponent;

function modelPath(e: Endpoint): string {
  if (e.protocol === 'kserve-v2')
    return `${trimUrl(e.url)}/v2/models/${enc(e.model)}${e.version ? `/versions/${enc(e.version)}` : ''}`;
  if (e.version && e.label) throw new ServingError('shape', 'TensorFlow Serving takes a version or a label, not both.');
  if (e.version && !/^\d+$/.test(e.version))
    throw new ServingError(
      'shape',
      `TensorFlow Serving versions are numbers; "${e.version}" is not (use a label instead).`,
    );
  return (
    `${trimUrl(e.url)}/v1/models/${enc(e.model)}` +
    (e.version ? `/versions/${e.version}` : e.label ? `/labels/${enc(e.label)}` : '')
  );
}

/** The deepest nesting of `data` accepted: tensors have a handful of dimensions, never thousands. */
export const MAX_DATA_DEPTH = 64;

/** A short description of a value that is not a number (never walks into it: it may be deep). */
function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/**
 * Flattens nested or flat row-major `data` into numbers; booleans become 0/1. Iterative, so deep
 * nesting cannot overflow the stack; nesting deeper than MAX_DATA_DEPTH is refused.
 * @throws ServingError('malformed') naming `where` and what was found.
 */
export function flattenData(data: unknown, where: string): number[] {
  const out: number[] = [];
  const leaf = (v: unknown) => {
    if (typeof v === 'number') out.push(v);
    else if (typeof v === 'boolean') out.push(v ? 1 : 0);
    else throw new ServingError('malformed', `${where}: expected numbers, found ${describeValue(v)}.`);
  };
  if (!Array.isArray(data)) return (leaf(data), out);
  const stack: { a: unknown[]; i: number }[] = [{ a: data, i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.i >= top.a.length) {
      stack.pop();
      continue;
    }
    const v = top.a[top.i++];
    if (!Array.isArray(v)) leaf(v);
    else if (stack.length >= MAX_DATA_DEPTH)
      throw new ServingError(
        'malformed',
        `${where}: the data is nested more than ${MAX_DATA_DEPTH} levels deep; send it flat or nested by its shape.`,
      );
    else stack.push({ a: v, i: 0 });
  }
  return out;
}

/** Liveness and readiness: the status code decides (empty, JSON or text bodies are all accepted). */
export async function health(
  e: Endpoint,
  opts: HttpOptions = DEFAULT_HTTP,
): Promise<{ live: boolean; ready: boolean; modelReady: boolean }> {
  const ok = async (url: string) => {
    try {
      await callJson(url, { method: 'GET' }, opts);
      return true;
    } catch (err) {
      if (err instanceof ServingError && err.kind === 'http') return false;
      throw err;
    }
  };
  if (e.protocol === 'kserve-v2') {
    const base = trimUrl(e.url);
    return {
      live: await ok(`${base}/v2/health/live`),
      ready: await ok(`${base}/v2/health/ready`),
      modelReady: await ok(`${modelPath(e)}/ready`),
    };
  }
  const s = await tfServingStatus(e, opts).catch((err) => {
    if (err instanceof ServingError && err.kind === 'http') return null;
    throw err;
  });
  const available = !!s?.some((v) => v.state === 'AVAILABLE');
  return { live: true, ready: available, modelReady: available };
}

/** KServe V2 model metadata, checked for the fields the client needs. */
export async function kserveMetadata(e: Endpoint, opts: HttpOptions = DEFAULT_HTTP): Promise<ModelMetadata> {
  const url = modelPath(e);
  const { body } = await callJson(url, { method: 'GET' }, opts);
  const b = body as Partial<ModelMetadata> | undefined;
  const tensors = (x: unknown, field: string): TensorMeta[] => {
    if (!Array.isArray(x)) throw new ServingError('malformed', `${url}: model metadata has no "${field}" list.`);
    return x.map((t: Partial<TensorMeta>, i) => {
      if (typeof t?.name !== 'string' || typeof t.datatype !== 'string' || !Array.isArray(t.shape))
        throw new ServingError('malformed', `${url}: ${field}[${i}] needs name, datatype and shape.`);
      return { name: t.name, datatype: t.datatype, shape: t.shape.map(Number) };
    });
  };
  if (!b || typeof b.name !== 'string') throw new ServingError('malformed', `${url}: model metadata has no "name".`);
  return {
    name: b.name,
    versions: b.versions,
    platform: b.platform,
    inputs: tensors(b.inputs, 'inputs'),
    outputs: tensors(b.outputs, 'outputs'),
  };
}

/** How rows of the encoded feature matrix become the server's input tensors. */
export interface InputPlan {
  inputs: { name: string; datatype: NumericDatatype; shape: number[]; columns: number[] | null }[];
  output?: string;
}

/**
 * Plans the inputs of a KServe V2 request from the model's metadata: one input takes every feature
 * (checked against its declared width); several are matched to features by name, or by `map`.
 * `features` are the encoded feature names (`col` or `col=value`), in matrix order.
 * Errors name the input and the fix.
 */
export function planInputs(
  meta: ModelMetadata,
  d: number,
  features: readonly string[] | null,
  map?: Record<string, string[]>,
): InputPlan {
  if (!meta.inputs.length) throw new ServingError('shape', `Model "${meta.name}" declares no inputs.`);
  const index = (f: string, input: string) => {
    const i = features?.indexOf(f) ?? -1;
    if (i < 0)
      throw new ServingError(
        'shape',
        `Input "${input}" is mapped to feature "${f}", which this model version does not have` +
          (features ? ` (it has ${features.slice(0, 12).join(', ')}${features.length > 12 ? ', …' : ''})` : '') +
          `.`,
      );
    return i;
  };
  const hasMap = map && Object.keys(map).length > 0;
  const inputs = meta.inputs.map((t) => {
    if (!isNumericDatatype(t.datatype))
      throw new ServingError(
        'shape',
        `Model "${meta.name}" input "${t.name}" has datatype ${t.datatype}; Benchtop sends numeric features ` +
          `(BOOL, INT*, UINT*, FP16/32/64).`,
      );
    let columns: number[] | null;
    if (hasMap) {
      const names = map![t.name];
      if (!names?.length)
        throw new ServingError(
          'shape',
          `Input "${t.name}" of model "${meta.name}" is not mapped to any feature; map every input ` +
            `(${meta.inputs.map((x) => x.name).join(', ')}).`,
        );
      columns = names.map((f) => index(f, t.name));
    } else if (meta.inputs.length === 1) columns = null;
    else {
      const i = features ? features.findIndex((f) => f === t.name) : -1;
      const j = i >= 0 ? i : features ? features.findIndex((f) => f.toLowerCase() === t.name.toLowerCase()) : -1;
      if (j < 0)
        throw new ServingError(
          'shape',
          `Model "${meta.name}" takes ${meta.inputs.length} inputs ` +
            `(${meta.inputs.map((x) => x.name).join(', ')}); "${t.name}" matches no feature by name. Map the ` +
            `features to the inputs.`,
        );
      columns = [j];
    }
    const width = columns ? columns.length : d;
    const want = t.shape.length > 1 ? t.shape.at(-1) : 1;
    if (want !== undefined && want !== -1 && want !== width)
      throw new ServingError(
        'shape',
        `Model "${meta.name}" input "${t.name}" expects ${want} features per row (shape ` +
          `[${t.shape.join(', ')}]); ${columns ? `${width} are mapped to it` : `the dataset gives ${width}`}.`,
      );
    return { name: t.name, datatype: t.datatype, shape: t.shape, columns };
  });
  return { inputs, output: meta.outputs[0]?.name };
}

/** The values of one input for n rows: its columns of X, row-major. */
function inputValues(X: Float32Array, n: number, d: number, columns: number[] | null): Float32Array {
  if (!columns) return X.subarray(0, n * d);
  const out = new Float32Array(n * columns.length);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < columns.length; j++) out[i * columns.length + j] = X[i * d + columns[j]!]!;
  return out;
}

/**
 * The KServe V2 request for n rows of d features (shown to the person as a preview). JSON tensors,
 * or with `binary` Triton's binary extension: the JSON part names each tensor's byte count.
 */
export function kserveRequest(
  meta: ModelMetadata,
  X: Float32Array,
  n: number,
  d: number,
  id: string,
  plan: InputPlan = planInputs(meta, d, null),
  binary = false,
  features?: readonly string[],
): { json: object; tensors: Uint8Array[] } {
  const tensors: Uint8Array[] = [];
  const inputs = plan.inputs.map((t) => {
    const values = inputValues(X, n, d, t.columns);
    const width = t.columns ? t.columns.length : d;
    checkValues(
      values,
      t.datatype,
      t.name,
      (i) =>
        `feature "${features?.[t.columns ? t.columns[i % width]! : i % width] ?? `#${i % width}`}" in ` +
        `row ${Math.floor(i / width) + 1} of the request`,
    );
    const shape = t.shape.length === 1 && width === 1 ? [n] : [n, width];
    if (binary) {
      const bytes = encodeTensor(values, t.datatype);
      tensors.push(bytes);
      return { name: t.name, shape, datatype: t.datatype, parameters: { binary_data_size: bytes.length } };
    }
    return { name: t.name, shape, datatype: t.datatype, data: Array.from(values) };
  });
  const outputs = plan.output
    ? [{ name: plan.output, ...(binary ? { parameters: { binary_data: true } } : {}) }]
    : undefined;
  return { json: { id, inputs, outputs }, tensors };
}

/**
 * Reads a KServe V2 infer response: the first (or requested) output, its shape checked, its id
 * echoed; binary outputs are read from the bytes after the JSON header.
 */
export function kserveResponse(
  body: unknown,
  n: number,
  id: string,
  output?: string,
  where = 'infer',
  binary?: Uint8Array,
): Prediction {
  const b = body as {
    model_name?: unknown;
    id?: unknown;
    outputs?: {
      name?: string;
      shape?: number[];
      datatype?: string;
      data?: unknown;
      parameters?: { binary_data_size?: unknown };
    }[];
  };
  if (!b || typeof b !== 'object' || !Array.isArray(b.outputs) || !b.outputs.length)
    throw new ServingError('malformed', `${where}: the response has no "outputs".`);
  if (b.id !== undefined && String(b.id) !== id)
    throw new ServingError(
      'malformed',
      `${where}: the response id "${String(b.id)}" does not match the request id "${id}".`,
    );
  const o = output ? b.outputs.find((x) => x.name === output) : b.outputs[0];
  if (!o) throw new ServingError('malformed', `${where}: the response has no output "${output}".`);
  let values: ArrayLike<number>;
  if (o.parameters?.binary_data_size !== undefined) {
    if (!binary)
      throw new ServingError(
        'malformed',
        `${where}: output "${o.name}" is binary, but the response has no Inference-Header-Content-Length ` +
          `header (cross-origin, the server must expose it).`,
      );
    values = decodeTensor(
      splitBinary(b.outputs, binary, where).get(String(o.name))!,
      String(o.datatype),
      `${where}: output "${o.name}"`,
    );
  } else values = flattenData(o.data, `${where}: output "${o.name}"`);
  const shape = Array.isArray(o.shape) ? o.shape.map(Number) : [];
  if (shape.length && shape.reduce((a, c) => a * c, 1) !== values.length)
    throw new ServingError(
      'shape',
      `${where}: output "${o.name}" has shape [${shape.join(', ')}] but ${values.length} values.`,
    );
  if (shape[0] !== undefined && shape[0] !== n)
    throw new ServingError('shape', `${where}: output "${o.name}" has ${shape[0]} rows for ${n} rows sent.`);
  if (values.length % n)
    throw new ServingError('shape', `${where}: ${values.length} output values do not divide into ${n} rows.`);
  return { values: Float32Array.from(values), width: values.length / n };
}

let counter = 0;

export async function kserveInfer(
  e: Endpoint,
  meta: ModelMetadata,
  X: Float32Array,
  n: number,
  d: number,
  opts: HttpOptions = DEFAULT_HTTP,
  plan?: InputPlan,
): Promise<Prediction> {
  return kserveInferTimed(e, meta, X, n, d, opts, plan);
}

/** KServe V2 infer, with the call's timing and bytes. */
export async function kserveInferTimed(
  e: Endpoint,
  meta: ModelMetadata,
  X: Float32Array,
  n: number,
  d: number,
  opts: HttpOptions = DEFAULT_HTTP,
  plan: InputPlan = planInputs(meta, d, null, e.inputMap),
): Promise<Prediction & { timing: CallTiming }> {
  const url = `${modelPath(e)}/infer`;
  const id = `bt-${Date.now().toString(36)}-${++counter}`;
  const req = kserveRequest(meta, X, n, d, id, plan, e.binary);
  const payload = e.binary
    ? (({ body, headerLength }) => ({ binary: body, headerLength }))(binaryBody(req.json, req.tensors))
    : req.json;
  const { body, binary, timing } = await callJson(url, { method: 'POST', body: payload }, opts);
  const t = performance.now();
  const p = kserveResponse(body, n, id, plan.output, url, binary);
  return { ...p, timing: { ...timing, decodeMs: timing.decodeMs + performance.now() - t } };
}

export interface VersionStatus {
  version: string;
  state: string;
  error?: string;
}

export async function tfServingStatus(e: Endpoint, opts: HttpOptions = DEFAULT_HTTP): Promise<VersionStatus[]> {
  const url = modelPath(e);
  const { body } = await callJson(url, { method: 'GET' }, opts);
  const list = (
    body as {
      model_version_status?: {
        version?: unknown;
        state?: unknown;
        status?: { error_code?: string; error_message?: string };
      }[];
    }
  )?.model_version_status;
  if (!Array.isArray(list)) throw new ServingError('malformed', `${url}: the status has no "model_version_status".`);
  return list.map((v) => ({
    version: String(v.version),
    state: String(v.state),
    error:
      v.status?.error_code && v.status.error_code !== 'OK'
        ? `${v.status.error_code}: ${v.status.error_message ?? ''}`
        : undefined,
  }));
}

/** The TF Serving predict request: row format (`instances`) or columnar (`inputs`). */
export function tfServingRequest(
  X: Float32Array,
  n: number,
  d: number,
  format: 'row' | 'columnar',
  signature?: string,
): object {
  const rows = Array.from({ length: n }, (_, i) => Array.from(X.subarray(i * d, (i + 1) * d)));
  return {
    ...(signature ? { signature_name: signature } : {}),
    ...(format === 'row' ? { instances: rows } : { inputs: rows }),
  };
}

/** Reads `predictions` (row format) or `outputs` (columnar; the first named output if several). */
export function tfServingResponse(body: unknown, n: number, format: 'row' | 'columnar', where = 'predict'): Prediction {
  const b = body as { predictions?: unknown; outputs?: unknown };
  let data = format === 'row' ? b?.predictions : b?.outputs;
  if (data === undefined)
    throw new ServingError(
      'malformed',
      `${where}: the response has no "${format === 'row' ? 'predictions' : 'outputs'}".`,
    );
  if (data && typeof data === 'object' && !Array.isArray(data)) data = Object.values(data)[0];
  if (!Array.isArray(data) || data.length !== n)
    throw new ServingError(
      'shape',
      `${where}: ${Array.isArray(data) ? data.length : 'no'} predictions for ${n} rows sent.`,
    );
  if (format === 'row' && data.some((r) => r && typeof r === 'object' && !Array.isArray(r)))
    data = data.map((r) => (r && typeof r === 'object' && !Array.isArray(r) ? Object.values(r as object)[0] : r));
  const values = flattenData(data, `${where}: predictions`);
  if (values.length % n)
    throw new ServingError('shape', `${where}: ${values.length} values do not divide into ${n} rows.`);
  return { values: Float32Array.from(values), width: values.length / n };
}

export async function tfServingPredict(
  e: Endpoint,
  X: Float32Array,
  n: number,
  d: number,
  format: 'row' | 'columnar' = 'row',
  opts: HttpOptions = DEFAULT_HTTP,
): Promise<Prediction> {
  return tfServingPredictTimed(e, X, n, d, format, opts);
}

export async function tfServingPredictTimed(
  e: Endpoint,
  X: Float32Array,
  n: number,
  d: number,
  format: 'row' | 'columnar' = 'row',
  opts: HttpOptions = DEFAULT_HTTP,
): Promise<Prediction & { timing: CallTiming }> {
  const url = `${modelPath(e)}:predict`;
  const { body, timing } = await callJson(url, { method: 'POST', body: tfServingRequest(X, n, d, format) }, opts);
  const t = performance.now();
  const p = tfServingResponse(body, n, format, url);
  return { ...p, timing: { ...timing, decodeMs: timing.decodeMs + performance.now() - t } };
}

/**
 * One inference call in the endpoint's protocol, timed: KServe V2 (with its metadata and input plan)
 * or TF Serving (row or columnar format).
 */
export function inferTimed(
  e: Endpoint,
  meta: ModelMetadata | null,
  X: Float32Array,
  n: number,
  d: number,
  opts: HttpOptions,
  plan?: InputPlan,
  tfFormat: 'row' | 'columnar' = 'row',
): Promise<Prediction & { timing: CallTiming }> {
  if (e.protocol === 'kserve-v2') {
    if (!meta) throw new ServingError('shape', 'KServe V2 inference needs the model metadata first.');
    return kserveInferTimed(e, meta, X, n, d, opts, plan);
  }
  return tfServingPredictTimed(e, X, n, d, tfFormat, opts);
}
