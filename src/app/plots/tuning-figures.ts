import type { TrialResult } from '../../core/tuning/tune.ts';
import { bestSoFar } from '../../core/tuning/tune.ts';
import type { SearchSpace } from '../../core/tuning/search-space.ts';
import type { Figure } from './figure.ts';

const layout = (title: string) => ({
  title: { text: title, font: { size: 13 }, x: 0.02, xanchor: 'left' },
  margin: { l: 50, r: 20, t: 45, b: 45 },
  height: 260,
});

/** Each trial's score and the best score so far, by trial number. */
export function bestSoFarFigure(trials: readonly TrialResult[], scoreName: string): Figure {
  const sorted = [...trials].sort((a, b) => a.id - b.id);
  const done = sorted.filter((t) => Number.isFinite(t.score));
  return {
    data: [
      {
        type: 'scatter',
        mode: 'markers',
        name: 'trial',
        x: done.map((t) => t.id + 1),
        y: done.map((t) => t.score),
        marker: { color: done.map((t) => (t.status === 'pruned' ? '#9ca3af' : '#2563eb')), size: 7 },
        text: done.map((t) => t.status),
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: 'best so far',
        x: sorted.map((t) => t.id + 1),
        y: bestSoFar(sorted).map((v) => (Number.isFinite(v) ? v : null)),
        line: { color: '#ea580c', width: 2, shape: 'hv' },
      },
    ],
    layout: {
      ...layout('Best so far'),
      xaxis: { title: { text: 'trial' } },
      yaxis: { title: { text: scoreName } },
      legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
    },
  };
}

/**
 * Parallel coordinates of the trials: one vertical axis per hyperparameter (log axes in log units,
 * choices evenly spaced) plus the score; each finished trial is a line, coloured from best (dark) to
 * worst (light). Drawn with ordinary scatter traces so it works with the cartesian Plotly build.
 */
export function parallelCoordinatesFigure(
  trials: readonly TrialResult[],
  space: SearchSpace,
  scoreName: string,
): Figure {
  const done = trials.filter((t) => t.status !== 'failed' && Number.isFinite(t.score));
  const axes = [...space.map((p) => p.path), scoreName];
  const scale = (p: SearchSpace[number], v: unknown): number => {
    if (p.kind === 'choice') return p.values.length > 1 ? p.values.indexOf(v as never) / (p.values.length - 1) : 0.5;
    const x = Number(v);
    return p.log
      ? (Math.log(x) - Math.log(p.lo)) / (Math.log(p.hi) - Math.log(p.lo) || 1)
      : (x - p.lo) / (p.hi - p.lo || 1);
  };
  const scores = done.map((t) => t.score);
  const [lo, hi] = [Math.min(...scores), Math.max(...scores)];
  const norm = (s: number) => (hi > lo ? (s - lo) / (hi - lo) : 0);
  const colour = (s: number) => {
    const t = norm(s);
    return `rgb(${Math.round(30 + 190 * t)}, ${Math.round(64 + 150 * t)}, ${Math.round(175 + 60 * t)})`;
  };
  const data = [...done]
    .sort((a, b) => b.score - a.score)
    .map((t) => ({
      type: 'scatter',
      mode: 'lines',
      showlegend: false,
      x: axes.map((_, i) => i),
      y: [...space.map((p) => scale(p, t.values[p.path])), norm(t.score)],
      line: {
        color: colour(t.score),
        width: t.status === 'pruned' ? 1 : 2,
        dash: t.status === 'pruned' ? 'dot' : 'solid',
      },
      hovertext: `trial ${t.id + 1}: ${scoreName} ${t.score.toPrecision(3)}`,
      hoverinfo: 'text',
    }));
  const labels = (p: SearchSpace[number]) =>
    p.kind === 'choice' ? `${p.values[0]} … ${p.values.at(-1)}` : `${p.lo} … ${p.hi}${p.log ? ' (log)' : ''}`;
  return {
    data,
    layout: {
      ...layout('Parallel coordinates (darker = better)'),
      height: 300,
      xaxis: {
        tickmode: 'array',
        tickvals: axes.map((_, i) => i),
        ticktext: axes.map((a) => a.replace('model.', '')),
        showgrid: true,
        gridcolor: '#9ca3af',
        zeroline: false,
      },
      yaxis: { range: [-0.05, 1.05], showticklabels: false, showgrid: false, zeroline: false },
      annotations: [
        ...space.map((p, i) => ({
          x: i,
          y: -0.12,
          yref: 'paper',
          text: labels(p),
          showarrow: false,
          font: { size: 9 },
        })),
        {
          x: space.length,
          y: -0.12,
          yref: 'paper',
          text: `${lo.toPrecision(3)} … ${hi.toPrecision(3)}`,
          showarrow: false,
          font: { size: 9 },
        },
      ],
    },
  };
}
