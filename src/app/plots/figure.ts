/** A Plotly figure as plain data: built by pure functions, rendered by `render-plot.ts`. */
export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

/** The house layout of a line or bar chart: a small left-aligned title, axis titles, a legend below. */
export function chartLayout(
  title: string,
  x: string,
  y: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    title: { text: title, font: { size: 13 }, x: 0.02, xanchor: 'left' },
    xaxis: { title: { text: x }, automargin: true },
    yaxis: { title: { text: y } },
    margin: { l: 55, r: 10, t: 40, b: 55 },
    height: 300,
    legend: { orientation: 'h', y: -0.3, font: { size: 10 } },
    ...extra,
  };
}

/** A line with markers; non-finite values become gaps. */
export function lineTrace(
  name: string,
  x: (number | string)[],
  y: number[],
  color?: string,
  dash?: string,
): Record<string, unknown> {
  return {
    type: 'scatter',
    mode: 'lines+markers',
    name,
    x,
    y: y.map((v) => (Number.isFinite(v) ? v : null)),
    line: { color, dash, width: 2 },
    marker: { size: 4 },
  };
}

type Layout = Record<string, unknown>;
type Obj = Record<string, unknown>;

/** The band at the top of every chart where Plotly's toolbar appears (on hover): titles start below it. */
export const MODEBAR_BAND = 28;
/** Room under the plot for tick labels and the x-axis title; a legend below goes under that. */
const AXIS_BAND = 52;
const LEGEND_ROW = 18;
/** Between a title's last line and the plot area. */
const TITLE_GAP = 8;

/**
 * How every chart is drawn: resizes with its container, the toolbar only on hover and without the
 * selection tools nobody uses here (fewer buttons, less of the title it could cover), no logo.
 */
export const PLOT_CONFIG: Readonly<Obj> = Object.freeze({
  responsive: true,
  displaylogo: false,
  displayModeBar: 'hover',
  modeBarButtonsToRemove: [
    'select2d',
    'lasso2d',
    'autoScale2d',
    'toggleSpikelines',
    'hoverClosestCartesian',
    'hoverCompareCartesian',
  ],
});

/**
 * Breaks a title into lines of at most `chars` characters at spaces (a word longer than a line gets
 * its own line), joined with Plotly's `<br>`.
 * @example wrapTitle('Accuracy against coverage as the threshold rises', 20) // "Accuracy against<br>coverage as the<br>threshold rises"
 */
export function wrapTitle(text: string, chars: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > chars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('<br>');
}

/** A tick value as a person reads it: "0.02", "5", "100", "1e-5", "2e+6". */
export function tickLabel(v: number): string {
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(0).replace('e+', 'e');
  return Number(v.toPrecision(3)).toString();
}

/**
 * Tick values of a log axis spanning [lo, hi] (both > 0): powers of ten over more than two decades
 * (every other one past eight), 1-2-5 over a few, 1…9 within one; never the minor "2 3 4 … 9" labels
 * Plotly puts between decades. Empty when fewer than two ticks would fall in the range.
 * @example logTicks(0.9, 120) // [1, 10, 100]
 */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0) || !(hi > lo)) return [];
  const decades = Math.log10(hi / lo);
  const first = Math.floor(Math.log10(lo)),
    last = Math.ceil(Math.log10(hi));
  const within = (v: number) => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
  const seq = (mantissas: number[], step = 1) => {
    const out: number[] = [];
    for (let e = first; e <= last; e += step)
      for (const m of mantissas) out.push(Number((m * 10 ** e).toPrecision(12)));
    return out.filter(within);
  };
  const candidates =
    decades > 2
      ? [seq([1], last - first > 8 ? 2 : 1)]
      : decades > 0.7
        ? [seq([1, 2, 5])]
        : [seq([1, 2, 5]), seq([1, 2, 3, 4, 5, 6, 7, 8, 9])];
  return candidates.find((t) => t.length >= 2) ?? [];
}

/** The positive values the traces draw on one axis ('x', 'x2', 'y', …). */
function axisValues(data: readonly Obj[], axis: string): number[] {
  const letter = axis[0] as 'x' | 'y';
  const out: number[] = [];
  for (const t of data) {
    if ((t[`${letter}axis`] ?? letter) !== axis) continue;
    const v = t[letter];
    if (Array.isArray(v)) for (const x of v) if (typeof x === 'number' && x > 0 && Number.isFinite(x)) out.push(x);
  }
  return out;
}

/** How many rows a horizontal legend of these names needs in `width` pixels (10 px font). */
export function legendRows(names: readonly string[], width: number): number {
  let rows = names.length ? 1 : 0,
    used = 0;
  for (const n of names) {
    const w = 40 + n.length * 6;
    if (used > 0 && used + w > width) {
      rows++;
      used = 0;
    }
    used += w;
  }
  return rows;
}

/**
 * The house layout, finished for a container `width` pixels wide — applied to every figure before it is
 * drawn, so each builder need not get it right:
 * - the title wraps to the width (and shrinks below 480 px), below the toolbar's band, with the top
 *   margin it needs;
 * - a horizontal legend (and, below 600 px, a vertical one) goes under the plot, below the x-axis
 *   title, with the bottom margin its rows need — it never covers an axis title;
 * - log axes get ticks at 1, 10, 100 (or 1, 2, 5 …) with plain labels.
 * The plot area keeps its height: the figure grows by the extra title lines and legend rows.
 * Pure: returns a new layout.
 */
export function finishLayout(fig: Figure, width: number): Layout {
  const w = Math.max(240, Number.isFinite(width) && width > 0 ? width : 600);
  const layout: Layout = { ...fig.layout };
  const margin = { l: 55, r: 10, t: 40, b: 45, ...(layout.margin as Obj | undefined) } as Record<string, number>;
  const height = typeof layout.height === 'number' ? layout.height : null;
  let grow = 0;

  // Title: wrapped, under the toolbar band.
  const rawTitle = layout.title;
  const title: Obj | null =
    typeof rawTitle === 'string'
      ? { text: rawTitle }
      : rawTitle && typeof rawTitle === 'object'
        ? { ...(rawTitle as Obj) }
        : null;
  const text = typeof title?.text === 'string' ? title.text.replace(/<br>/g, ' ') : '';
  if (title && text) {
    const font = { ...(title.font as Obj | undefined) };
    const size = Math.min(typeof font.size === 'number' ? font.size : 13, w < 480 ? 12 : 14);
    const lines = wrapTitle(text, Math.max(12, Math.floor((w - 24) / (size * 0.56))));
    const n = lines.split('<br>').length;
    layout.title = {
      x: 0.02,
      xanchor: 'left',
      ...title,
      text: lines,
      font: { ...font, size },
      // Under the toolbar's band at the top of the figure. Plotly lifts a top-anchored title of n lines
      // by n − 1 line heights (seen in Chromium, Plotly 3): the pad gives them back.
      y: 1,
      yref: 'container',
      yanchor: 'top',
      pad: { t: Math.round(MODEBAR_BAND + (n - 1) * size * 1.3) },
    };
    const t = Math.ceil(MODEBAR_BAND + n * size * 1.3 + TITLE_GAP + 4);
    grow += Math.max(0, t - margin.t!);
    margin.t = Math.max(margin.t!, t);
  } else margin.t = Math.max(margin.t!, MODEBAR_BAND);

  // Legend: below the x-axis title, with room for its rows.
  const names = fig.data
    .filter((t) => t.showlegend !== false && typeof t.name === 'string' && t.name)
    .map((t) => t.name as string);
  const legend = { ...(layout.legend as Obj | undefined) };
  const shown = layout.showlegend !== false && (names.length > 1 || layout.showlegend === true);
  if (shown && (legend.orientation === 'h' || w < 600)) {
    const rows = legendRows(names, w - margin.l! * 0.5);
    const b = AXIS_BAND + rows * LEGEND_ROW + 6;
    layout.legend = {
      ...legend,
      orientation: 'h',
      x: 0,
      xanchor: 'left',
      xref: 'container',
      y: 0,
      yanchor: 'bottom',
      yref: 'container',
      font: { size: 10, ...(legend.font as Obj | undefined) },
    };
    grow += Math.max(0, b - margin.b!);
    margin.b = Math.max(margin.b!, b);
  }

  // Log axes: decade (or 1-2-5) ticks with plain labels, from the data drawn on them.
  for (const key of Object.keys(layout)) {
    const m = /^([xy])axis(\d*)$/.exec(key);
    const axis = layout[key] as Obj | undefined;
    if (!m || !axis || axis.type !== 'log' || axis.tickvals) continue;
    const values = axisValues(fig.data, `${m[1]}${m[2]}`);
    let lo = Infinity,
      hi = -Infinity;
    for (const v of values) ((lo = Math.min(lo, v)), (hi = Math.max(hi, v)));
    const ticks = values.length ? logTicks(lo, hi) : [];
    layout[key] = ticks.length
      ? { ...axis, tickmode: 'array', tickvals: ticks, ticktext: ticks.map(tickLabel) }
      : { ...axis, dtick: 1, exponentformat: 'power' };
  }

  layout.margin = margin;
  // A figure without a height takes its container's; one with a height grows by what was added.
  if (height !== null) layout.height = height + grow;
  layout.autosize = true;
  return layout;
}
