import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitLinearSvm, linearSvmDecision } from './linear-svm.ts';

// Reference: scikit-learn 1.2 LinearSVC (liblinear dual coordinate descent, tol 1e-10) on standardized
// wine, made by tests/fixtures/make_svm_fixture.py.
const REF = JSON.parse(
  readFileSync(new URL('../../../tests/fixtures/svm-reference.json', import.meta.url), 'utf8'),
) as {
  X: number[][];
  y: number[];
  models: { C: number; classes: number; rows: number; decision: number[] }[];
};

describe('linear SVM matches scikit-learn LinearSVC', () => {
  for (const m of REF.models) {
    it(`C=${m.C}, ${m.classes} classes`, () => {
      const keep = REF.y.map((c, i) => (m.classes === 2 ? c < 2 : true) && i).filter((i) => i !== false) as number[];
      const d = REF.X[0]!.length;
      const X = Float32Array.from(keep.flatMap((i) => REF.X[i]!));
      const y = Int32Array.from(keep.map((i) => REF.y[i]!));
      const s = fitLinearSvm(X, y, keep.length, d, m.classes, { C: m.C, tol: 1e-8, maxIter: 100000, seed: 0 });
      const dec = linearSvmDecision(s, X, keep.length);
      let worst = 0;
      for (let i = 0; i < dec.length; i++) worst = Math.max(worst, Math.abs(dec[i]! - m.decision[i]!));
      // float32 inputs against sklearn's float64: agreement to ~1e-4 of decision values of order 1.
      expect(worst).toBeLessThan(2e-3);
    });
  }
});
