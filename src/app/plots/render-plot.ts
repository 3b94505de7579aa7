import type { Figure } from './figure.ts';

type PlotlyModule = { react: (el: HTMLElement, data: unknown[], layout: unknown, config: unknown) => Promise<unknown>; purge: (el: HTMLElement) => void };

let plotly: Promise<PlotlyModule> | null = null;

/**
 * Loads Plotly (the minified cartesian dist build: scatter, bar, heatmap, histogram, box, contour)
 * on first use, so the first paint does not wait for it.
 */
function loadPlotly(): Promise<PlotlyModule> {
  plotly ??= import('plotly.js-cartesian-dist-min').then((m) => {
    (globalThis as { __benchtopPlotlyLoaded?: boolean }).__benchtopPlotlyLoaded = true;
    return ((m as { default?: PlotlyModule }).default ?? m) as PlotlyModule;
  });
  return plotly;
}

/** Draws or updates a figure in an element. */
export async function renderPlot(el: HTMLElement, fig: Figure): Promise<void> {
  const P = await loadPlotly();
  await P.react(el, fig.data, fig.layout, { responsive: true, displaylogo: false });
}

/** Frees Plotly's listeners on an element. */
export async function purgePlot(el: HTMLElement): Promise<void> {
  if (plotly) (await plotly).purge(el);
}

/** Starts loading Plotly when the page is idle, so the first chart during training draws at once. */
export function preloadPlotly(): void {
  const idle = (globalThis as { requestIdleCallback?: (cb: () => void) => void }).requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 500));
  idle(() => void loadPlotly());
}
