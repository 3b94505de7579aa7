/** The schema of a run record (src/core/contracts/run-record.ts): `run.json`, the `runs` store. */
import * as v from 'valibot';
import type { SplitSpec } from '../../contracts/data.ts';
import type { EpochRecord, RunRecord, SplitMetrics } from '../../contracts/run-record.ts';
import type { TrainConfig } from '../../contracts/train-config.ts';
import { CompressionInfoSchema, ExpectationSchema } from './attachments.ts';
import { BehaviourTestSchema, EvaluationReportSchema } from './evaluation.ts';
import { conforms, count, id, LIMITS, list, metric, metrics, names, num, oneOf, record, text } from './primitives.ts';

export const RUN_STATUSES = Object.freeze(['running', 'finished', 'cancelled', 'failed', 'interrupted'] as const);
export const TASKS = Object.freeze(['classification', 'regression'] as const);
const BACKEND_NAMES = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
const ENSEMBLE_METHODS = ['vote-hard', 'vote-soft', 'stack', 'bag', 'adaboost'] as const;

/** Where a record was imported from (kept so a second import of the same record is recognised). */
export const ImportedFromSchema = record({ id, source: text(), at: text(LIMITS.id) });

export const SplitMetricsSchema = conforms<SplitMetrics>()(
  record(
    {
      loss: metric,
      accuracy: v.optional(metric),
      macroF1: v.optional(metric),
      rmse: v.optional(metric),
      mae: v.optional(metric),
      r2: v.optional(metric),
    },
    'split metrics (an object with a loss)',
  ),
);

const layerNumbers = v.optional(v.record(v.string(), metric, 'an object of layer values'));

export const EpochRecordSchema = conforms<EpochRecord>()(
  record(
    {
      epoch: count,
      train: SplitMetricsSchema,
      validation: SplitMetricsSchema,
      samplesPerSecond: metric,
      elapsedMs: metric,
      learningRate: v.optional(metric),
      gradNorm: v.optional(metric),
      layerGradNorms: layerNumbers,
      layerWeightNorms: layerNumbers,
      tensors: v.optional(metric),
      tensorBytes: v.optional(metric),
      jsHeapBytes: v.optional(metric),
    },
    'an epoch',
  ),
);

export const SplitSpecSchema = conforms<SplitSpec>()(
  record({
    kind: oneOf(['random', 'stratified', 'time']),
    fractions: v.tuple([num, num, num], 'a list of three fractions'),
    seed: num,
    timeColumn: v.optional(text()),
  }),
);

const paramValue = v.union(
  [num, v.string(), v.boolean(), v.array(num)],
  'a number, text, true/false or a list of numbers',
);
export const TrainConfigSchema = conforms<TrainConfig>()(
  record(
    {
      kind: text(LIMITS.id),
      params: v.record(v.string(), paramValue, 'an object of parameters'),
      seed: num,
    },
    'a training configuration { kind, params, seed }',
  ),
);

const CalibrationSnapshotSchema = record({
  accuracy: metric,
  logLoss: metric,
  brier: metric,
  ece: metric,
  mce: metric,
  adaptiveEce: metric,
  classwiseEce: metric,
  bins: list(
    record({ lo: metric, hi: metric, count: metric, confidence: metric, frequency: metric }),
    'a list of bins',
  ),
});

const BaselineScoreSchema = record({
  kind: oneOf(['uniform', 'prior', 'zero-rule', 'threshold', 'user']),
  name: text(),
  detail: text(LIMITS.text),
  branches: v.optional(v.tuple([text(), text()], 'a list of two outcomes')),
  validation: SplitMetricsSchema,
  test: v.optional(SplitMetricsSchema),
});

const SampleRowSchema = record({
  row: count,
  input: v.record(v.string(), v.nullable(v.string()), 'an object of column values (text or null)'),
  label: text(),
  prediction: text(),
  confidence: v.optional(metric),
});

const SliceScoreSchema = record({
  feature: text(),
  category: text(),
  n: count,
  metric: oneOf(['accuracy', 'rmse']),
  value: metric,
});

/** `format` alone: a run record of any version, before `upgradeRun` (src/core/store/upgrade.ts). */
export const RunFormatSchema = record({ format: oneOf(['benchtop-run@2', 'benchtop-run@1']) }, 'a Benchtop run record');

/** A run record as today's code reads it (`benchtop-run@2`; @1 records are upgraded first). */
export const RunRecordSchema = conforms<RunRecord>()(
  record(
    {
      format: v.literal('benchtop-run@2', 'the format "benchtop-run@2"'),
      id,
      name: text(),
      status: oneOf(RUN_STATUSES),
      createdAt: text(LIMITS.id),
      durationMs: metric,
      dataset: record({ id, name: text(), rows: count }),
      label: text(),
      task: oneOf(TASKS),
      features: names('a list of column names'),
      split: SplitSpecSchema,
      splitSizes: record({ train: count, validation: count, test: count }),
      config: TrainConfigSchema,
      history: list(EpochRecordSchema, 'a list of epochs'),
      metrics: record({
        train: SplitMetricsSchema,
        validation: SplitMetricsSchema,
        test: v.optional(SplitMetricsSchema),
      }),
      baselines: v.optional(list(BaselineScoreSchema, 'a list of baselines')),
      samples: v.optional(list(SampleRowSchema, 'a list of sample rows')),
      slices: v.optional(list(SliceScoreSchema, 'a list of slices')),
      message: v.optional(text(LIMITS.text)),
      bestEpoch: v.optional(count),
      calibration: v.optional(
        record({
          method: oneOf(['temperature', 'platt', 'isotonic', 'histogram']),
          parentRunId: id,
          before: CalibrationSnapshotSchema,
          after: CalibrationSnapshotSchema,
        }),
      ),
      compression: v.optional(
        record({
          parentRunId: id,
          info: CompressionInfoSchema,
          ece: v.optional(record({ before: metric, after: metric })),
        }),
      ),
      derivation: v.optional(
        record({
          kind: oneOf(['calibrate', 'compress', 'fine-tune', 'distill']),
          what: text(),
          parentRunId: id,
          parentName: text(),
          durationMs: metric,
          epochs: v.optional(count),
        }),
      ),
      evaluation: v.optional(EvaluationReportSchema),
      behaviourTests: v.optional(list(BehaviourTestSchema, 'a list of behaviour tests')),
      expectations: v.optional(list(ExpectationSchema, 'a list of expectations')),
      experimentId: v.optional(id),
      tags: v.optional(names('a list of tags')),
      ensemble: v.optional(
        record({
          method: oneOf(ENSEMBLE_METHODS),
          members: list(record({ runId: v.optional(id), name: text() }), 'a list of members'),
        }),
      ),
      samplesPerSecond: metric,
      environment: record({
        backend: oneOf(BACKEND_NAMES),
        backendReason: text(LIMITS.text),
        threads: v.optional(num),
        simd: v.optional(v.boolean('true or false')),
        runtime: text(),
        appVersion: text(),
      }),
      fingerprint: record({ rows: list(count, 'a list of row numbers'), outputs: metrics() }),
      importedFrom: v.optional(ImportedFromSchema),
    },
    'a run record',
  ),
);
