import { CATALOG, type CatalogId } from '../src/core/data/catalog.ts';
import { datasetVersionId } from '../src/core/data/dataset-hash.ts';
import { parseDelimitedBlob, parseDelimitedBytes, type ParseProgress } from '../src/core/data/parse-delimited.ts';
import { parseJsonRecords } from '../src/core/data/parse-json.ts';
import { inferSchema, type Schema } from '../src/core/data/schema.ts';
import { previewRows, tableByteSize, type Table } from '../src/core/data/table.ts';
import { decodeTable, encodeTable } from '../src/core/data/table-codec.ts';
import { fileTooLarge, MAX_FILE_BYTES } from '../src/core/data/limits.ts';
import type { Result } from '../src/core/util/result.ts';
import { fail, ok } from '../src/core/util/result.ts';

/** What the page learns about a loaded dataset (the table itself stays in the worker). */
export interface DatasetInfo {
  id: string;
  name: string;
  source: { kind: 'catalog'; catalogId: CatalogId } | { kind: 'file' };
  rowCount: number;
  bytes: number;
  schema: Schema;
  preview: (string | null)[][];
  /** Defaults from the catalog (split kind, time column). */
  split?: { kind: 'random' | 'stratified' | 'time'; timeColumn?: string };
}

/** Files larger than this are refused before reading, with a message (the command line shares it). */
export { MAX_FILE_BYTES };

const PREVIEW_ROWS = 8;

/**
 * The data worker's API: parse, infer, hash and hold tables. Plain async functions over the core,
 * testable in Node without a worker. Tables stay here; the training worker asks for them directly
 * over a MessagePort, so the page never copies them.
 * @param fetchImpl injected for catalog downloads (the app's own server or service worker).
 */
export function createDataApi(fetchImpl: typeof fetch, baseUrl: string) {
  const tables = new Map<string, { table: Table; name: string }>();

  function register(
    table: Table,
    name: string,
    source: DatasetInfo['source'],
    label: string | null,
    ignore: readonly string[] = [],
  ): DatasetInfo {
    const id = datasetVersionId(table);
    tables.set(id, { table, name });
    const schema = inferSchema(table, label ?? table.columns[table.columns.length - 1]!.name, ignore);
    return {
      id,
      name,
      source,
      rowCount: table.rowCount,
      bytes: tableByteSize(table),
      schema,
      preview: previewRows(table, PREVIEW_ROWS),
    };
  }

  return {
    /** Loads a dataset the app ships. */
    async loadCatalog(catalogId: CatalogId): Promise<Result<DatasetInfo>> {
      const entry = CATALOG[catalogId];
      if (!entry) return fail({ kind: 'unknown-dataset', message: `No shipped dataset is called "${catalogId}".` });
      let bytes: Uint8Array;
      try {
        const res = await fetchImpl(new URL(`datasets/${entry.file}`, baseUrl).href);
        if (!res.ok)
          return fail({ kind: 'http', file: entry.file, message: `Could not load ${entry.file}: HTTP ${res.status}.` });
        bytes = new Uint8Array(await res.arrayBuffer());
      } catch (e) {
        return fail({
          kind: 'unreachable',
          file: entry.file,
          message: `Could not load ${entry.file}: ${(e as Error).message}`,
        });
      }
      const parsed = entry.file.endsWith('.json')
        ? parseJsonRecords(new TextDecoder().decode(bytes), entry.file)
        : parseDelimitedBytes(bytes, entry.file);
      if (!parsed.ok) return parsed;
      const info = register(parsed.value, entry.file, { kind: 'catalog', catalogId }, entry.label, entry.ignore);
      info.split = { kind: entry.split, timeColumn: 'timeColumn' in entry ? entry.timeColumn : undefined };
      return ok(info, parsed.warnings);
    },

    /** Imports a person's file: CSV/TSV streamed in chunks with progress, or a JSON array of records. */
    async importFile(
      file: Blob & { name: string },
      onProgress?: (p: ParseProgress) => void,
    ): Promise<Result<DatasetInfo>> {
      const name = file.name || 'file';
      if (file.size > MAX_FILE_BYTES) return fail(fileTooLarge(name, file.size, ' in a browser tab'));
      let parsed: Result<Table>;
      if (/\.json$/i.test(name)) {
        const bytes = new Uint8Array(await file.arrayBuffer());
        let text: string;
        try {
          text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          return fail({
            kind: 'not-utf8',
            file: name,
            message: `${name} is not valid UTF-8. Save it as UTF-8 and import it again.`,
          });
        }
        parsed = parseJsonRecords(text, name);
        onProgress?.({ bytes: file.size, totalBytes: file.size, rows: parsed.ok ? parsed.value.rowCount : 0 });
      } else {
        parsed = await parseDelimitedBlob(file, name, onProgress);
      }
      if (!parsed.ok) return parsed;
      return ok(register(parsed.value, name, { kind: 'file' }, null), parsed.warnings);
    },

    /** Re-registers a table the page kept in storage (after a reload), from {@link encodeTable} bytes. */
    async restoreTable(bytes: Uint8Array, name: string, label: string | null): Promise<Result<DatasetInfo>> {
      const table = decodeTable(bytes);
      if (!table.ok) return table;
      return ok(register(table.value, name, { kind: 'file' }, label));
    },

    /** A loaded table as one binary buffer, for storage (the caller receives it by transfer). */
    async encodeTable(id: string): Promise<Result<Uint8Array>> {
      const t = tables.get(id);
      if (!t) return fail({ kind: 'not-loaded', message: `Dataset ${id.slice(0, 12)} is not loaded.` });
      return ok(encodeTable(t.table));
    },

    /** A copy of a loaded table (for storage or for the training worker). */
    async getTable(id: string): Promise<Result<{ table: Table; name: string }>> {
      const t = tables.get(id);
      if (!t) return fail({ kind: 'not-loaded', message: `Dataset ${id.slice(0, 12)} is not loaded; load it first.` });
      return ok(t);
    },

    /** Frees a table. */
    async drop(id: string): Promise<void> {
      tables.delete(id);
    },
  };
}

export type DataApi = ReturnType<typeof createDataApi>;
