/** Schemas of evaluation reports kept with a run (src/core/contracts/evaluation.ts). */
import * as v from 'valibot';
import type { BehaviourTest, EvaluationReport } from '../../contracts/evaluation.ts';
import { conforms, count, id, LIMITS, list, metric, metrics, names, num, oneOf, record, text } from './primitives.ts';

const IntervalSchema = record({ estimate: metric, lo: metric, hi: metric, level: metric });
const scores = { precision: metric, recall: metric, f1: metric };
const BinSchema = record({ lo: metric, hi: metric, count: metric, confidence: metric, frequency: metric });
const inputRow = v.record(v.string(), v.nullable(v.string()), 'an object of column values (text or null)');

/** A problem as plain data (a note of an evaluation, a warning). */
export const ProblemSchema = record({
  kind: text(LIMITS.id),
  message: text(LIMITS.text),
  file: v.optional(text()),
  row: v.optional(num),
  column: v.optional(text()),
});

const SliceConditionSchema = v.variant(
  'op',
  [
    record({ column: text(), op: v.literal('eq'), value: text() }),
    record({ column: text(), op: v.literal('range'), min: metric, max: metric }),
  ],
  'a slice condition ("eq" or "range")',
);

const SliceResultSchema = record({
  name: text(),
  conditions: list(SliceConditionSchema, 'a list of conditions'),
  size: count,
  metric: oneOf(['accuracy', 'rmse']),
  value: metric,
  interval: IntervalSchema,
  gap: metric,
  effectSize: metric,
  pValue: metric,
  adjustedP: metric,
  rows: list(count, 'a list of row numbers'),
});

export const BehaviourTestSchema = conforms<BehaviourTest>()(
  v.variant(
    'kind',
    [
      record({
        kind: v.literal('perturbation'),
        strengths: metrics(),
        swapCategories: v.boolean('true or false'),
      }),
      record({ kind: v.literal('invariance'), column: text() }),
      record({
        kind: v.literal('directional'),
        column: text(),
        delta: num,
        target: text(),
        expect: oneOf(['increase', 'decrease']),
      }),
    ],
    'a behaviour test kind: "perturbation", "invariance" or "directional"',
  ),
);

const ExampleSchema = record({ row: count, before: text(), after: text(), change: text() });
const examples = list(ExampleSchema, 'a list of examples');
const BehaviourResultSchema = v.variant(
  'kind',
  [
    record({
      kind: v.literal('perturbation'),
      strengths: metrics(),
      metric: oneOf(['accuracy', 'rmse']),
      values: metrics(),
      note: text(LIMITS.text),
    }),
    record({
      kind: v.literal('invariance'),
      column: text(),
      changedRate: metric,
      tested: count,
      examples,
      note: text(LIMITS.text),
    }),
    record({
      kind: v.literal('directional'),
      column: text(),
      target: text(),
      expect: oneOf(['increase', 'decrease']),
      violationRate: metric,
      tested: count,
      examples,
      note: text(LIMITS.text),
    }),
  ],
  'a behaviour result kind: "perturbation", "invariance" or "directional"',
);

const errorRow = { row: count, label: text(), prediction: text(), input: inputRow };

const ClassificationEvaluationSchema = record({
  task: v.literal('classification'),
  classes: names('a list of classes'),
  n: count,
  report: record({
    perClass: list(record({ ...scores, support: metric }), 'a list of per-class scores'),
    macro: record(scores),
    micro: record(scores),
    weighted: record(scores),
    accuracy: metric,
    balancedAccuracy: metric,
    mcc: metric,
  }),
  confusion: metrics(),
  confusionNormalized: metrics(),
  logLoss: metric,
  brier: metric,
  auc: record({ perClass: metrics(), macro: metric, weighted: metric }),
  roc: list(
    record({ fpr: metrics(), tpr: metrics(), thresholds: metrics(), auc: metric, label: text() }),
    'a list of curves',
  ),
  pr: list(
    record({ precision: metrics(), recall: metrics(), thresholds: metrics(), averagePrecision: metric, label: text() }),
    'a list of curves',
  ),
  calibration: record({
    ece: metric,
    mce: metric,
    adaptiveEce: metric,
    classwiseEce: metric,
    brier: metric,
    reliability: metric,
    resolution: metric,
    uncertainty: metric,
    bins: list(BinSchema, 'a list of bins'),
    binsEqualCount: list(BinSchema, 'a list of bins'),
  }),
  intervals: record({
    accuracy: IntervalSchema,
    balancedAccuracy: IntervalSchema,
    macroF1: IntervalSchema,
    auc: IntervalSchema,
    logLoss: IntervalSchema,
  }),
  coverage: list(record({ threshold: metric, coverage: metric, accuracy: metric }), 'a list of points'),
  errors: list(record({ ...errorRow, confidence: metric }), 'a list of rows'),
});

const RegressionEvaluationSchema = record({
  task: v.literal('regression'),
  n: count,
  mae: metric,
  rmse: metric,
  r2: metric,
  mape: metric,
  intervals: record({ mae: IntervalSchema, rmse: IntervalSchema, r2: IntervalSchema }),
  residuals: record({ predicted: metrics(), residual: metrics() }),
  errors: list(record({ ...errorRow, residual: metric }), 'a list of rows'),
});

export const EvaluationReportSchema = conforms<EvaluationReport>()(
  record(
    {
      format: v.literal('benchtop-evaluation@1', 'the format "benchtop-evaluation@1"'),
      runId: id,
      runName: text(),
      createdAt: text(LIMITS.id),
      split: oneOf(['test', 'validation', 'all', 'file']),
      evaluation: record({
        dataset: text(),
        rows: count,
        metrics: v.variant(
          'task',
          [ClassificationEvaluationSchema, RegressionEvaluationSchema],
          'a task: "classification" or "regression"',
        ),
        slices: list(SliceResultSchema, 'a list of slices'),
        foundSlices: list(SliceResultSchema, 'a list of slices'),
        notes: list(ProblemSchema, 'a list of notes'),
      }),
      behaviour: list(
        record({
          test: BehaviourTestSchema,
          result: v.union(
            [BehaviourResultSchema, record({ error: text(LIMITS.text) })],
            'a behaviour result or { error }',
          ),
        }),
        'a list of behaviour tests with their results',
      ),
      abstainBelow: v.union([num, v.null()], 'a number or null'),
    },
    'an evaluation report',
  ),
);
