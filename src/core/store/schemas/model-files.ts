/**
 * Schemas of the files of a model directory or zip (src/core/model/model-bundle.ts): `preprocessing.json`,
 * `model.json` (tfjs layers model), `classical.json`, `ensemble.json`, `onnx.json`; `calibrator.json` and
 * `compression.json` use the schemas of src/core/store/schemas/attachments.ts.
 */
import * as v from 'valibot';
import type { Preprocessor } from '../../contracts/data.ts';
import type { ModelArtifacts } from '../../contracts/model.ts';
import { conforms, count, LIMITS, list, metric, names, num, oneOf, record, text } from './primitives.ts';

export const PreprocessorSchema = conforms<Preprocessor>()(
  record(
    {
      format: v.literal('benchtop-preprocessor@1', 'the format "benchtop-preprocessor@1"'),
      features: list(
        v.variant(
          'kind',
          [
            record({
              kind: v.literal('numeric'),
              column: text(),
              parse: oneOf(['numeric', 'date', 'boolean']),
              mean: metric,
              std: metric,
            }),
            record({
              kind: v.literal('onehot'),
              column: text(),
              categories: names('a list of categories'),
              fill: text(),
            }),
          ],
          'a feature transform kind: "numeric" or "onehot"',
        ),
        'a list of feature transforms',
      ),
      label: v.variant(
        'task',
        [
          record({ task: v.literal('classification'), column: text(), classes: names('a list of classes') }),
          record({ task: v.literal('regression'), column: text(), mean: metric, std: metric }),
        ],
        'a label encoding task: "classification" or "regression"',
      ),
      inputSize: count,
      inputNames: names('a list of input names'),
    },
    'a preprocessor',
  ),
);

/** One weight of a tfjs weights manifest: its name (`layer/weight`), shape and type. */
export const WeightSpecSchema = conforms<ModelArtifacts['weightSpecs'][number]>()(
  record({
    name: text(),
    shape: list(count, 'a list of dimensions (whole numbers ≥ 0)', 16),
    dtype: oneOf(['float32', 'int32']),
  }),
);

/** tfjs's `model.json` (layers format): the topology and one weights manifest. */
export const TfjsModelJsonSchema = record(
  {
    modelTopology: record({}, 'a tfjs model topology'),
    weightsManifest: list(
      record({ paths: names('a list of file names'), weights: list(WeightSpecSchema, 'a list of weights') }),
      'a list of weight groups',
    ),
  },
  'a tfjs layers model (an object with modelTopology and weightsManifest)',
);

/** `classical.json`: `{ family, state }` (or `{ kind, state }`, written before families). */
export const ClassicalJsonSchema = v.pipe(
  record(
    {
      family: v.optional(text(LIMITS.id)),
      kind: v.optional(text(LIMITS.id)),
      state: v.custom<unknown>((x) => x !== undefined, "the model's fitted state"),
    },
    'a classical model (an object with family and state)',
  ),
  v.check((c) => typeof (c.family ?? c.kind) === 'string', 'a classical model naming its family'),
);

const MODEL_KINDS = ['network', 'classical', 'ensemble', 'onnx'] as const;

/** A member model as JSON (modelToJson): any kind, with its own preprocessor. */
const MemberJsonSchema: v.GenericSchema = v.lazy(() =>
  record(
    {
      kind: v.optional(oneOf(MODEL_KINDS)),
      preprocessor: PreprocessorSchema,
      artifacts: v.optional(
        record({
          modelTopology: record({}, 'a tfjs model topology'),
          weightSpecs: list(WeightSpecSchema, 'a list of weights'),
          weightData: v.string('the weights as base64 text'),
        }),
      ),
      classical: v.optional(ClassicalJsonSchema),
      ensemble: v.optional(EnsembleStateJsonSchema),
    },
    'a member model',
  ),
);

const EnsembleStateJsonSchema = record({
  method: oneOf(['vote-hard', 'vote-soft', 'stack', 'bag', 'adaboost']),
  members: list(MemberJsonSchema, 'a list of member models', 10_000),
  weights: v.optional(list(metric, 'a list of member weights')),
  meta: v.optional(record({ W: list(metric, 'a list of numbers'), b: list(metric, 'a list of numbers') })),
});

/** `ensemble.json`: the ensemble model as JSON, members inline. */
export const EnsembleJsonSchema = record(
  { kind: v.optional(v.literal('ensemble')), preprocessor: PreprocessorSchema, ensemble: EnsembleStateJsonSchema },
  'an ensemble model (an object with preprocessor and ensemble)',
);

/** `onnx.json`: which graph input and output the model uses, and the file it came from. */
export const OnnxMetaSchema = record({ input: text(), output: text(), file: text() });

// ---------------------------------------------------------------------------------------------------
// The fitted state of each classical family (src/core/classical), as classical.json holds it
// ---------------------------------------------------------------------------------------------------

/** A fitted value: a number, or JSON `null` (what JSON.stringify writes for -Infinity, NaN). Kept as read. */
const value = v.union([num, v.null()], 'a number or null');
const values = (noun = 'a list of numbers') => list(value, noun);
const positive = v.pipe(count, v.minValue(1, 'a whole number ≥ 1'));
/** An index in a tree: a node, a feature or -1. */
const index = v.pipe(v.number('a whole number'), v.integer('a whole number'), v.minValue(-1, 'a whole number ≥ -1'));

/** A CART tree as flat arrays (TreeState): the walk in classical-sanity.ts checks the ranges. */
const TreeStateSchema = record(
  {
    feature: list(index, 'a list of feature indices (whole numbers, -1 for a leaf)'),
    threshold: values('a list of thresholds'),
    left: list(index, 'a list of node indices'),
    right: list(index, 'a list of node indices'),
    value: values('a list of leaf values'),
    width: positive,
  },
  'a decision tree (an object with feature, threshold, left, right, value and width)',
);

/**
 * The state schema of each classical family, keyed by the family's kind in the families registry
 * (a test checks the keys are exactly the registry's classical families). Types and lists only:
 * sizes that must agree with each other and with the preprocessor are checked by
 * src/core/model/classical-sanity.ts.
 */
export const CLASSICAL_STATE_SCHEMAS = Object.freeze({
  tree: TreeStateSchema,
  forest: record(
    { trees: list(TreeStateSchema, 'a list of decision trees', 100_000), width: positive },
    'a random forest (an object with trees and width)',
  ),
  gbt: record(
    {
      mode: oneOf(['regression', 'binary', 'multiclass']),
      init: values('a list of initial scores'),
      rate: num,
      rounds: list(list(TreeStateSchema, 'a list of decision trees'), 'a list of boosting rounds', 100_000),
      classes: count,
    },
    'gradient-boosted trees (an object with mode, init, rate, rounds and classes)',
  ),
  knn: record(
    {
      X: values('a list of training inputs'),
      y: values('a list of training targets'),
      d: count,
      k: positive,
      weights: oneOf(['uniform', 'distance']),
      classes: count,
    },
    'a k-nearest-neighbours model (an object with X, y, d, k, weights and classes)',
  ),
  'naive-bayes': record(
    {
      classes: positive,
      d: count,
      logPrior: values('a list of log priors'),
      mean: values('a list of means'),
      variance: values('a list of variances'),
    },
    'a naive Bayes model (an object with classes, d, logPrior, mean and variance)',
  ),
  'linear-svm': record(
    { classes: positive, d: count, w: values('a list of weights'), iterations: list(count, 'a list of counts') },
    'a linear SVM (an object with classes, d, w and iterations)',
  ),
});

/** A classical family whose state this version reads. */
export type ClassicalFamilyKind = keyof typeof CLASSICAL_STATE_SCHEMAS;
