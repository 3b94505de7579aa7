import type { RunRecord } from '../../core/model/spec.ts';
import type { Figure } from './figure.ts';

/** Test accuracy (or RMSE) of a parent and its compressed children against stored size or latency. */
export function tradeoffFigure(
  runs: readonly RunRecord[],
  xOf: (r: RunRecord) => number | undefined,
  xTitle: string,
): Figure {
  const metric = runs[0]?.task === 'regression' ? 'rmse' : 'accuracy';
  const pts = runs
    .map((r) => ({ r, x: xOf(r), y: (r.metrics.test ?? r.metrics.validation)[metric] }))
    .filter((p) => p.x !== undefined && Number.isFinite(p.x) && p.y !== undefined);
  return {
    data: [
      {
        type: 'scatter',
        mode: 'markers+text',
        x: pts.map((p) => p.x),
        y: pts.map((p) => p.y),
        text: pts.map((p) => p.r.compression?.info.method ?? 'float32 parent'),
        textposition: 'top center',
        marker: { size: 10, color: pts.map((p) => (p.r.compression ? '#2563eb' : '#ea580c')) },
      },
    ],
    layout: {
      title: { text: `Test ${metric} against ${xTitle}`, font: { size: 13 }, x: 0.02, xanchor: 'left' },
      xaxis: { title: { text: xTitle }, type: xTitle.includes('KB') ? 'log' : 'linear' },
      yaxis: { title: { text: metric } },
      margin: { l: 55, r: 15, t: 45, b: 45 },
      height: 280,
    },
  };
}

/**
 * The runtime the accuracy-against-latency chart uses: the tfjs backend in use now (`tfjs <backend>`)
 * when it was measured with finite timings; otherwise onnxruntime-web wasm (what a deployed page runs
 * by default); otherwise the measured runtime with the lowest median p50 across the models — never
 * simply the first measured (often a software WebGPU, the slowest). Null when nothing was measured.
 * @example latencyRuntime([{ runtime: 'tfjs webgpu', p50: 9 }, { runtime: 'tfjs wasm', p50: 0.2 }], 'wasm')
 * // { runtime: 'tfjs wasm', why: 'the backend in use' }
 */
export function latencyRuntime(
  rows: readonly { runtime: string; p50: number }[],
  backend: string | null | undefined,
): { runtime: string; why: string } | null {
  const ok = rows.filter((r) => Number.isFinite(r.p50));
  const has = (rt: string) => ok.some((r) => r.runtime === rt);
  if (backend && has(`tfjs ${backend}`)) return { runtime: `tfjs ${backend}`, why: 'the backend in use' };
  const wasm = ok.find((r) => r.runtime.startsWith('onnxruntime-web wasm'));
  if (wasm) return { runtime: wasm.runtime, why: backend ? `tfjs ${backend} not measured` : 'default runtime' };
  const by = new Map<string, number[]>();
  for (const r of ok) by.set(r.runtime, [...(by.get(r.runtime) ?? []), r.p50]);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const best = [...by].sort((a, b) => median(a[1]) - median(b[1]))[0];
  return best ? { runtime: best[0], why: 'the fastest measured' } : null;
}
