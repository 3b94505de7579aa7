import type { DatasetRecord } from '../core/store/records.ts';
import type { DatasetInfo } from '../../workers/data.api.ts';

/**
 * The stored record of a loaded dataset: its version id, size, columns, schema and label, with where
 * it came from (`provenance`, a person reads it in the registry and model cards).
 * @example datasetRecord(info, 'imported file wine.csv (10,889 bytes)')
 */
export function datasetRecord(info: DatasetInfo, provenance: string): DatasetRecord {
  return {
    id: info.id,
    name: info.name,
    rowCount: info.rowCount,
    columns: info.schema.columns.map((c) => c.name),
    schema: info.schema,
    label: info.schema.label,
    provenance,
    savedAt: new Date().toISOString(),
    bytes: 0,
  };
}
