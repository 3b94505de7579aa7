import type { DatasetRecord, Experiment } from '../../core/store/records.ts';
import type { Result } from '../../core/util/result.ts';
import type { StoreContext } from './store-context.ts';

// Dataset versions (the `datasets` store: a record and, when small enough, its data as a Blob) and
// the experiments runs are grouped in, for the Repository.

/** Saves a dataset's record, with its data when given (else the data stored before is kept). */
export function saveDatasetRecord(ctx: StoreContext, record: DatasetRecord, data?: Uint8Array): Promise<Result<void>> {
  return ctx.write('datasets', `dataset "${record.name}"`, async () => {
    const prev = await ctx.db.get('datasets', record.id);
    const table = data ? new Blob([data as BlobPart], { type: 'application/octet-stream' }) : prev?.table;
    await ctx.db.put('datasets', { ...record, bytes: table?.size ?? 0, table });
  });
}

export async function getDatasetRecord(ctx: StoreContext, id: string): Promise<DatasetRecord | undefined> {
  const d = await ctx.db.get('datasets', id);
  if (!d) return undefined;
  const { table: _t, ...rec } = d;
  return rec;
}

export async function getDatasetData(ctx: StoreContext, id: string): Promise<Uint8Array | undefined> {
  const d = await ctx.db.get('datasets', id);
  return d?.table ? new Uint8Array(await d.table.arrayBuffer()) : undefined;
}

export async function listDatasetRecords(ctx: StoreContext): Promise<DatasetRecord[]> {
  return (await ctx.db.getAll('datasets')).map(({ table: _t, ...rec }) => rec);
}

export function saveExperiment(ctx: StoreContext, e: Experiment): Promise<Result<void>> {
  return ctx.write('experiments', `experiment "${e.name}"`, () => ctx.db.put('experiments', e));
}

export function listExperiments(ctx: StoreContext): Promise<Experiment[]> {
  return ctx.db.getAll('experiments');
}
