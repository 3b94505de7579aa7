import { describe, expect, it } from 'vitest';
import { SKLEARN } from '../../../tests/unit/fixtures.ts';
import { calibrationCurve, calibrationSummary } from '../calibration/reliability.ts';
import { applyCalibrator, fitCalibrator, isotonicFit, isotonicPredict } from '../calibration/calibrators.ts';
import { argmaxRows } from '../metrics/argmax-rows.ts';
import { accuracy } from '../metrics/accuracy.ts';
import { classificationReport } from '../metrics/classification-report.ts';
import { confusionMatrix } from '../metrics/confusion-matrix.ts';
import { brierBinary, mape } from '../metrics/probability-scores.ts';
import { prCurve, rocAucOvr, rocCurve } from '../metrics/ranking-curves.ts';
import { benjaminiHochberg } from '../stats/multiple-testing.ts';
import { normalSf } from '../stats/normal.ts';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-9) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Math.abs(a[i]! - b[i]!), `index ${i}: ${a[i]} vs ${b[i]}`).toBeLessThan(tol);
};

// References: scikit-learn 1.2.1 / scipy 1.10.1, tests/fixtures/make_fixtures.py.
describe('evaluation metrics match scikit-learn', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixture JSON
  SKLEARN.evaluation.forEach((e: any, i: number) => {
    it(`prediction set ${i} (k=${e.k}, n=${e.y.length})`, () => {
      const k = e.k;
      const pred = argmaxRows(e.probs, k);
      expect(Array.from(pred)).toEqual(e.pred);
      const r = classificationReport(e.y, pred, k);
      expect(Math.abs(r.balancedAccuracy - e.balanced_accuracy)).toBeLessThan(1e-9);
      expect(Math.abs(r.mcc - e.mcc)).toBeLessThan(1e-9);
      close(
        r.perClass.map((c) => c.precision),
        e.per_class.precision,
      );
      close(
        r.perClass.map((c) => c.recall),
        e.per_class.recall,
      );
      close(
        r.perClass.map((c) => c.f1),
        e.per_class.f1,
      );
      for (const avg of ['macro', 'micro', 'weighted'] as const)
        close([r[avg].precision, r[avg].recall, r[avg].f1], [e[avg].precision[0], e[avg].recall[0], e[avg].f1[0]]);
      close(confusionMatrix(e.y, pred, k), e.confusion);
      close(confusionMatrix(e.y, pred, k, 'true'), e.confusion_true);
      if (k === 2) {
        const pos = Float64Array.from({ length: e.y.length }, (_, j) => e.probs[j * 2 + 1]);
        const isPos = e.y.map((v: number) => v === 1);
        const roc = rocCurve(pos, isPos);
        expect(Math.abs(roc.auc - e.auc)).toBeLessThan(1e-9);
        close(roc.fpr, e.roc_fpr);
        close(roc.tpr, e.roc_tpr);
        const pr = prCurve(pos, isPos);
        close(pr.precision, e.pr_precision);
        close(pr.recall, e.pr_recall);
        close(pr.thresholds, e.pr_thresholds);
        expect(Math.abs(pr.averagePrecision - e.average_precision)).toBeLessThan(1e-9);
        expect(Math.abs(brierBinary(e.y, pos) - e.brier)).toBeLessThan(1e-9);
        for (const strategy of ['uniform', 'quantile'] as const)
          for (const bins of [5, 10]) {
            const c = calibrationCurve(e.y, pos, bins, strategy);
            close(c.probTrue, e[`calibration_${strategy}_${bins}`].prob_true);
            close(c.probPred, e[`calibration_${strategy}_${bins}`].prob_pred);
          }
        // Platt: scikit-learn's p = 1/(1+exp(a·f + b)); ours σ(A·f + B), so A = −a, B = −b.
        const platt = fitCalibrator('platt', e.probs, e.y, 2);
        if (platt.method !== 'platt') throw new Error('platt');
        expect(Math.abs(platt.a + e.platt.a)).toBeLessThan(1e-5);
        expect(Math.abs(platt.b + e.platt.b)).toBeLessThan(1e-5);
        const iso = isotonicFit(pos, e.y);
        close(
          e.isotonic_grid.map((g: number) => isotonicPredict(iso, g)),
          e.isotonic_pred,
          1e-9,
        );
      } else if (e.auc_macro !== null) {
        const auc = rocAucOvr(e.y, e.probs, k);
        expect(Math.abs(auc.macro - e.auc_macro)).toBeLessThan(1e-9);
        expect(Math.abs(auc.weighted - e.auc_weighted)).toBeLessThan(1e-9);
      }
    });
  });
  it('MAPE and the normal tail', () => {
    expect(Math.abs(mape(SKLEARN.stats.mape.y, SKLEARN.stats.mape.pred) - SKLEARN.stats.mape.value)).toBeLessThan(
      1e-12,
    );
    SKLEARN.stats.norm_sf.z.forEach((z: number, i: number) => {
      const want = SKLEARN.stats.norm_sf.sf[i];
      expect(Math.abs(normalSf(z) - want) / want, `z=${z}`).toBeLessThan(1e-9);
    });
  });
});

describe('calibration', () => {
  const e = SKLEARN.evaluation[1];
  it('ECE by its published definition on a hand-checked case', () => {
    // Two bins hit: conf 0.9 (acc 0.5, 2 rows) and conf 0.6 (acc 1, 2 rows): ECE = ½·0.4 + ½·0.4 = 0.4.
    const y = [0, 1, 0, 0];
    const probs = [0.9, 0.1, 0.9, 0.1, 0.6, 0.4, 0.6, 0.4];
    const s = calibrationSummary(y, probs, 2, 10);
    expect(s.ece).toBeCloseTo(0.4, 12);
    expect(s.mce).toBeCloseTo(0.4, 12);
    // Binary: brier_score_loss on the positive class, P(1) = 0.1, 0.1, 0.4, 0.4 against 0, 1, 0, 0.
    expect(s.brier).toBeCloseTo((0.01 + 0.81 + 0.16 + 0.16) / 4, 12);
    expect(s.brier).toBeCloseTo(brierBinary(y, [0.1, 0.1, 0.4, 0.4]), 12);
    expect(s.reliability - s.resolution + s.uncertainty).toBeCloseTo(s.brier, 1);
  });
  it('temperature scaling never changes the predicted class, and lowers NLL on its own data', () => {
    const cal = fitCalibrator('temperature', e.probs, e.y, 3);
    const out = applyCalibrator(cal, e.probs, 3);
    expect(Array.from(argmaxRows(out, 3))).toEqual(Array.from(argmaxRows(e.probs, 3)));
    expect(accuracy(e.y, argmaxRows(out, 3))).toBe(accuracy(e.y, argmaxRows(e.probs, 3)));
    const nll = (p: ArrayLike<number>) =>
      e.y.reduce((s: number, y: number, i: number) => s - Math.log(p[i * 3 + y]!), 0);
    expect(nll(out)).toBeLessThanOrEqual(nll(e.probs) + 1e-9);
  });
  it('isotonic and histogram calibrators return probabilities that sum to 1', () => {
    for (const m of ['isotonic', 'histogram'] as const) {
      const out = applyCalibrator(fitCalibrator(m, e.probs, e.y, 3), e.probs, 3);
      for (let i = 0; i < e.y.length; i++) expect(out[i * 3]! + out[i * 3 + 1]! + out[i * 3 + 2]!).toBeCloseTo(1, 9);
    }
  });
  it('Benjamini–Hochberg matches its definition', () => {
    close(benjaminiHochberg([0.01, 0.04, 0.03, 0.2]), [0.04, 0.16 / 3, 0.16 / 3, 0.2], 1e-15);
  });
});
