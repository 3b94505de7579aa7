import { higherIsBetter, primaryMetric } from '../baselines/baselines.ts';
import type { RunRecord, SplitMetrics } from '../contracts/run-record.ts';
import { f4, signed, type Insight } from './insight.ts';

/**
 * A compression collapses when the compressed model loses `COLLAPSE_SHARE` (half) or more of its
 * parent's lift over the strongest baseline (on the same split) — or, without baselines, when accuracy
 * drops `COLLAPSE_ACCURACY` (0.10) or more, or RMSE rises `COLLAPSE_RMSE` (25%) or more. Drops smaller
 * than `COLLAPSE_MIN_DROP` (0.02 accuracy; 2% RMSE) never count, however small the lift.
 */
export const COLLAPSE = Object.freeze({ SHARE: 0.5, ACCURACY: 0.1, RMSE: 0.25, MIN_DROP: 0.02 });

type Scored = Pick<RunRecord, 'task' | 'metrics' | 'baselines' | 'compression'>;

const on = (r: Pick<RunRecord, 'metrics'>): { split: 'test' | 'validation'; m: SplitMetrics } =>
  r.metrics.test ? { split: 'test', m: r.metrics.test } : { split: 'validation', m: r.metrics.validation };

const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;

/** How the compressed model was made, in words: "prune (90% sparsity)", "int8". */
function how(child: Scored): string {
  const i = child.compression?.info;
  if (!i) return 'compression';
  return i.sparsity > 0.001 ? `${i.method} (${Math.round(i.sparsity * 100)}% sparsity)` : i.method;
}

/**
 * What compressing `parent` into `child` did, on the test split (validation when there is none):
 * the metric's change and the size change, and a 'compression-collapse' warning when accuracy falls
 * apart (thresholds in `COLLAPSE`).
 * @example compressionInsights(parent, child).map((i) => i.code) // ['compression-summary', 'compression-collapse']
 */
export function compressionInsights(parent: Scored, child: Scored): Insight[] {
  const metric = primaryMetric(parent.task);
  const hib = higherIsBetter(metric);
  const { split, m: pm } = on(parent);
  const cm = split === 'test' ? (child.metrics.test ?? child.metrics.validation) : child.metrics.validation;
  const p = pm[metric]!,
    c = cm[metric]!;
  const info = child.compression?.info;
  const size =
    info && info.parentBytes > 0
      ? `, ${kb(info.parentBytes)} → ${kb(info.storedBytes)} (${(info.parentBytes / info.storedBytes).toFixed(1)}× smaller)`
      : '';
  const loss = hib ? p - c : c - p; // positive = worse
  const name = metric === 'accuracy' ? 'accuracy' : 'RMSE';
  const out: Insight[] = [
    {
      tone: loss <= (hib ? 0.01 : 0.01 * Math.abs(p)) ? 'good' : 'info',
      code: 'compression-summary',
      text: `${how(child)}: ${split} ${name} ${f4(p)} → ${f4(c)} (${signed(c - p, 4)})${size}.`,
    },
  ];
  const base = (parent.baselines ?? [])
    .map((b) => ({ b, v: (split === 'test' ? (b.test ?? b.validation) : b.validation)[metric] }))
    .filter((x): x is { b: (typeof x)['b']; v: number } => Number.isFinite(x.v))
    .reduce<{ b: NonNullable<Scored['baselines']>[number]; v: number } | null>(
      (a, x) => (!a || (hib ? x.v > a.v : x.v < a.v) ? x : a),
      null,
    );
  const minDrop = hib ? COLLAPSE.MIN_DROP : COLLAPSE.MIN_DROP * Math.abs(p);
  const parentLift = base ? (hib ? p - base.v : base.v - p) : NaN;
  const collapsed =
    loss >= minDrop &&
    (base && parentLift > 0
      ? loss >= COLLAPSE.SHARE * parentLift
      : hib
        ? loss >= COLLAPSE.ACCURACY
        : loss >= COLLAPSE.RMSE * Math.abs(p));
  if (collapsed)
    out.push({
      tone: 'bad',
      code: 'compression-collapse',
      text:
        `Compression collapsed ${name}: ${f4(p)} → ${f4(c)} on ${split} after ${how(child)}` +
        (!base
          ? ''
          : parentLift > 0 && loss < parentLift
            ? `, losing ${Math.round((loss / parentLift) * 100)}% of the parent's lift over the strongest baseline (${base.b.name}, ${f4(base.v)})`
            : `, no better than the strongest baseline (${base.b.name}, ${f4(base.v)})`) +
        `. Keep the parent, or compress less (or fine-tune after pruning).`,
    });
  return out;
}
