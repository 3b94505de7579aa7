import type { ImportPayload } from '../../core/store/store.ts';
import { importConflict } from '../../core/store/import-ids.ts';
import type { Result } from '../../core/util/result.ts';
import { fail, ok } from '../../core/util/result.ts';
import { DEFAULT_EXPERIMENT } from './schema.ts';
import type { StoreContext } from './store-context.ts';
import { storageProblem } from './storage-problem.ts';

// A bundle's import into IndexedDB (every store it touches in one transaction), for the Repository.

/**
 * Writes a whole validated import in one transaction, everything or nothing, never replacing: a
 * run, version or card whose id is stored aborts it (read inside the transaction, and written with
 * `add`, so a racing tab's record fails it too); a stored dataset (same id: same content) or
 * experiment is kept as it is.
 */
export async function importAll(ctx: StoreContext, p: ImportPayload): Promise<Result<void>> {
  try {
    const tx = ctx.db.transaction(
      ['runs', 'models', 'datasets', 'versions', 'versionModels', 'cards', 'experiments'],
      'readwrite',
    );
    const [runs, versions, cards, datasets, experiments] = await Promise.all([
      Promise.all(p.runs.map((r) => tx.objectStore('runs').getKey(r.run.id))),
      Promise.all(p.versions.map((v) => tx.objectStore('versions').getKey(v.version.id))),
      Promise.all(p.cards.map((c) => tx.objectStore('cards').getKey(c.versionId))),
      Promise.all(p.datasets.map((d) => tx.objectStore('datasets').getKey(d.record.id))),
      Promise.all(p.experiments.map((e) => tx.objectStore('experiments').getKey(e.id))),
    ]);
    const taken = [
      ...p.runs.filter((_, i) => runs[i] !== undefined).map((r) => `run ${r.run.id}`),
      ...p.versions.filter((_, i) => versions[i] !== undefined).map((v) => `version ${v.version.id}`),
      ...p.cards.filter((_, i) => cards[i] !== undefined).map((c) => `the card of ${c.versionId}`),
    ];
    if (taken.length) {
      tx.abort();
      await tx.done.catch(() => undefined);
      return fail({ kind: 'conflict', message: importConflict(taken) });
    }
    const w: Promise<unknown>[] = [];
    for (const r of p.runs) {
      w.push(tx.objectStore('runs').add({ experimentId: DEFAULT_EXPERIMENT.id, tags: [], ...r.run }));
      if (r.model) w.push(tx.objectStore('models').add({ ...r.model, runId: r.run.id }));
    }
    p.datasets.forEach((d, i) => {
      if (datasets[i] === undefined)
        w.push(
          tx.objectStore('datasets').add({ ...d.record, table: d.data ? new Blob([d.data as BlobPart]) : undefined }),
        );
    });
    for (const v of p.versions) {
      w.push(tx.objectStore('versions').add(v.version));
      w.push(tx.objectStore('versionModels').add({ ...v.model, versionId: v.version.id }));
    }
    for (const c of p.cards) w.push(tx.objectStore('cards').add(c));
    p.experiments.forEach((e, i) => {
      if (experiments[i] === undefined) w.push(tx.objectStore('experiments').add(e));
    });
    await Promise.all([...w, tx.done]);
    ctx.notify('all');
    return ok(undefined);
  } catch (e) {
    if ((e as DOMException)?.name === 'ConstraintError')
      return fail({
        kind: 'conflict',
        message: 'Some records of the import were stored meanwhile; nothing was imported and nothing was replaced.',
      });
    return storageProblem(e, 'the bundle');
  }
}
