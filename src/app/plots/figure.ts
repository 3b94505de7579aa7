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
