/**
 * Schemas of the files of a model directory or zip (src/core/model/model-bundle.ts): `preprocessing.json`,
 * `model.json` (tfjs layers model), `classical.json`, `ensemble.json`, `onnx.json`; `calibrator.json` and
 * `compression.json` use the schemas of src/core/store/schemas/attachments.ts.
 */
import * as v from 'valibot';
import type { Preprocessor } from '../../contracts/data.ts';
import type { ModelArtifacts } from '../../contracts/model.ts';
import { conforms, count, LIMITS, list, metric, names, oneOf, record, text } from './primitives.ts';

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
