import { describe, expect, it } from 'vitest';
import type { ClassificationEvaluation } from '../../core/evaluation/evaluation.ts';
import { lrRangeFigure } from './debug-figures.ts';
import { reliabilityFigure, rocFigure } from './evaluation-figures.ts';
import { finishLayout, logTicks, MODEBAR_BAND, PLOT_CONFIG, tickLabel, wrapTitle, type Figure } from './figure.ts';

type Obj = Record<string, unknown>;
const roc = rocFigure({
  roc: [
    { label: 'good', auc: 0.81, fpr: [0, 0.5, 1], tpr: [0, 0.8, 1] },
    { label: 'bad', auc: 0.81, fpr: [0, 0.5, 1], tpr: [0, 0.7, 1] },
  ],
} as unknown as ClassificationEvaluation);
const bins = [{ lo: 0.5, hi: 0.6, count: 10, confidence: 0.55, frequency: 0.5 }];

describe('the house layout, finished for a width', () => {
  it('puts the legend of ROC and reliability plots below the x-axis title, with room for its rows', () => {
    for (const fig of [roc, reliabilityFigure(bins)]) {
      const before = fig.layout.margin as Obj;
      for (const width of [390, 1024]) {
        const l = finishLayout(fig, width);
        const legend = l.legend as Obj;
        // Pinned to the bottom of the figure, not at a fraction of the plot height (which met the axis title).
        expect(legend).toMatchObject({ orientation: 'h', yref: 'container', y: 0, yanchor: 'bottom' });
        const b = (l.margin as Obj).b as number;
        expect(b).toBeGreaterThanOrEqual(52 + 18);
        // The plot area keeps its height: the figure grows by the added margins.
        expect(l.height).toBe(
          (fig.layout.height as number) +
            (b - (before.b as number)) +
            (((l.margin as Obj).t as number) - (before.t as number)),
        );
      }
    }
  });

  it('starts the title below the toolbar band, and the toolbar shows only on hover', () => {
    const l = finishLayout(roc, 800);
    expect(l.title).toMatchObject({ yref: 'container', y: 1, yanchor: 'top', pad: { t: MODEBAR_BAND } });
    expect((l.margin as Obj).t as number).toBeGreaterThan(MODEBAR_BAND + 13);
    expect(PLOT_CONFIG).toMatchObject({ responsive: true, displayModeBar: 'hover', displaylogo: false });
  });

  it('wraps a long title at a narrow width instead of cutting it off, and gives it the top margin it needs', () => {
    const fig = reliabilityFigure(bins, 'Reliability diagram of the calibrated model on the test split (top label)');
    const wide = finishLayout(fig, 1200);
    const narrow = finishLayout(fig, 390);
    const text = (l: Obj) => (l.title as Obj).text as string;
    expect(text(wide)).not.toContain('<br>');
    const lines = text(narrow).split('<br>');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe('Reliability diagram of the calibrated model on the test split (top label)');
    for (const line of lines) expect(line.length * 12 * 0.56).toBeLessThanOrEqual(390 - 24);
    expect((narrow.margin as Obj).t as number).toBeGreaterThan((wide.margin as Obj).t as number);
  });

  it('labels a log axis 1, 10, 100 — not the minor "9 10 2 3 4 … 100 2 3"', () => {
    const fig: Figure = {
      data: [{ type: 'scatter', x: [0.9, 3, 40, 120], y: [1, 2, 3, 4] }],
      layout: { xaxis: { type: 'log' }, yaxis: {} },
    };
    const x = finishLayout(fig, 600).xaxis as Obj;
    expect(x).toMatchObject({ tickmode: 'array', tickvals: [1, 10, 100], ticktext: ['1', '10', '100'] });
    // The learning-rate range test: rates from 1e-5 to 1.
    const lr = lrRangeFigure({
      learningRates: [1e-5, 1e-3, 1],
      losses: [1, 0.5, 3],
      smoothed: [1, 0.6, 2],
      suggested: 1e-3,
    } as never);
    expect((finishLayout(lr, 600).xaxis as Obj).ticktext).toEqual(['1e-5', '1e-4', '0.001', '0.01', '0.1', '1']);
  });
});

describe('layout helpers', () => {
  it('wraps at spaces', () => {
    expect(wrapTitle('Accuracy against coverage as the threshold rises', 20)).toBe(
      'Accuracy against<br>coverage as the<br>threshold rises',
    );
    expect(wrapTitle('short', 20)).toBe('short');
  });
  it('picks decade, 1-2-5 or 1…9 ticks by the span', () => {
    expect(logTicks(0.9, 120)).toEqual([1, 10, 100]);
    expect(logTicks(0.9, 30)).toEqual([1, 2, 5, 10, 20]);
    expect(logTicks(0.25, 0.7)).toEqual([0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(logTicks(1e-9, 1e3).length).toBeLessThanOrEqual(8);
    expect(logTicks(0, 10)).toEqual([]);
    expect([0.02, 5, 100, 1e-5, 2e6].map(tickLabel)).toEqual(['0.02', '5', '100', '1e-5', '2e6']);
  });
});
