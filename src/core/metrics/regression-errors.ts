import { assert } from '../util/result.ts';

export interface RegressionErrors {
  /** Mean absolute error: (1/n) Σ |y − ŷ|. */
  mae: number;
  /** Root mean squared error: √((1/n) Σ (y − ŷ)²). */
  rmse: number;
  /**
   * Coefficient of determination: 1 − Σ(y − ŷ)² / Σ(y − ȳ)² (scikit-learn's `r2_score`; 0 for
   * constant y with perfect fit excluded).
   */
  r2: number;
}

/**
 * MAE, RMSE and R² in one pass pair, matching scikit-learn's `mean_absolute_error`,
 * `root_mean_squared_error` and `r2_score`.
 * Cost: O(n).
 * @example regressionErrors([1, 2, 3], [1, 2, 4]) // { mae: 0.333…, rmse: 0.577…, r2: 0.5 }
 */
export function regressionErrors(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): RegressionErrors {
  const n = yTrue.length;
  assert(n === yPred.length, () => `regressionErrors: ${n} targets vs ${yPred.length} predictions`);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i]!;
  mean /= n;
  let abs = 0,
    sq = 0,
    tot = 0;
  for (let i = 0; i < n; i++) {
    const e = yTrue[i]! - yPred[i]!;
    abs += Math.abs(e);
    sq += e * e;
    tot += (yTrue[i]! - mean) ** 2;
  }
  return { mae: abs / n, rmse: Math.sqrt(sq / n), r2: tot === 0 ? (sq === 0 ? 1 : 0) : 1 - sq / tot };
}
