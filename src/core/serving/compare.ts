import { calibrationSummary } from '../calibration/reliability.ts';
import type { Preprocessor } from '../data/preprocess.ts';
import { toProbabilities } from '../model/onnx-runner.ts';
import type { SliceScore, SplitMetrics } from '../model/spec.ts';
import { splitMetrics } from '../model/split-metrics.ts';
import { latencySummary } from './remote-predict.ts';

export interface Side {
  metrics: SplitMetrics;
  /** Classification: expected calibration error of the top label. */
  ece?: number;
  latency: { p50: number; p95: number; p99: number; mean: number };
  rowsPerSecond: number;
}

export interface Disagreement {
  /** Index of the row in the compared set, its label, and each side's prediction. */
  row: number;
  label: string;
  local: string;
  remote: string;
  localConfidence: number;
  remoteConfidence: number;
}

export interface Comparison {
  rows: number;
  /** Classification: the share of rows where both sides predict the same class; regression: within tolerance. */
  agreement: number;
  /** Largest absolute difference between the two sides' outputs (probabilities or values). */
  maxDiff: number;
  local: Side;
  remote: Side;
  disagreements: Disagreement[];
  bytesSent: number;
  /** Per-slice metric on each side and the cloud's gap (worst first). */
  slices: {
    feature: string;
    category: string;
    n: number;
    metric: 'accuracy' | 'rmse';
    local: number;
    remote: number;
    delta: number;
  }[];
  /** Estimated cloud cost per million predictions, from the price the person entered. */
  costPerMillion?: number;
}

export interface CompareInput {
  pre: Preprocessor;
  y: Int32Array | Float32Array;
  local: { outputs: Float64Array; callMs: number[]; rowsPerSecond: number };
  remote: { raw: Float32Array; width: number; callMs: number[]; rowsPerSecond: number; bytesSent: number };
  /** Regression: outputs closer than this agree. */
  tolerance?: number;
  price?: { perHour?: number; perMillionRequests?: number; rowsPerRequest?: number };
  maxDisagreements?: number;
  /** Scores slices of the compared rows from a side's outputs (categorical features' values). */
  slices?: (outputs: Float64Array) => SliceScore[];
}

/**
 * Local model against the remote one on the same rows: agreement, each side's metrics and calibration,
 * the rows where they disagree (most confident disagreements first), latency and cost.
 * Remote classification outputs may be probabilities, logits or one sigmoid column.
 */
export function compareLocalRemote(c: CompareInput): Comparison {
  const n = c.y.length,
    pre = c.pre;
  const classes = pre.label.task === 'classification' ? pre.label.classes : [];
  const cls = pre.label.task === 'classification';
  const k = cls ? classes.length : 1;
  if (c.remote.raw.length !== n * c.remote.width)
    throw new Error(`remote outputs: ${c.remote.raw.length} values for ${n} rows`);
  const remote = cls ? toProbabilities(c.remote.raw, n, k) : Float64Array.from(c.remote.raw);
  let maxDiff = 0;
  for (let i = 0; i < remote.length; i++) maxDiff = Math.max(maxDiff, Math.abs(remote[i]! - c.local.outputs[i]!));
  const argmax = (p: Float64Array, i: number) => {
    let b = 0;
    for (let j = 1; j < k; j++) if (p[i * k + j]! > p[i * k + b]!) b = j;
    return b;
  };
  let agree = 0;
  const dis: Disagreement[] = [];
  for (let i = 0; i < n; i++) {
    if (cls) {
      const a = argmax(c.local.outputs, i),
        b = argmax(remote, i);
      if (a === b) agree++;
      else
        dis.push({
          row: i,
          label: classes[c.y[i]!] ?? String(c.y[i]),
          local: classes[a]!,
          remote: classes[b]!,
          localConfidence: c.local.outputs[i * k + a]!,
          remoteConfidence: remote[i * k + b]!,
        });
    } else if (Math.abs(c.local.outputs[i]! - remote[i]!) <= (c.tolerance ?? 1e-3)) agree++;
    else
      dis.push({
        row: i,
        label: String(c.y[i]),
        local: c.local.outputs[i]!.toPrecision(5),
        remote: remote[i]!.toPrecision(5),
        localConfidence: NaN,
        remoteConfidence: NaN,
      });
  }
  dis.sort(
    (a, b) =>
      Math.max(b.localConfidence, b.remoteConfidence) - Math.max(a.localConfidence, a.remoteConfidence) ||
      a.row - b.row,
  );
  const side = (outputs: Float64Array, callMs: number[], rowsPerSecond: number): Side => ({
    metrics: splitMetrics(pre, outputs, c.y),
    ece: cls && n ? calibrationSummary(c.y, outputs, k).ece : undefined,
    latency: latencySummary(callMs),
    rowsPerSecond,
  });
  let costPerMillion: number | undefined;
  if (c.price?.perMillionRequests !== undefined)
    costPerMillion = c.price.perMillionRequests / Math.max(1, c.price.rowsPerRequest ?? 1);
  else if (c.price?.perHour !== undefined && c.remote.rowsPerSecond > 0)
    costPerMillion = (c.price.perHour / (c.remote.rowsPerSecond * 3600)) * 1e6;
  const localSlices = c.slices?.(c.local.outputs) ?? [],
    remoteSlices = c.slices?.(remote) ?? [];
  const slices = localSlices
    .map((l) => {
      const r = remoteSlices.find((x) => x.feature === l.feature && x.category === l.category)!;
      return {
        feature: l.feature,
        category: l.category,
        n: l.n,
        metric: l.metric,
        local: l.value,
        remote: r.value,
        delta: r.value - l.value,
      };
    })
    .sort((a, b) => (a.metric === 'accuracy' ? a.delta - b.delta : b.delta - a.delta));
  return {
    rows: n,
    slices,
    agreement: n ? agree / n : NaN,
    maxDiff,
    local: side(c.local.outputs, c.local.callMs, c.local.rowsPerSecond),
    remote: side(remote, c.remote.callMs, c.remote.rowsPerSecond),
    disagreements: dis.slice(0, c.maxDisagreements ?? 200),
    bytesSent: c.remote.bytesSent,
    costPerMillion,
  };
}
