import { finishLayout, PLOT_CONFIG, type Figure } from './figure.ts';

type PlotlyModule = {
  react: (el: HTMLElement, data: unknown[], layout: unknown, config: unknown) => Promise<unknown>;
  purge: (el: HTMLElement) => void;
  Plots: { resize: (el: HTMLElement) => Promise<unknown> | void };
};

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

const pending = new Map<HTMLElement, Figure>();
/** The figure last asked for in each element, to draw again at a new width. */
const drawn = new WeakMap<HTMLElement, Figure>();
/** Elements whose container changed size since they were drawn. */
const resized = new WeakSet<HTMLElement>();
let pumping = false;

/**
 * Draws or updates a figure in an element — later, in its own task. Updates are coalesced per
 * element (the newest figure wins) and drawn one chart per task with a pause after each, so a
 * stream of epoch updates never turns into one long main-thread task.
 */
export function renderPlot(el: HTMLElement, fig: Figure): void {
  pending.set(el, fig);
  drawn.set(el, fig);
  if (!pumping) {
    pumping = true;
    setTimeout(() => void pump(), 0);
  }
}

async function pump(): Promise<void> {
  const P = await loadPlotly();
  const next = pending.entries().next();
  if (next.done) {
    pumping = false;
    return;
  }
  const [el, fig] = next.value;
  pending.delete(el);
  const started = performance.now();
  if (el.isConnected) {
    // The house layout is finished for the element's width: titles wrap, legends go under the axis title.
    await P.react(el, fig.data, finishLayout(fig, el.clientWidth), PLOT_CONFIG);
    if (resized.has(el)) {
      resized.delete(el);
      await P.Plots.resize(el);
    }
  }
  // Leave the main thread at least as long as the draw took before drawing again.
  setTimeout(() => void pump(), Math.max(16, performance.now() - started));
}

/**
 * Draws an element's figure again after its container changed size (a ResizeObserver calls this):
 * the title is wrapped anew and Plotly fits the plot to the new size. Coalesced like any draw.
 */
export function resizePlot(el: HTMLElement): void {
  const fig = drawn.get(el);
  if (!fig) return;
  resized.add(el);
  renderPlot(el, fig);
}

/** Frees Plotly's listeners on an element and drops any pending draw. */
export async function purgePlot(el: HTMLElement): Promise<void> {
  pending.delete(el);
  if (plotly) (await plotly).purge(el);
}

/** Starts loading Plotly when the page is idle, so the first chart during training draws at once. */
export function preloadPlotly(): void {
  const idle =
    (globalThis as { requestIdleCallback?: (cb: () => void) => void }).requestIdleCallback ??
    ((cb: () => void) => setTimeout(cb, 500));
  idle(() => void loadPlotly());
}
