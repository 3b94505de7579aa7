/** The schema of a dataset record (src/core/store/records.ts): `datasets/<id>.json`, the `datasets` store. */
import * as v from 'valibot';
import type { Schema } from '../../data/schema.ts';
import type { DatasetRecord } from '../records.ts';
import { conforms, count, id, LIMITS, list, metric, names, oneOf, record, text } from './primitives.ts';

const COLUMN_TYPES = ['numeric', 'categorical', 'boolean', 'date', 'text'] as const;

/** An inferred table schema: each column's type, role and counts. */
export const TableSchemaSchema = conforms<Schema>()(
  record({
    columns: list(
      record({
        name: text(),
        type: oneOf(COLUMN_TYPES),
        inferredType: oneOf(COLUMN_TYPES),
        role: oneOf(['feature', 'label', 'ignore']),
        missing: count,
        distinct: count,
        min: v.optional(metric),
        max: v.optional(metric),
        mean: v.optional(metric),
        examples: names('a list of example values'),
        counts: v.optional(list(record({ value: text(), count: metric }), 'a list of value counts')),
      }),
      'a list of columns',
    ),
    label: v.union([text(), v.null()], 'a column name or null'),
  }),
);

export const DatasetRecordSchema = conforms<DatasetRecord>()(
  record(
    {
      id,
      name: text(),
      rowCount: count,
      columns: names('a list of column names'),
      label: v.union([text(), v.null()], 'a column name or null'),
      schema: v.optional(TableSchemaSchema),
      provenance: text(LIMITS.text),
      savedAt: text(LIMITS.id),
      bytes: count,
    },
    'a dataset record',
  ),
);
