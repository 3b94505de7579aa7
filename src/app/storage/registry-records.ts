import type { TrainedModel } from '../../core/model/spec.ts';
import type { AliasMove, AliasRecord, ModelCardProse, ModelVersion } from '../../core/store/records.ts';
import type { Result } from '../../core/util/result.ts';
import { fail, ok } from '../../core/util/result.ts';
import type { StoreContext } from './store-context.ts';
import { storageProblem } from './storage-problem.ts';

// The model registry (the `versions`, `versionModels`, `aliases`, `aliasAudit` and `cards` stores),
// for the Repository.

/** Adds a version and its artifacts in one transaction; refuses an existing version id. */
export async function addVersion(ctx: StoreContext, version: ModelVersion, model: TrainedModel): Promise<Result<void>> {
  try {
    const tx = ctx.db.transaction(['versions', 'versionModels'], 'readwrite');
    await Promise.all([
      tx.objectStore('versions').add(version),
      tx.objectStore('versionModels').put({ ...model, versionId: version.id }),
      tx.done,
    ]);
    ctx.notify('versions');
    return ok(undefined);
  } catch (e) {
    if ((e as DOMException)?.name === 'ConstraintError')
      return fail({ kind: 'conflict', message: `Version ${version.id} already exists.` });
    return storageProblem(e, `version ${version.id}`);
  }
}

export function getVersion(ctx: StoreContext, id: string): Promise<ModelVersion | undefined> {
  return ctx.db.get('versions', id);
}

/** Versions (of one name, or all), by name then number. */
export async function listVersions(ctx: StoreContext, name?: string): Promise<ModelVersion[]> {
  const all = name ? await ctx.db.getAllFromIndex('versions', 'name', name) : await ctx.db.getAll('versions');
  return all.sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
}

export async function getVersionModel(ctx: StoreContext, id: string): Promise<TrainedModel | undefined> {
  const m = await ctx.db.get('versionModels', id);
  if (!m) return undefined;
  const { versionId: _v, ...model } = m;
  return model;
}

export function updateVersion(ctx: StoreContext, version: ModelVersion): Promise<Result<void>> {
  return ctx.write('versions', `version ${version.id}`, () => ctx.db.put('versions', version));
}

/** Moves an alias and appends to the audit trail in one transaction; `from` is read inside it. */
export function moveAlias(ctx: StoreContext, move: AliasMove): Promise<Result<void>> {
  return ctx.write('aliases', `alias ${move.alias}`, async () => {
    const tx = ctx.db.transaction(['aliases', 'aliasAudit'], 'readwrite');
    const key = `${move.name}:${move.alias}`;
    const current = await tx.objectStore('aliases').get(key);
    const entry = { ...move, from: current?.versionId ?? null };
    if (move.to === null) await tx.objectStore('aliases').delete(key);
    else
      await tx
        .objectStore('aliases')
        .put({ key, name: move.name, alias: move.alias, versionId: move.to, movedAt: move.when });
    await tx.objectStore('aliasAudit').add(entry);
    await tx.done;
  });
}

export function listAliases(ctx: StoreContext, name?: string): Promise<AliasRecord[]> {
  return name ? ctx.db.getAllFromIndex('aliases', 'name', name) : ctx.db.getAll('aliases');
}

export function aliasHistory(ctx: StoreContext, name?: string): Promise<AliasMove[]> {
  return name ? ctx.db.getAllFromIndex('aliasAudit', 'name', name) : ctx.db.getAll('aliasAudit');
}

export function saveCard(ctx: StoreContext, prose: ModelCardProse): Promise<Result<void>> {
  return ctx.write('cards', `the model card of ${prose.versionId}`, () => ctx.db.put('cards', prose));
}

export function getCard(ctx: StoreContext, versionId: string): Promise<ModelCardProse | undefined> {
  return ctx.db.get('cards', versionId);
}
