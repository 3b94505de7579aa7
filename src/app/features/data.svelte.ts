import { proxy } from 'comlink';
import type { CatalogId } from '../../core/data/catalog.ts';
import { withRole, withType, type ColumnRole, type ColumnType } from '../../core/data/schema.ts';
import type { ParseProgress } from '../../core/data/parse-delimited.ts';
import { MAX_STORED_DATASET_BYTES } from '../storage/repository.ts';
import { datasetRecord } from '../dataset-record.ts';
import type { Session } from '../session.svelte.ts';

/**
 * The data panel's actions: open a shipped dataset, import a person's file (kept across reloads when
 * small enough), and change column roles and types. The dataset itself lives in the session.
 */
export class DataFeature {
  constructor(private readonly s: Session) {}

  /** Opens a dataset the app ships. */
  async loadCatalog(id: CatalogId): Promise<void> {
    // Chosen while the page opens: opened once the workers and storage are (the restore is done).
    if (await this.s.afterStart(`${id} was not opened`)) await this.s.loadCatalog(id);
  }

  /**
   * Imports a person's file. On any error the message names file/row/column and the dataset that
   * was loaded stays loaded.
   */
  async importFile(file: File): Promise<void> {
    const s = this.s;
    s.error = null;
    s.loading = { file: file.name, fraction: 0, rows: 0 };
    // A file chosen while the page opens waits for the workers, storage and the restored session
    // (which would otherwise replace it with the last dataset), then loads.
    if (!s.ready) {
      const started = await s.afterStart(`${file.name} was not opened`);
      if (!started) {
        s.loading = null;
        return;
      }
      s.error = null;
      s.loading = { file: file.name, fraction: 0, rows: 0 };
    }
    // Progress arrives over its own channel and can land after the result: ignore late ones.
    let done = false;
    const onProgress = (p: ParseProgress) => {
      if (!done)
        s.loading = {
          file: file.name,
          fraction: p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : 0,
          rows: p.rows,
        };
    };
    let res;
    try {
      res = await s.data.importFile(file, proxy(onProgress));
    } finally {
      done = true;
      s.loading = null;
    }
    if (!res.ok) {
      s.error = res.error;
      s.warnings = res.warnings;
      return;
    }
    s.accept(res.value, res.warnings);
    const record = datasetRecord(res.value, `imported file ${file.name} (${file.size.toLocaleString('en-US')} bytes)`);
    if (res.value.bytes <= MAX_STORED_DATASET_BYTES) {
      const t = await s.data.encodeTable(res.value.id);
      if (t.ok) {
        const saved = await s.repo.saveDatasetRecord(record, t.value);
        if (saved.ok)
          await s.repo.saveSettings({ dataset: { kind: 'stored', id: res.value.id }, selectedRun: s.selectedRunId });
        else s.warnings = [...s.warnings, saved.error];
      }
    } else {
      await s.repo.saveDatasetRecord(record);
      const limit = MAX_STORED_DATASET_BYTES / 2 ** 20;
      s.warnings = [
        ...s.warnings,
        {
          kind: 'not-stored',
          file: file.name,
          message:
            `${file.name} is too large to keep across reloads (over ${limit} MB in memory); ` +
            're-import it after a reload.',
        },
      ];
    }
  }

  /** Gives a column a role (the label, a feature, ignored); one label at a time. */
  setRole(column: string, role: ColumnRole): void {
    if (this.s.schema) this.s.schema = withRole(this.s.schema, column, role);
  }

  /** Overrides a column's inferred type. */
  setType(column: string, type: ColumnType): void {
    if (this.s.schema) this.s.schema = withType(this.s.schema, column, type);
  }
}
