import { chiSquareHomogeneity } from '../univariate.ts';
import type { DriftMeasure } from './drift-measure.ts';

/**
 * Pearson's chi-square test of homogeneity on the 2 × k table of category counts (reference, current),
 * without continuity correction; categories empty on both sides are dropped (`chiSquareHomogeneity`).
 * Cost: O(k).
 * @example chiSquare.run(categoricalSample(['a', 'b'], [30, 70], [50, 50])) // { statistic: 8.3, p: 0.004, dof: 1 }
 */
export const chiSquare = {
  id: 'chi-square',
  label: 'chi-square',
  short: 'χ²',
  role: 'test',
  appliesTo: ['categorical'],
  gatesVerdict: false,
  description: 'Pearson chi-square of homogeneity between the category counts, and its p-value',
  scipy: 'scipy.stats.chi2_contingency([reference, current], correction=False)',
  tolerance: { statistic: 1e-10, p: 1e-6 },
  run(sample) {
    const r = chiSquareHomogeneity(sample.referenceCounts, sample.currentCounts);
    return { statistic: r.statistic, p: r.pValue, dof: r.dof };
  },
} as const satisfies DriftMeasure;
