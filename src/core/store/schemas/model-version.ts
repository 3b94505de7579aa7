/** The schema of a registered model version (src/core/store/records.ts): `version.json`, the `versions` store. */
import * as v from 'valibot';
import type { ModelVersion } from '../records.ts';
import { conforms, count, id, LIMITS, names, oneOf, record, text } from './primitives.ts';
import { ImportedFromSchema, SplitMetricsSchema, TASKS } from './run-record.ts';

const isArrayBuffer = (x: unknown) => Object.prototype.toString.call(x) === '[object ArrayBuffer]';

export const ModelVersionSchema = conforms<ModelVersion>()(
  v.pipe(
    record(
      {
        id,
        name: v.pipe(text(), v.minLength(1, 'a non-empty name')),
        version: v.pipe(count, v.minValue(1, 'a whole number ≥ 1')),
        lineage: record({ architecture: count, retrain: count, update: count }),
        label: v.pipe(text(LIMITS.id), v.minLength(1, 'a non-empty label')),
        relation: oneOf(['architecture', 'retrain', 'update']),
        parentId: v.union([id, v.null()], 'a version id or null'),
        runId: id,
        datasetId: id,
        createdAt: text(LIMITS.id),
        createdBy: text(),
        task: oneOf(TASKS),
        modelKind: text(LIMITS.id),
        metrics: record({ validation: SplitMetricsSchema, test: v.optional(SplitMetricsSchema) }),
        tags: names('a list of tags'),
        description: v.optional(text(LIMITS.text)),
        onnx: v.optional(v.custom<ArrayBuffer>(isArrayBuffer, 'ONNX bytes (binary data)')),
        importedFrom: v.optional(ImportedFromSchema),
      },
      'a model version',
    ),
    v.check((x) => x.id === `${x.name}@${x.version}`, 'a model version whose id is its name@version'),
  ),
);
