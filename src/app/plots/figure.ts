/** A Plotly figure as plain data: built by pure functions, rendered by `render-plot.ts`. */
export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}
