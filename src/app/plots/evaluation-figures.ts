import type { ClassificationEvaluation, RegressionEvaluation } from '../../core/evaluation/evaluation.ts';
import type { BehaviourResult } from '../../core/evaluation/behaviour.ts';
import type { Bin } from '../../core/calibration/reliability.ts';
import type { Figure } from './figure.ts';

const base = (title: string, extra: Record<string, unknown> = {}) => ({
  title: { text: title, font: { size: 13 }, x: 0.02, xanchor: 'left' },
  margin: { l: 55, r: 15, t: 45, b: 45 },
  height: 280,
  legend: { orientation: 'h', y: -0.3, font: { size: 10 } },
  ...extra,
});

/** Confusion matrix heatmap (row-normalized colours, counts as text). */
export function confusionFigure(m: ClassificationEvaluation): Figure {
  const k = m.classes.length;
  const z = Array.from({ length: k }, (_, t) => m.confusionNormalized.slice(t * k, (t + 1) * k));
  const text = Array.from({ length: k }, (_, t) => m.confusion.slice(t * k, (t + 1) * k).map(String));
  return {
    data: [
      {
        type: 'heatmap',
        z,
        x: m.classes,
        y: m.classes,
        text,
        texttemplate: '%{text}',
        colorscale: 'Blues',
        zmin: 0,
        zmax: 1,
        showscale: false,
      },
    ],
    layout: base('Confusion matrix (counts; colour = share of the true class)', {
      xaxis: { title: { text: 'predicted' }, type: 'category' },
      yaxis: { title: { text: 'true' }, type: 'category', autorange: 'reversed' },
      height: 60 + 40 * Math.max(4, k),
    }),
  };
}

export function rocFigure(m: ClassificationEvaluation): Figure {
  return {
    data: [
      ...m.roc.map((r) => ({
        type: 'scatter',
        mode: 'lines',
        name: `${r.label} (AUC ${r.auc.toFixed(3)})`,
        x: r.fpr,
        y: r.tpr,
      })),
      { type: 'scatter', mode: 'lines', name: 'chance', x: [0, 1], y: [0, 1], line: { dash: 'dot', color: '#9ca3af' } },
    ],
    layout: base('ROC curve', {
      xaxis: { title: { text: 'false positive rate' }, range: [0, 1] },
      yaxis: { title: { text: 'true positive rate' }, range: [0, 1.02] },
    }),
  };
}

export function prFigure(m: ClassificationEvaluation): Figure {
  return {
    data: m.pr.map((r) => ({
      type: 'scatter',
      mode: 'lines',
      name: `${r.label} (AP ${r.averagePrecision.toFixed(3)})`,
      x: r.recall,
      y: r.precision,
    })),
    layout: base('Precision–recall curve', {
      xaxis: { title: { text: 'recall' }, range: [0, 1] },
      yaxis: { title: { text: 'precision' }, range: [0, 1.02] },
    }),
  };
}

/** Reliability diagram: observed accuracy per confidence bin (bars, with counts), the diagonal, and the gap. */
export function reliabilityFigure(bins: Bin[], title = 'Reliability diagram (top label)'): Figure {
  const used = bins.filter((b) => b.count > 0);
  return {
    data: [
      {
        type: 'bar',
        name: 'accuracy',
        x: used.map((b) => (b.lo + b.hi) / 2),
        y: used.map((b) => b.frequency),
        width: used.map((b) => (b.hi - b.lo) * 0.95),
        text: used.map((b) => String(b.count)),
        textposition: 'outside',
        marker: { color: '#2563eb' },
      },
      {
        type: 'scatter',
        mode: 'markers',
        name: 'mean confidence',
        x: used.map((b) => (b.lo + b.hi) / 2),
        y: used.map((b) => b.confidence),
        marker: { color: '#ea580c', size: 7 },
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: 'perfect calibration',
        x: [0, 1],
        y: [0, 1],
        line: { dash: 'dot', color: '#6b7280' },
      },
    ],
    layout: base(title, {
      xaxis: { title: { text: 'confidence' }, range: [0, 1] },
      yaxis: { title: { text: 'accuracy' }, range: [0, 1.1] },
      bargap: 0,
    }),
  };
}

export function coverageFigure(m: ClassificationEvaluation, threshold: number | null): Figure {
  return {
    data: [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: 'accuracy of kept predictions',
        x: m.coverage.map((c) => c.coverage),
        y: m.coverage.map((c) => c.accuracy),
        text: m.coverage.map((c) => `threshold ${c.threshold}`),
        hoverinfo: 'text+x+y',
      },
    ],
    layout: base('Accuracy against coverage as the confidence threshold rises', {
      xaxis: { title: { text: 'coverage (share of rows answered)' }, autorange: 'reversed' },
      yaxis: { title: { text: 'accuracy' } },
      shapes:
        threshold !== null
          ? [
              {
                type: 'line',
                x0: m.coverage.find((c) => c.threshold >= threshold)?.coverage ?? 0,
                x1: m.coverage.find((c) => c.threshold >= threshold)?.coverage ?? 0,
                yref: 'paper',
                y0: 0,
                y1: 1,
                line: { dash: 'dot', color: '#ea580c' },
              },
            ]
          : [],
    }),
  };
}

export function residualFigure(m: RegressionEvaluation): Figure {
  return {
    data: [
      {
        type: 'scatter',
        mode: 'markers',
        name: 'rows',
        x: m.residuals.predicted,
        y: m.residuals.residual,
        marker: { size: 4, opacity: 0.6 },
      },
    ],
    layout: base('Residuals (truth − prediction) against prediction', {
      xaxis: { title: { text: 'prediction' } },
      yaxis: { title: { text: 'residual' }, zeroline: true },
    }),
  };
}

export function perturbationFigure(r: Extract<BehaviourResult, { kind: 'perturbation' }>): Figure {
  return {
    data: [{ type: 'scatter', mode: 'lines+markers', name: r.metric, x: r.strengths, y: r.values }],
    layout: base(`${r.metric} against noise strength`, {
      xaxis: { title: { text: 'noise (× feature std; swap probability)' } },
      yaxis: { title: { text: r.metric } },
    }),
  };
}
