import type { RunRecord, SplitMetrics } from '../../core/model/spec.ts';
import type { ModelVersion, AliasRecord } from '../../core/store/records.ts';
import { higherIsBetter } from '../../core/baselines/baselines.ts';
import type { Figure } from './figure.ts';

const COLORS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#4b5563'];

/** Validation curves of several runs overlaid (one colour per run; dashed = train). */
export function compareCurves(runs: readonly RunRecord[], metric: keyof SplitMetrics): Figure {
  const data = runs.flatMap((r, i) => {
    const x = r.history.map((h) => h.epoch);
    const color = COLORS[i % COLORS.length];
    return [
      {
        type: 'scatter',
        mode: 'lines',
        name: `${r.name} (validation)`,
        x,
        y: r.history.map((h) => h.validation[metric] ?? null),
        line: { color, width: 2 },
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: `${r.name} (train)`,
        x,
        y: r.history.map((h) => h.train[metric] ?? null),
        line: { color, width: 1, dash: 'dot' },
        showlegend: false,
      },
    ];
  });
  return {
    data,
    layout: {
      title: { text: `${metric} by epoch`, font: { size: 13 }, x: 0.02, xanchor: 'left' },
      xaxis: { title: { text: 'epoch / round' } },
      yaxis: { title: { text: metric } },
      margin: { l: 50, r: 10, t: 40, b: 40 },
      height: 300,
      legend: { orientation: 'h', y: -0.25, font: { size: 10 } },
    },
  };
}

/** Flattened configuration of a run, for the parameter diff. */
export function flatParams(r: RunRecord): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (prefix: string, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v))
      for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
    else out[prefix] = Array.isArray(v) ? v.join(',') : String(v);
  };
  walk('', r.config);
  walk('split', { kind: r.split.kind, fractions: r.split.fractions, seed: r.split.seed });
  out['dataset'] = r.dataset.name;
  out['backend'] = r.environment.backend;
  return out;
}

/** Parameters whose values differ between the runs. */
export function paramDiff(runs: readonly RunRecord[]): { key: string; values: string[] }[] {
  const flats = runs.map(flatParams);
  const keys = [...new Set(flats.flatMap((f) => Object.keys(f)))].sort();
  return keys
    .map((key) => ({ key, values: flats.map((f) => f[key] ?? '—') }))
    .filter((r) => new Set(r.values).size > 1);
}

/** Each metric of each run on a split, with the index of the best value per metric. */
export function metricDiff(
  runs: readonly RunRecord[],
  split: 'validation' | 'test',
): { metric: keyof SplitMetrics; values: (number | undefined)[]; best: number }[] {
  const metrics: (keyof SplitMetrics)[] = ['accuracy', 'macroF1', 'loss', 'rmse', 'mae', 'r2'];
  return metrics
    .map((metric) => {
      const values = runs.map((r) => r.metrics[split]?.[metric]);
      const finite = values.map((v, i) => [v, i] as const).filter(([v]) => v !== undefined && Number.isFinite(v));
      const best = finite.length
        ? finite.reduce((a, b) => ((higherIsBetter(metric) ? b[0]! > a[0]! : b[0]! < a[0]!) ? b : a))[1]
        : -1;
      return { metric, values, best };
    })
    .filter((m) => m.values.some((v) => v !== undefined && Number.isFinite(v)));
}

/**
 * Versions of one model drawn as a lineage tree: x is the version number, y the architecture lane
 * (with retrains spread inside it); an edge joins each version to its parent; aliases label nodes.
 */
export function lineageFigure(versions: readonly ModelVersion[], aliases: readonly AliasRecord[]): Figure {
  const y = (v: ModelVersion) => v.lineage.architecture + (v.lineage.retrain - 1) * 0.25;
  const byId = new Map(versions.map((v) => [v.id, v]));
  const edges = versions
    .filter((v) => v.parentId && byId.has(v.parentId))
    .map((v) => {
      const p = byId.get(v.parentId!)!;
      return {
        type: 'scatter',
        mode: 'lines',
        x: [p.version, v.version],
        y: [y(p), y(v)],
        line: {
          color: v.relation === 'update' ? '#16a34a' : v.relation === 'retrain' ? '#2563eb' : '#9333ea',
          width: 2,
          dash: v.relation === 'architecture' ? 'dot' : 'solid',
        },
        hoverinfo: 'skip',
        showlegend: false,
      };
    });
  const tag = (v: ModelVersion) => aliases.filter((a) => a.versionId === v.id).map((a) => a.alias);
  return {
    data: [
      ...edges,
      {
        type: 'scatter',
        mode: 'markers+text',
        x: versions.map((v) => v.version),
        y: versions.map(y),
        text: versions.map((v) => `${v.label}${tag(v).length ? ` [${tag(v).join(', ')}]` : ''}`),
        textposition: 'top center',
        marker: { size: 12, color: versions.map((v) => (tag(v).includes('champion') ? '#ea580c' : '#1f2937')) },
        hovertext: versions.map((v) => `${v.id} ${v.label}: ${v.relation} · ${v.modelKind}`),
        hoverinfo: 'text',
        showlegend: false,
      },
    ],
    layout: {
      title: {
        text: 'Lineage (blue: retrain, green: fine-tune, dotted: new architecture)',
        font: { size: 12 },
        x: 0.02,
        xanchor: 'left',
      },
      xaxis: { title: { text: 'version' }, dtick: 1 },
      yaxis: { title: { text: 'architecture' }, dtick: 1 },
      margin: { l: 50, r: 20, t: 40, b: 40 },
      height: 240,
    },
  };
}
