import type { RocCurve, PrCurve } from '../contracts/evaluation.ts';
export type { RocCurve, PrCurve } from '../contracts/evaluation.ts';

/** Cumulative true/false positives at each distinct score, scores sorted descending (ties grouped). */
function cumulative(
  scores: ArrayLike<number>,
  positive: ArrayLike<boolean>,
): { tps: number[]; fps: number[]; thr: number[] } {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const tps: number[] = [],
    fps: number[] = [],
    thr: number[] = [];
  let tp = 0,
    fp = 0;
  for (let j = 0; j < idx.length; j++) {
    if (positive[idx[j]!]) tp++;
    else fp++;
    if (j === idx.length - 1 || scores[idx[j + 1]!] !== scores[idx[j]!]) {
      tps.push(tp);
      fps.push(fp);
      thr.push(scores[idx[j]!]!);
    }
  }
  return { tps, fps, thr };
}

/**
 * ROC curve of a score for one positive class, every distinct threshold kept (scikit-learn's
 * `roc_curve(..., drop_intermediate=False)`, starting at (0, 0) with threshold +∞), and the area
 * under it by the trapezoidal rule (`roc_auc_score`). NaN AUC when only one class is present.
 * Cost: O(n log n).
 */
export function rocCurve(scores: ArrayLike<number>, positive: ArrayLike<boolean>): RocCurve {
  const { tps, fps, thr } = cumulative(scores, positive);
  const P = tps.at(-1) ?? 0,
    N = fps.at(-1) ?? 0;
  const fpr = [0, ...fps.map((f) => (N > 0 ? f / N : NaN))];
  const tpr = [0, ...tps.map((t) => (P > 0 ? t / P : NaN))];
  let auc = 0;
  for (let i = 1; i < fpr.length; i++) auc += ((fpr[i]! - fpr[i - 1]!) * (tpr[i]! + tpr[i - 1]!)) / 2;
  return { fpr, tpr, thresholds: [Infinity, ...thr], auc: P > 0 && N > 0 ? auc : NaN };
}

/**
 * Precision–recall curve (scikit-learn ≥ 1.1's `precision_recall_curve`: every distinct threshold,
 * ascending, then a last point of precision 1, recall 0) and average precision.
 */
export function prCurve(scores: ArrayLike<number>, positive: ArrayLike<boolean>): PrCurve {
  const { tps, fps, thr } = cumulative(scores, positive);
  const P = tps.at(-1) ?? 0;
  const prec = tps.map((t, i) => t / (t + fps[i]!));
  const rec = tps.map((t) => (P > 0 ? t / P : NaN));
  const end = rec.length;
  const precision = [...prec.slice(0, end).reverse(), 1];
  const recall = [...rec.slice(0, end).reverse(), 0];
  let ap = 0,
    prevR = 0;
  for (let i = 0; i < end; i++) {
    ap += (rec[i]! - prevR) * prec[i]!;
    prevR = rec[i]!;
  }
  return { precision, recall, thresholds: thr.slice(0, end).reverse(), averagePrecision: P > 0 ? ap : NaN };
}

/**
 * One-vs-rest AUC for k classes (probabilities row-major n × k): per class, and the macro and
 * prevalence-weighted means (scikit-learn's `roc_auc_score(multi_class='ovr')`). For k = 2 the
 * binary AUC of class 1.
 */
export function rocAucOvr(
  yTrue: ArrayLike<number>,
  probs: ArrayLike<number>,
  k: number,
): { perClass: number[]; macro: number; weighted: number } {
  const n = yTrue.length;
  const perClass = Array.from(
    { length: k },
    (_, c) =>
      rocCurve(
        Float64Array.from({ length: n }, (_, i) => probs[i * k + c]!),
        Array.from({ length: n }, (_, i) => yTrue[i] === c),
      ).auc,
  );
  if (k === 2) return { perClass, macro: perClass[1]!, weighted: perClass[1]! };
  const counts = Array.from({ length: k }, (_, c) => Array.prototype.filter.call(yTrue, (y: number) => y === c).length);
  const valid = perClass.map((a, c) => [a, counts[c]!] as const).filter(([a]) => Number.isFinite(a));
  const macro = valid.reduce((s, [a]) => s + a, 0) / valid.length;
  const weighted = valid.reduce((s, [a, w]) => s + a * w, 0) / valid.reduce((s, [, w]) => s + w, 0);
  return { perClass, macro, weighted };
}
