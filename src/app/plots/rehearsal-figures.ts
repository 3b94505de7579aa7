import type { Trace } from '../../core/rollout/rehearsal.ts';
import { chartLayout, type Figure } from './figure.ts';

const COLORS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#dc2626', '#0891b2'];

/** One rehearsal trace as a line chart; reference lines (α, limits, budgets) dashed grey. */
export function rehearsalFigure(t: Trace): Figure {
  const data: Record<string, unknown>[] = t.series.map((s, i) => ({
    type: 'scatter',
    mode: 'lines',
    name: s.name,
    x: t.x.map((x) => x + 1),
    y: s.y.map((v) => (Number.isFinite(v) ? v : null)),
    line: { color: COLORS[i % COLORS.length], width: 2 },
  }));
  const last = (t.x.at(-1) ?? 0) + 1;
  for (const l of t.lines ?? [])
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: l.name,
      x: [1, last],
      y: [l.y, l.y],
      line: { color: '#6b7280', width: 1, dash: 'dash' },
    });
  // p-values span many orders of magnitude: a log axis.
  return {
    data,
    layout: chartLayout(
      t.title,
      t.xTitle,
      t.yTitle,
      t.yTitle === 'p' ? { yaxis: { title: { text: 'p' }, type: 'log' } } : {},
    ),
  };
}
