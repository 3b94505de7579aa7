import { describe, expect, it } from 'vitest';
import type { BaselineScore, EpochRecord, RunRecord } from '../contracts/run-record.ts';
import {
  calibrationSummary,
  cloudSummary,
  compareSummary,
  compressionInsights,
  driftSummary,
  evaluationSummary,
  noBetterThanBaseline,
  overfitting,
  ruleBranchesAgree,
  runInsights,
} from './index.ts';

const zero = (accuracy: number, test = accuracy): BaselineScore => ({
  kind: 'zero-rule',
  name: 'Zero-rule',
  detail: 'always "a" (66.7% of training rows)',
  validation: { loss: NaN, accuracy },
  test: { loss: NaN, accuracy: test },
});
const rule = (branches: [string, string] | undefined, detail = 'x ≤ 1 → "a", otherwise "b"'): BaselineScore => ({
  kind: 'threshold',
  name: 'Best single-feature rule',
  detail,
  branches,
  validation: { loss: NaN, accuracy: 0.6 },
});
const epochs = (pairs: [number, number][]): EpochRecord[] =>
  pairs.map(([train, validation], i) => ({
    epoch: i + 1,
    train: { loss: train },
    validation: { loss: validation },
    samplesPerSecond: 0,
    elapsedMs: 0,
  }));
type R = Pick<RunRecord, 'task' | 'metrics' | 'baselines' | 'history'>;
const healthy: R = {
  task: 'classification',
  metrics: {
    train: { loss: 0.2, accuracy: 0.95 },
    validation: { loss: 0.25, accuracy: 0.9333 },
    test: { loss: 0.26, accuracy: 0.93 },
  },
  baselines: [zero(0.6667), rule(['a', 'b'])],
  history: epochs([
    [0.9, 0.95],
    [0.5, 0.55],
    [0.3, 0.35],
    [0.2, 0.25],
  ]),
};

describe('evaluation summary', () => {
  it('states the validation accuracy and the lift over the strongest baseline', () => {
    expect(evaluationSummary(healthy)).toEqual({
      tone: 'good',
      code: 'evaluation-summary',
      text: 'Validation accuracy 0.9333, +0.27 over the strongest baseline (Zero-rule).',
    });
  });
  it('reports RMSE and R² for regression, the lift in the label units', () => {
    const r: R = {
      task: 'regression',
      metrics: { train: { loss: 1, rmse: 3 }, validation: { loss: 1, rmse: 3.21, r2: 0.84 } },
      baselines: [{ kind: 'zero-rule', name: 'Zero-rule', detail: '', validation: { loss: NaN, rmse: 4.66, r2: 0 } }],
      history: [],
    };
    expect(evaluationSummary(r).text).toBe(
      'Validation RMSE 3.2100 (R² 0.8400), 1.4500 lower than the strongest baseline (Zero-rule).',
    );
    expect(noBetterThanBaseline(r)).toBeNull();
  });
});

describe('warnings of a run', () => {
  it('a healthy run has none', () => {
    expect(runInsights(healthy).map((i) => i.code)).toEqual(['evaluation-summary']);
  });

  it('overfitting: train accuracy 1 far above validation', () => {
    const r = { ...healthy, metrics: { ...healthy.metrics, train: { loss: 0.01, accuracy: 1 } } };
    const w = overfitting(r)!;
    expect(w.code).toBe('overfitting');
    expect(w.text).toMatch(/^Overfitting: train accuracy 1\.0000, validation 0\.9333\./);
    // 0.995 with a gap of 0.02 stays silent (below both thresholds).
    expect(overfitting({ ...r, metrics: { ...r.metrics, train: { loss: 0.1, accuracy: 0.9533 } } })).toBeNull();
  });

  it('overfitting: validation loss climbing while training loss falls', () => {
    const r = {
      ...healthy,
      history: epochs([
        [0.9, 0.6],
        [0.5, 0.41],
        [0.3, 0.45],
        [0.2, 0.5],
        [0.1, 0.62],
      ]),
    };
    expect(overfitting(r)!.text).toContain(
      'validation loss rose from 0.4100 (epoch 2) to 0.6200 (epoch 5) while training loss fell from 0.5000 to 0.1000',
    );
    // A rise of less than 20% is noise, not overfitting.
    const calm = {
      ...r,
      history: epochs([
        [0.9, 0.6],
        [0.5, 0.41],
        [0.3, 0.43],
        [0.2, 0.44],
        [0.1, 0.45],
      ]),
    };
    expect(overfitting(calm)).toBeNull();
  });

  it('overfitting: regression validation RMSE far above training', () => {
    const r: R = {
      task: 'regression',
      metrics: { train: { loss: 1, rmse: 1 }, validation: { loss: 1, rmse: 2, r2: 0.5 } },
      history: [],
    };
    expect(overfitting(r)!.text).toContain('validation RMSE 2.0000 is 2.0× the training RMSE 1.0000');
    expect(overfitting({ ...r, metrics: { ...r.metrics, validation: { loss: 1, rmse: 1.2 } } })).toBeNull();
  });

  it('no better than its baseline', () => {
    const r = { ...healthy, metrics: { ...healthy.metrics, validation: { loss: 0.6, accuracy: 0.67 } } };
    const w = noBetterThanBaseline(r)!;
    expect(w.code).toBe('no-better-than-baseline');
    expect(w.text).toMatch(/^No better than its baseline: validation accuracy 0\.6700 against 0\.6667 for Zero-rule/);
    expect(evaluationSummary(r)).toMatchObject({ tone: 'warn' });
    expect(evaluationSummary(r).text).toBe(
      'Validation accuracy 0.6700, +0.00 against the strongest baseline (Zero-rule, 0.6667): no better than it.',
    );
    expect(noBetterThanBaseline(healthy)).toBeNull();
  });

  it('a rule baseline whose branches agree (kept branches, or the text of an older record)', () => {
    expect(ruleBranchesAgree({ ...healthy, baselines: [rule(['good', 'good'])] })!.text).toBe(
      'The "Best single-feature rule" baseline predicts "good" on both sides of its split, so it is the ' +
        'zero-rule in disguise: no single feature separates the classes on its own.',
    );
    const old = rule(undefined, 'checking_status is not "no checking" → "good", otherwise "good"');
    expect(ruleBranchesAgree({ ...healthy, baselines: [old] })?.code).toBe('rule-branches-agree');
    expect(ruleBranchesAgree(healthy)).toBeNull();
    expect(ruleBranchesAgree({ ...healthy, baselines: [rule(undefined)] })).toBeNull();
  });
});

describe('calibration summary', () => {
  it('worse on both: keep the original', () => {
    expect(calibrationSummary({ ece: 0.0945, logLoss: 0.51 }, { ece: 0.0961, logLoss: 0.52 }, 'test')).toEqual({
      tone: 'bad',
      code: 'calibration-worse',
      keep: 'original',
      text: 'Calibration made this model worse on test (ECE 0.0945 → 0.0961, log loss 0.5100 → 0.5200): keep the original.',
    });
  });
  it('better on both: use the calibrated version; mixed: log loss decides', () => {
    const b = calibrationSummary({ ece: 0.09, logLoss: 0.5 }, { ece: 0.03, logLoss: 0.45 }, 'test');
    expect([b.code, b.keep, b.tone]).toEqual(['calibration-better', 'calibrated', 'good']);
    expect(b.text).toBe(
      'Calibration improved this model on test (ECE 0.0900 → 0.0300, log loss 0.5000 → 0.4500): use the calibrated version.',
    );
    const m = calibrationSummary({ ece: 0.09, logLoss: 0.5 }, { ece: 0.03, logLoss: 0.55 }, 'validation');
    expect([m.code, m.keep]).toEqual(['calibration-mixed', 'original']);
    expect(calibrationSummary({ ece: 0.09, logLoss: 0.5 }, { ece: 0.09, logLoss: 0.5 }, 'test').code).toBe(
      'calibration-no-change',
    );
  });
});

describe('compression', () => {
  const parent = { ...healthy, compression: undefined };
  const child = (accuracy: number, sparsity = 0.9) => ({
    ...healthy,
    metrics: { ...healthy.metrics, test: { loss: 1, accuracy } },
    compression: {
      parentRunId: 'p',
      info: {
        method: 'prune' as const,
        spec: { method: 'prune' as const },
        parentBytes: 40960,
        storedBytes: 4096,
        gzipBytes: 2000,
        params: 10240,
        nonzero: 1024,
        sparsity,
      },
    },
  });
  it('a collapse from 0.93 to 0.49 after pruning 90% is flagged, against the baseline', () => {
    const xs = compressionInsights(parent, child(0.49));
    expect(xs.map((x) => x.code)).toEqual(['compression-summary', 'compression-collapse']);
    expect(xs[0]!.text).toBe(
      'prune (90% sparsity): test accuracy 0.9300 → 0.4900 (−0.4400), 40.0 KB → 4.0 KB (10.0× smaller).',
    );
    expect(xs[1]!.text).toBe(
      'Compression collapsed accuracy: 0.9300 → 0.4900 on test after prune (90% sparsity), no better than the ' +
        'strongest baseline (Zero-rule, 0.6667). Keep the parent, or compress less (or fine-tune after pruning).',
    );
  });
  it('a small drop is not a collapse', () => {
    const xs = compressionInsights(parent, child(0.925));
    expect(xs.map((x) => x.code)).toEqual(['compression-summary']);
    expect(xs[0]!.tone).toBe('good');
    // Losing half the lift (0.93 − 0.6667 = 0.2633) is: 0.93 → 0.79.
    expect(compressionInsights(parent, child(0.79)).map((x) => x.code)).toContain('compression-collapse');
    expect(compressionInsights(parent, child(0.79))[1]!.text).toContain("losing 53% of the parent's lift");
    expect(compressionInsights(parent, child(0.81)).map((x) => x.code)).not.toContain('compression-collapse');
  });
});

describe('drift and comparisons', () => {
  it('drift: how many columns drifted and which most', () => {
    const r = {
      schema: [],
      features: [
        { feature: 'wind', verdict: 'drift' as const, psi: 0.12 },
        { feature: 'temp_max', verdict: 'drift' as const, psi: 0.84 },
        { feature: 'rain', verdict: 'none' as const, psi: 0.01 },
        { feature: 'sun', verdict: 'small' as const, psi: 0.05 },
        { feature: 'cloud', verdict: 'none' as const, psi: 0.02 },
      ],
    };
    expect(driftSummary(r)).toEqual([
      {
        tone: 'warn',
        code: 'drift-summary',
        text: '2 of 5 columns drifted; most: temp_max (PSI 0.8400), wind (PSI 0.1200). Check the model on the new data before trusting it there.',
      },
    ]);
    const calm = { ...r, features: r.features.map((f) => ({ ...f, verdict: 'none' as const })) };
    expect(driftSummary(calm)[0]).toMatchObject({ tone: 'good', text: 'No column drifted (5 compared).' });
    expect(driftSummary({ ...calm, schema: [{}] }).map((x) => x.code)).toEqual(['drift-summary', 'drift-schema']);
  });

  it('compare: the best run on the primary metric and by how much', () => {
    const run = (name: string, accuracy: number, dataset = 'd') => ({
      name,
      task: 'classification' as const,
      label: 'y',
      dataset: { id: dataset, name: dataset, rows: 1 },
      metrics: { train: { loss: 0 }, validation: { loss: 0, accuracy } },
    });
    expect(compareSummary([run('A', 0.9133), run('B', 0.9333)])).toEqual([
      { tone: 'info', code: 'compare-best', text: 'Best validation accuracy: B (0.9333), 0.0200 ahead of A (0.9133).' },
    ]);
    expect(compareSummary([run('A', 0.9), run('B', 0.9, 'e')]).map((x) => x.code)).toEqual([
      'compare-tie',
      'compare-different-data',
    ]);
  });

  it('cloud: agreement of the local and the cloud model', () => {
    const c = {
      rows: 150,
      agreement: 1,
      maxDiff: 1.2e-6,
      local: { metrics: { accuracy: 0.9333 } },
      remote: { metrics: { accuracy: 0.9333 } },
    };
    expect(cloudSummary(c, 'classification', 'test')).toEqual({
      tone: 'good',
      code: 'cloud-agree',
      text: 'Local and cloud agree on 100.0% of 150 test rows (largest output difference 1.20e-6); test accuracy 0.9333 on both.',
    });
    const d = cloudSummary({ ...c, agreement: 0.9, remote: { metrics: { accuracy: 0.85 } } }, 'classification', 'test');
    expect(d.code).toBe('cloud-disagree');
    expect(d.text).toMatch(/^Local and cloud disagree on 15 of 150 test rows \(agreement 90\.0%/);
  });
});
