import { binCounts, quantileEdges } from '../univariate.ts';
import type { DriftSample } from './drift-measure.ts';

/**
 * A numeric column prepared for every measure: the values, and both sides counted in the reference's
 * decile bins (`quantileEdges`, `binCounts` — numpy's `quantile` and `searchsorted(side='right')`).
 * Cost: O((n + m) log n).
 * @example numericSample(Float64Array.of(1, 2, 3), Float64Array.of(2, 3, 4)).edges
 */
export function numericSample(reference: Float64Array, current: Float64Array, bins = 10): DriftSample {
  const edges = quantileEdges(reference, bins);
  return {
    kind: 'numeric',
    reference,
    current,
    edges,
    referenceCounts: binCounts(reference, edges),
    currentCounts: binCounts(current, edges),
  };
}

/**
 * A categorical column prepared for every measure: counts per category, aligned, on each side.
 * @example categoricalSample(['a', 'b'], [3, 1], [2, 2])
 */
export function categoricalSample(
  categories: string[],
  referenceCounts: number[],
  currentCounts: number[],
): DriftSample {
  return { kind: 'categorical', categories, referenceCounts, currentCounts };
}
