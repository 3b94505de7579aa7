import { confusionMatrix } from './confusion-matrix.ts';
import type { ClassScores, ClassificationReport } from '../contracts/evaluation.ts';
export type { ClassScores, ClassificationReport } from '../contracts/evaluation.ts';

/**
 * Precision, recall and F1 per class with macro, micro and support-weighted averages (zero_division=0),
 * accuracy, balanced accuracy and MCC — all from one confusion matrix, matching scikit-learn's
 * `precision_recall_fscore_support`, `balanced_accuracy_score` and `matthews_corrcoef`.
 * Cost: O(n + k²).
 */
export function classificationReport(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  k: number,
): ClassificationReport {
  const c = confusionMatrix(yTrue, yPred, k);
  const n = yTrue.length;
  const tp = new Float64Array(k),
    predicted = new Float64Array(k),
    actual = new Float64Array(k);
  for (let t = 0; t < k; t++)
    for (let p = 0; p < k; p++) {
      const v = c[t * k + p]!;
      if (t === p) tp[t] = v;
      predicted[p]! += v;
      actual[t]! += v;
    }
  const div = (a: number, b: number) => (b > 0 ? a / b : 0);
  const perClass: ClassScores[] = Array.from({ length: k }, (_, i) => {
    const precision = div(tp[i]!, predicted[i]!),
      recall = div(tp[i]!, actual[i]!);
    return { precision, recall, f1: div(2 * precision * recall, precision + recall), support: actual[i]! };
  });
  const avg = (f: (s: ClassScores) => number, w: (s: ClassScores) => number) => {
    const tw = perClass.reduce((s, x) => s + w(x), 0);
    return div(
      perClass.reduce((s, x) => s + f(x) * w(x), 0),
      tw,
    );
  };
  const totalTp = tp.reduce((a, b) => a + b, 0);
  const microP = div(totalTp, n),
    microR = div(totalTp, n);
  const present = perClass.filter((s) => s.support > 0);
  // MCC: (c·s − Σ p_k t_k) / √((s² − Σ p_k²)(s² − Σ t_k²)).
  let pt = 0,
    pp = 0,
    tt = 0;
  for (let i = 0; i < k; i++) {
    pt += predicted[i]! * actual[i]!;
    pp += predicted[i]! ** 2;
    tt += actual[i]! ** 2;
  }
  const denom = Math.sqrt((n * n - pp) * (n * n - tt));
  return {
    perClass,
    macro: {
      precision: avg(
        (s) => s.precision,
        () => 1,
      ),
      recall: avg(
        (s) => s.recall,
        () => 1,
      ),
      f1: avg(
        (s) => s.f1,
        () => 1,
      ),
    },
    micro: { precision: microP, recall: microR, f1: div(2 * microP * microR, microP + microR) },
    weighted: {
      precision: avg(
        (s) => s.precision,
        (s) => s.support,
      ),
      recall: avg(
        (s) => s.recall,
        (s) => s.support,
      ),
      f1: avg(
        (s) => s.f1,
        (s) => s.support,
      ),
    },
    accuracy: div(totalTp, n),
    balancedAccuracy: present.length ? present.reduce((s, x) => s + x.recall, 0) / present.length : NaN,
    mcc: denom > 0 ? (totalTp * n - pt) / denom : 0,
  };
}
