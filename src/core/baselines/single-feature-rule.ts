/** A depth-1 rule on one encoded input: rows with x ≤ threshold take the left branch. */
export interface SingleFeatureRule {
  input: number;
  threshold: number;
  /** Training class shares on each side (probabilities, summing to 1). */
  left: Float64Array;
  right: Float64Array;
  leftClass: number;
  rightClass: number;
  /** Training rows the rule classifies correctly. */
  correct: number;
}

function argmax(xs: ArrayLike<number>): number {
  let b = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[b]!) b = i;
  return b;
}

/**
 * The best single-feature rule whose two branches predict different classes (Holte's 1R restricted
 * to one threshold): over every encoded input and every threshold halfway between consecutive distinct
 * training values, the split with the most training rows classified correctly, ties broken by the
 * lower weighted Gini impurity, then by the earlier input. A depth-1 split whose two leaves predict
 * the same class is the zero-rule in disguise, so such splits are skipped. Returns null when no split
 * predicts two classes (every input constant, or every split keeps the majority on both sides).
 * Cost: O(d · n log n) time, O(n + k) memory.
 * @example bestSingleFeatureRule(X, y, n, d, 2) // { input: 3, threshold: 0.41, leftClass: 1, rightClass: 0, … }
 */
export function bestSingleFeatureRule(
  X: Float32Array,
  y: Int32Array,
  n: number,
  d: number,
  k: number,
): SingleFeatureRule | null {
  const total = new Float64Array(k);
  for (let i = 0; i < n; i++) total[y[i]!]!++;
  const order = new Uint32Array(n);
  const values = new Float64Array(n);
  const leftCounts = new Float64Array(k);
  const rightCounts = new Float64Array(k);
  let best: { input: number; threshold: number; correct: number; gini: number; at: number } | null = null;
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) {
      order[i] = i;
      values[i] = X[i * d + j]!;
    }
    order.sort((a, b) => values[a]! - values[b]!);
    leftCounts.fill(0);
    rightCounts.set(total);
    for (let p = 0; p < n - 1; p++) {
      const r = order[p]!;
      leftCounts[y[r]!]!++;
      rightCounts[y[r]!]!--;
      const v = values[r]!,
        next = values[order[p + 1]!]!;
      if (v === next) continue;
      const lc = argmax(leftCounts),
        rc = argmax(rightCounts);
      if (lc === rc) continue;
      const correct = leftCounts[lc]! + rightCounts[rc]!;
      const nl = p + 1,
        nr = n - nl;
      let gl = 1,
        gr = 1;
      for (let c = 0; c < k; c++) {
        gl -= (leftCounts[c]! / nl) ** 2;
        gr -= (rightCounts[c]! / nr) ** 2;
      }
      const gini = (nl * gl + nr * gr) / n;
      if (!best || correct > best.correct || (correct === best.correct && gini < best.gini - 1e-12))
        best = { input: j, threshold: (v + next) / 2, correct, gini, at: p };
    }
  }
  if (!best) return null;
  // Recount the chosen split's sides (cheaper than keeping the counts of every candidate).
  const left = new Float64Array(k),
    right = new Float64Array(k);
  let nl = 0;
  for (let i = 0; i < n; i++)
    if (X[i * d + best.input]! <= best.threshold) {
      left[y[i]!]!++;
      nl++;
    } else right[y[i]!]!++;
  const leftClass = argmax(left),
    rightClass = argmax(right);
  for (let c = 0; c < k; c++) {
    left[c] = left[c]! / nl;
    right[c] = right[c]! / (n - nl);
  }
  return { input: best.input, threshold: best.threshold, left, right, leftClass, rightClass, correct: best.correct };
}
