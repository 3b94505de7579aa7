import { higherIsBetter, primaryMetric } from '../baselines/baselines.ts';
import type { RunRecord } from '../contracts/run-record.ts';
import { f4, type Insight } from './insight.ts';

/**
 * Which of the compared runs is best on the primary metric (accuracy, or RMSE for regression) of a
 * split, and by how much over the runner-up; a warning when the runs were trained on different
 * datasets or labels (their numbers are then not comparable).
 * @example compareSummary(runs, 'validation')[0].text // 'Best validation accuracy: B (0.9333), 0.0200 ahead of A (0.9133).'
 */
export function compareSummary(
  runs: readonly Pick<RunRecord, 'name' | 'task' | 'metrics' | 'dataset' | 'label'>[],
  split: 'validation' | 'test' = 'validation',
): Insight[] {
  if (runs.length < 2) return [];
  const out: Insight[] = [];
  if (new Set(runs.map((r) => `${r.dataset.id}\u0000${r.label}`)).size > 1)
    out.push({
      tone: 'warn',
      code: 'compare-different-data',
      text: 'These runs were trained on different datasets or labels: their metrics are not comparable.',
    });
  const metric = primaryMetric(runs[0]!.task);
  const hib = higherIsBetter(metric);
  const scored = runs
    .map((r) => ({ r, v: r.metrics[split]?.[metric] }))
    .filter((x): x is { r: (typeof runs)[number]; v: number } => x.v !== undefined && Number.isFinite(x.v))
    .sort((a, b) => (hib ? b.v - a.v : a.v - b.v));
  const name = metric === 'accuracy' ? 'accuracy' : 'RMSE';
  if (scored.length < 2) return out;
  const [a, b] = [scored[0]!, scored[1]!];
  const gap = Math.abs(a.v - b.v);
  out.unshift(
    gap < 5e-5
      ? {
          tone: 'info',
          code: 'compare-tie',
          text: `${a.r.name} and ${b.r.name} tie on ${split} ${name} (${f4(a.v)}).`,
        }
      : {
          tone: 'info',
          code: 'compare-best',
          text: `Best ${split} ${name}: ${a.r.name} (${f4(a.v)}), ${f4(gap)} ${hib ? 'ahead of' : 'lower than'} ${b.r.name} (${f4(b.v)}).`,
        },
  );
  return out;
}

/** The parts of a local-against-cloud comparison (src/core/serving/compare.ts) the summary reads. */
export interface CloudLike {
  rows: number;
  agreement: number;
  maxDiff: number;
  local: { metrics: { accuracy?: number; rmse?: number } };
  remote: { metrics: { accuracy?: number; rmse?: number } };
}

/** Agreement at or above this reads as "the same model"; below `CLOUD_DISAGREE` it is a warning. */
export const CLOUD_AGREE = 0.999;
export const CLOUD_DISAGREE = 0.99;

/**
 * Whether the local model and the cloud one predict the same on the compared rows, and how their
 * primary metric differs: "Local and cloud agree on 100.0% of 150 test rows (largest output difference
 * 1.20e-6); test accuracy 0.9333 both." Tone good at `CLOUD_AGREE` or above, warn below `CLOUD_DISAGREE`.
 * @example cloudSummary(c, 'classification', 'test').code // 'cloud-agree'
 */
export function cloudSummary(c: CloudLike, task: RunRecord['task'], split: string): Insight {
  const metric = task === 'classification' ? 'accuracy' : 'rmse';
  const name = metric === 'accuracy' ? 'accuracy' : 'RMSE';
  const [l, r] = [c.local.metrics[metric], c.remote.metrics[metric]];
  const pct = `${(c.agreement * 100).toFixed(1)}%`;
  const diff = `largest output difference ${c.maxDiff.toExponential(2)}`;
  const metrics =
    l !== undefined && r !== undefined && Math.abs(l - r) < 5e-5
      ? `${split} ${name} ${f4(l)} on both`
      : `${split} ${name} ${f4(l)} here, ${f4(r)} in the cloud`;
  if (c.agreement >= CLOUD_AGREE)
    return {
      tone: 'good',
      code: 'cloud-agree',
      text: `Local and cloud agree on ${pct} of ${c.rows} ${split} rows (${diff}); ${metrics}.`,
    };
  const disagree = Math.round((1 - c.agreement) * c.rows);
  return {
    tone: c.agreement < CLOUD_DISAGREE ? 'warn' : 'info',
    code: c.agreement < CLOUD_DISAGREE ? 'cloud-disagree' : 'cloud-mostly-agree',
    text:
      `Local and cloud disagree on ${disagree} of ${c.rows} ${split} rows (agreement ${pct}, ${diff}); ${metrics}.` +
      (c.agreement < CLOUD_DISAGREE
        ? ' They are not serving the same model, or the inputs are encoded differently.'
        : ''),
  };
}
