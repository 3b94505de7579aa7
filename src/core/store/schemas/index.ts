/** One schema per stored record, checked wherever records enter (bundles, model files, the stores). */
export { AliasListSchema, AliasMoveSchema, AliasRecordSchema } from './alias.ts';
export { CalibratorSchema, CompressionInfoSchema, ExpectationSchema } from './attachments.ts';
export { ModelCardProseSchema } from './card.ts';
export { DatasetRecordSchema, TableSchemaSchema } from './dataset-record.ts';
export { describeValue } from './describe-value.ts';
export { BehaviourTestSchema, EvaluationReportSchema, ProblemSchema } from './evaluation.ts';
export { ExperimentListSchema, ExperimentSchema } from './experiment.ts';
export { BUNDLE_FORMAT, ManifestSchema, type BundleManifest } from './manifest.ts';
export {
  ClassicalJsonSchema,
  EnsembleJsonSchema,
  OnnxMetaSchema,
  PreprocessorSchema,
  TfjsModelJsonSchema,
  WeightSpecSchema,
} from './model-files.ts';
export { ModelVersionSchema } from './model-version.ts';
export { LIMITS, conforms } from './primitives.ts';
export {
  EpochRecordSchema,
  ImportedFromSchema,
  RUN_STATUSES,
  RunFormatSchema,
  RunRecordSchema,
  SplitMetricsSchema,
  TrainConfigSchema,
} from './run-record.ts';
export { issueMessage, validateRecord, type RecordSchema } from './validate.ts';
