import type { TrainedModel } from '../contracts/model.ts';
import type { RunRecord } from '../contracts/run-record.ts';
import type { DeriveKind } from '../pipeline/derive-op.ts';
import type { ModelVersion, VersionRelation } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import type { Result } from '../util/result.ts';
import { ok } from '../util/result.ts';
import { registerVersion } from './registry.ts';

/**
 * How a derived model relates to its parent's version: calibrating, compressing and fine-tuning keep
 * the parent's weights and architecture (a stateful update, V{a}.{r}.{u+1}); distillation trains a new,
 * smaller network (a new architecture, V{A+1}.1.0, with lineage to the teacher's version).
 */
export const DERIVED_RELATION: { readonly [K in DeriveKind]: VersionRelation } = Object.freeze({
  calibrate: 'update',
  compress: 'update',
  'fine-tune': 'update',
  distill: 'architecture',
});

/** Where a model derived from a run is registered: the parent run's latest version (its model name), or null. */
export interface DerivedTarget {
  name: string;
  parent: ModelVersion;
  relation: VersionRelation;
}

/**
 * The registered version a model derived from `parentRunId` by `kind` becomes the next version of:
 * the latest version registered from that run (its name; lineage parent = that version), or null when
 * the run is not registered — the derived model is then only a new run.
 * Cost: O(versions).
 * @example derivedTarget('run-1', 'compress', versions) // { name: 'wine', parent: wine@2, relation: 'update' }
 */
export function derivedTarget(
  parentRunId: string,
  kind: DeriveKind,
  versions: readonly ModelVersion[],
): DerivedTarget | null {
  const parent = versions.filter((v) => v.runId === parentRunId).at(-1);
  return parent ? { name: parent.name, parent, relation: DERIVED_RELATION[kind] } : null;
}

/**
 * What a derive button does, said honestly: "Compress → new version of wine" when the parent is
 * registered, "Compress → new run" when it is not.
 */
export function deriveActionLabel(verb: string, target: DerivedTarget | null): string {
  return target ? `${verb} → new version of ${target.name}` : `${verb} → new run`;
}

/**
 * Registers a derived run's model as the next version of its parent's registered model (same name,
 * relation from the operation, lineage parent = the parent run's version); `null` when the parent run
 * is not registered (nothing is written).
 */
export async function registerDerived(
  store: Store,
  a: { parentRunId: string; kind: DeriveKind; run: RunRecord; model: TrainedModel; tags?: string[] },
): Promise<Result<ModelVersion | null>> {
  const target = derivedTarget(a.parentRunId, a.kind, await store.listVersions());
  if (!target) return ok(null);
  return registerVersion(store, {
    name: target.name,
    run: a.run,
    model: a.model,
    relation: target.relation,
    parentId: target.parent.id,
    tags: a.tags,
  });
}
