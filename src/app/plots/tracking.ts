import type { EpochRecord } from '../../core/model/spec.ts';
import type { Figure } from './figure.ts';

const layout = (title: string, y: string, extra: Record<string, unknown> = {}) => ({
  title: { text: title, font: { size: 13 }, x: 0.02, xanchor: 'left' },
  xaxis: { title: { text: 'epoch' } },
  yaxis: { title: { text: y } },
  margin: { l: 55, r: 10, t: 50, b: 40 },
  height: 230,
  legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom', font: { size: 10 } },
  ...extra,
});

const line = (name: string, x: number[], y: (number | undefined)[], extra: Record<string, unknown> = {}) => ({
  type: 'scatter',
  mode: 'lines+markers',
  name,
  x,
  y: y.map((v) => v ?? null),
  marker: { size: 4 },
  ...extra,
});

/** Per-layer series of a record field (gradient or weight norms), one trace per layer. */
function perLayer(
  history: readonly EpochRecord[],
  field: 'layerGradNorms' | 'layerWeightNorms',
): Record<string, unknown>[] {
  const layers = [...new Set(history.flatMap((h) => Object.keys(h[field] ?? {})))];
  const x = history.map((h) => h.epoch);
  return layers.map((l) =>
    line(
      l,
      x,
      history.map((h) => h[field]?.[l]),
    ),
  );
}

/**
 * The experiment-tracking charts of a neural run: learning rate, global and per-layer gradient
 * norms, per-layer weight norms, throughput and memory. Returns only the charts the history has data for.
 */
export function trackingFigures(history: readonly EpochRecord[]): { key: string; label: string; figure: Figure }[] {
  const x = history.map((h) => h.epoch);
  const out: { key: string; label: string; figure: Figure }[] = [];
  if (history.some((h) => h.learningRate !== undefined))
    out.push({
      key: 'lr',
      label: 'Learning rate per epoch',
      figure: {
        data: [
          line(
            'learning rate',
            x,
            history.map((h) => h.learningRate),
          ),
        ],
        layout: layout('Learning rate', 'rate', { yaxis: { title: { text: 'rate' }, type: 'log' } }),
      },
    });
  if (history.some((h) => h.gradNorm !== undefined))
    out.push({
      key: 'grad',
      label: 'Gradient norms per epoch, global and per layer',
      figure: {
        data: [
          line(
            'global',
            x,
            history.map((h) => h.gradNorm),
            { line: { width: 3, color: '#111827' } },
          ),
          ...perLayer(history, 'layerGradNorms'),
        ],
        layout: layout('Gradient norm (last batch of each epoch)', '‖g‖', {
          yaxis: { title: { text: '‖g‖' }, type: 'log' },
        }),
      },
    });
  if (history.some((h) => h.layerWeightNorms))
    out.push({
      key: 'weights',
      label: 'Weight norms per layer',
      figure: { data: perLayer(history, 'layerWeightNorms'), layout: layout('Weight norm per layer', '‖W‖') },
    });
  if (history.some((h) => h.samplesPerSecond > 0))
    out.push({
      key: 'speed',
      label: 'Training samples per second per epoch',
      figure: {
        data: [
          line(
            'samples/s',
            x,
            history.map((h) => h.samplesPerSecond),
          ),
        ],
        layout: layout('Throughput', 'samples/s'),
      },
    });
  if (history.some((h) => h.tensors !== undefined)) {
    out.push({
      key: 'memory',
      label: 'Tensor memory and JS heap per epoch',
      figure: {
        data: [
          line(
            'tensor MB',
            x,
            history.map((h) => (h.tensorBytes ?? 0) / 2 ** 20),
          ),
          ...(history.some((h) => h.jsHeapBytes)
            ? [
                line(
                  'JS heap MB',
                  x,
                  history.map((h) => (h.jsHeapBytes ? h.jsHeapBytes / 2 ** 20 : undefined)),
                ),
              ]
            : []),
          line(
            'live tensors',
            x,
            history.map((h) => h.tensors),
            { yaxis: 'y2' },
          ),
        ],
        layout: layout('Memory', 'MB', { yaxis2: { overlaying: 'y', side: 'right', title: { text: 'tensors' } } }),
      },
    });
  }
  return out;
}
