import type { Table } from '../data/table.ts';
import { encodeLabels, transformFeatures, type Preprocessor } from '../data/preprocess.ts';
import { loadPredictor } from '../model/predict-table.ts';
import { toProbabilities } from '../model/onnx-runner.ts';
import type { TrainedModel } from '../model/spec.ts';
import { DEFAULT_HTTP, type HttpOptions } from '../serving/http.ts';
import { inferTimed, kserveMetadata, planInputs, type Endpoint, type InputPlan } from '../serving/protocols.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import { heldOutRows, runSplitRows } from '../evaluation/report.ts';
import type { RunRecord } from '../model/spec.ts';
import {
  constantResponder,
  rehearse,
  type RehearsalConfig,
  type RehearsalHooks,
  type RehearsalKind,
  type RehearsalResult,
  type ReplayStream,
  type Responder,
} from './rehearsal.ts';

/** Who answers one side of a rehearsal: a model in this worker, a model server, or the heuristic. */
export type SideSpec =
  | { kind: 'local'; name: string; model: TrainedModel }
  | { kind: 'remote'; name: string; endpoint: Endpoint; http?: Partial<HttpOptions> }
  | { kind: 'heuristic'; name: string };

export interface StreamContext {
  table: Table;
  tableName: string;
  /** Table rows of the replayed stream, in replay order. */
  rows: Uint32Array;
  /** The champion run's preprocessing: remote sides get rows encoded this way. */
  pre: Preprocessor;
  /** Outputs of the heuristic backup (majority class probabilities, or the training mean). */
  heuristic: Float64Array;
}

/** The replayed stream's labels, encoded by the champion's preprocessor. */
export function replayStream(ctx: StreamContext): Result<ReplayStream> {
  const y = encodeLabels(ctx.pre, ctx.table, ctx.rows, ctx.tableName);
  if (!y.ok) return y;
  const l = ctx.pre.label;
  return ok({ n: ctx.rows.length, y: y.value, task: l.task, classes: l.task === 'classification' ? l.classes : [] });
}

const sameClasses = (a: Preprocessor, b: Preprocessor) =>
  JSON.stringify(a.label.task === 'classification' ? a.label.classes : a.label.task) ===
  JSON.stringify(b.label.task === 'classification' ? b.label.classes : b.label.task);

/**
 * Builds a responder for one side. Local models encode the stream with their own preprocessing (two
 * versions may use different features); their graph is loaded once. Call dispose() when done.
 */
export async function buildResponder(
  spec: SideSpec,
  ctx: StreamContext,
): Promise<Result<Responder & { dispose(): void }>> {
  const k = ctx.pre.label.task === 'classification' ? ctx.pre.label.classes.length : 1;
  if (spec.kind === 'heuristic') return ok({ ...constantResponder(spec.name, ctx.heuristic), dispose: () => {} });
  if (spec.kind === 'local') {
    const pre = spec.model.preprocessor;
    if (!sameClasses(pre, ctx.pre))
      return fail({
        kind: 'rehearsal-mismatch',
        message:
          `${spec.name} predicts different classes (or a different task) from the champion's; both ` +
          `sides of a rehearsal must answer the same question.`,
      });
    const X = transformFeatures(pre, ctx.table, ctx.rows, ctx.tableName);
    if (!X.ok) return X;
    const p = await loadPredictor(spec.model);
    const d = pre.inputSize;
    // One prediction at a time: a rehearsal may send requests concurrently, and not every runtime's
    // session takes overlapping runs (local work is CPU-bound, so queueing costs nothing).
    let queue: Promise<unknown> = Promise.resolve();
    return ok({
      name: spec.name,
      kind: 'local',
      predict: (rows) => {
        const next = queue.then(() => p.predict(gather(X.value, d, rows), rows.length));
        queue = next.catch(() => {});
        return next;
      },
      dispose: () => p.dispose(),
    });
  }
  const X = transformFeatures(ctx.pre, ctx.table, ctx.rows, ctx.tableName);
  if (!X.ok) return X;
  const d = ctx.pre.inputSize,
    http = { ...DEFAULT_HTTP, ...spec.http };
  const e = spec.endpoint;
  let meta: Awaited<ReturnType<typeof kserveMetadata>> | null = null;
  let plan: InputPlan | undefined;
  if (e.protocol === 'kserve-v2') {
    meta = await kserveMetadata(e, http);
    plan = planInputs(meta, d, ctx.pre.inputNames, e.inputMap);
  }
  return ok({
    name: spec.name,
    kind: 'remote',
    predict: async (rows, signal) => {
      const x = gather(X.value, d, rows),
        n = rows.length;
      const r = await inferTimed(e, meta, x, n, d, { ...http, signal }, plan);
      if (r.values.length !== n * r.width)
        throw new Error(`the server returned ${r.values.length} values for ${n} rows`);
      return ctx.pre.label.task === 'classification' ? toProbabilities(r.values, n, k) : Float64Array.from(r.values);
    },
    dispose: () => {},
  });
}

/** Rows of a row-major matrix, in the given order. */
function gather(X: Float32Array, d: number, rows: Int32Array): Float32Array {
  if (rows.length === 1) return X.subarray(rows[0]! * d, (rows[0]! + 1) * d);
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => out.set(X.subarray(r * d, (r + 1) * d), i * d));
  return out;
}

/** The heuristic's answer from training labels: the majority class (one-hot) or the mean value. */
export function heuristicOutput(
  pre: Preprocessor,
  trainLabels: Int32Array | Float32Array,
): { output: Float64Array; name: string } {
  if (pre.label.task === 'classification') {
    const k = pre.label.classes.length,
      counts = new Float64Array(k);
    for (const y of trainLabels) counts[y]!++;
    let b = 0;
    for (let j = 1; j < k; j++) if (counts[j]! > counts[b]!) b = j;
    const out = new Float64Array(k);
    out[b] = 1;
    return { output: out, name: `heuristic: always "${pre.label.classes[b]}" (the majority class)` };
  }
  let s = 0;
  for (const y of trainLabels) s += y;
  const mean = trainLabels.length ? s / trainLabels.length : 0;
  return { output: Float64Array.of(mean), name: `heuristic: always ${mean.toPrecision(4)} (the training mean)` };
}

export interface PreparedRehearsal {
  ctx: StreamContext;
  stream: ReplayStream;
  /** What the heuristic backup answers, in words. */
  heuristicName: string;
}

/**
 * Everything a rehearsal of `run` replays: its held-out rows of `table` (its dataset), their labels by
 * the champion's preprocessing, and the heuristic backup from the training labels. Shared by the
 * worker and `benchtop rehearse`.
 */
export function prepareRehearsal(
  run: RunRecord,
  pre: Preprocessor,
  table: Table,
  tableName: string,
): Result<PreparedRehearsal> {
  const s = runSplitRows(run, table);
  if (!s.ok) return s;
  const rows = heldOutRows(run, s.value);
  if (!rows.length)
    return fail({ kind: 'empty-stream', message: 'This run has no validation or test rows to replay.' });
  const trainY = encodeLabels(pre, table, s.value.train, tableName);
  if (!trainY.ok) return trainY;
  const h = heuristicOutput(pre, trainY.value);
  const ctx: StreamContext = { table, tableName, rows, pre, heuristic: h.output };
  const stream = replayStream(ctx);
  if (!stream.ok) return stream;
  return ok({ ctx, stream: stream.value, heuristicName: h.name });
}

/** Builds both sides, runs the rehearsal and disposes of them. Serving errors are thrown to the caller. */
export async function runRehearsal(
  kind: RehearsalKind,
  champion: SideSpec,
  challenger: SideSpec,
  p: PreparedRehearsal,
  config: RehearsalConfig,
  hooks: RehearsalHooks,
): Promise<Result<RehearsalResult>> {
  const named = (x: SideSpec): SideSpec => (x.kind === 'heuristic' ? { ...x, name: p.heuristicName } : x);
  const sides: { dispose(): void }[] = [];
  try {
    const a = await buildResponder(named(champion), p.ctx);
    if (!a.ok) return a;
    sides.push(a.value);
    const b = await buildResponder(named(challenger), p.ctx);
    if (!b.ok) return b;
    sides.push(b.value);
    return ok(await rehearse(kind, a.value, b.value, p.stream, config, hooks));
  } finally {
    for (const x of sides) x.dispose();
  }
}
