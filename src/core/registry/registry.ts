import type { RunRecord, TrainedModel } from '../model/spec.ts';
import { familyOf } from '../families/index.ts';
import { withDefaults } from '../families/index.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import type { AliasMove, Lineage, ModelVersion, VersionRelation } from '../store/records.ts';
import type { Store } from '../store/store.ts';

/** "V1.2.12" */
export function lineageLabel(l: Lineage): string {
  return `V${l.architecture}.${l.retrain}.${l.update}`;
}

/**
 * The lineage of a new version: a new architecture starts V{A+1}.1.0; a stateless retrain of the
 * parent's architecture is V{a}.{R+1}.0 (R = highest retrain of that architecture); a stateful update
 * (fine-tune) of the parent is V{a}.{r}.{U+1} (U = highest update of that training). The first version
 * of a model is V1.1.0.
 * @example nextLineage([], 'architecture') // { architecture: 1, retrain: 1, update: 0 }
 */
export function nextLineage(
  existing: readonly ModelVersion[],
  relation: VersionRelation,
  parent: ModelVersion | null,
): Lineage {
  if (existing.length === 0 || relation === 'architecture' || !parent) {
    const a = existing.reduce((m, v) => Math.max(m, v.lineage.architecture), 0);
    return { architecture: a + 1, retrain: 1, update: 0 };
  }
  const a = parent.lineage.architecture;
  if (relation === 'retrain') {
    const r = existing.filter((v) => v.lineage.architecture === a).reduce((m, v) => Math.max(m, v.lineage.retrain), 0);
    return { architecture: a, retrain: r + 1, update: 0 };
  }
  const r = parent.lineage.retrain;
  const u = existing
    .filter((v) => v.lineage.architecture === a && v.lineage.retrain === r)
    .reduce((m, v) => Math.max(m, v.lineage.update), 0);
  return { architecture: a, retrain: r, update: u + 1 };
}

/** A signature of a run's architecture, to tell a retrain from a new architecture. */
export function architectureOf(run: RunRecord): string {
  const kind = run.config.kind;
  const parts: unknown[] = [run.ensemble?.method ?? kind, run.features.slice().sort(), run.label];
  const family = familyOf(kind);
  if (family) {
    const params = withDefaults(family, run.config.params);
    for (const f of family.fields) if (f.architecture) parts.push(params[f.name]);
  }
  return JSON.stringify(parts);
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/;

/**
 * Registers a run's model as the next version of a named model (creating the name on first use).
 * The relation to the parent (the latest version unless given) is inferred when not given: a
 * different architecture → 'architecture', else 'retrain'. The version and its artifacts are written
 * in one transaction by the store.
 */
export async function registerVersion(
  store: Store,
  a: {
    name: string;
    run: RunRecord;
    model: TrainedModel;
    relation?: VersionRelation;
    parentId?: string | null;
    tags?: string[];
    who?: string;
    description?: string;
  },
): Promise<Result<ModelVersion>> {
  const name = a.name.trim();
  if (!NAME_RE.test(name))
    return fail({
      kind: 'bad-name',
      column: 'name',
      message:
        'A model name is 1–64 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit.',
    });
  if (a.run.status !== 'finished')
    return fail({
      kind: 'not-finished',
      message: `Only finished runs can be registered; "${a.run.name}" is ${a.run.status}.`,
    });
  // Two tabs may register at once: the store refuses a duplicate version id, so recount and retry.
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = await store.listVersions(name);
    const latest = existing.at(-1) ?? null;
    const parent =
      a.parentId === undefined
        ? latest
        : a.parentId === null
          ? null
          : (existing.find((v) => v.id === a.parentId) ?? null);
    if (a.parentId && !parent)
      return fail({ kind: 'missing-parent', message: `Model "${name}" has no version ${a.parentId}.` });
    let relation = a.relation;
    if (!relation) {
      const parentRun = parent ? await store.getRun(parent.runId) : undefined;
      relation = !parent
        ? 'architecture'
        : parentRun && architectureOf(parentRun) === architectureOf(a.run)
          ? 'retrain'
          : parentRun
            ? 'architecture'
            : 'retrain';
    }
    const lineage = nextLineage(existing, relation, parent);
    const version = (latest?.version ?? 0) + 1;
    const v: ModelVersion = {
      id: `${name}@${version}`,
      name,
      version,
      lineage,
      label: lineageLabel(lineage),
      relation,
      parentId: parent?.id ?? null,
      runId: a.run.id,
      datasetId: a.run.dataset.id,
      createdAt: new Date().toISOString(),
      createdBy: a.who ?? 'you',
      task: a.run.task,
      modelKind: a.run.ensemble ? `ensemble:${a.run.ensemble.method}` : a.run.config.kind,
      metrics: { validation: a.run.metrics.validation, test: a.run.metrics.test },
      tags: a.tags ?? [],
      description: a.description,
    };
    const saved = await store.addVersion(v, a.model);
    if (saved.ok) return ok(v);
    if (saved.error.kind !== 'conflict') return saved;
  }
  return fail({
    kind: 'conflict',
    message: `Could not register a new version of "${name}": other tabs keep registering at the same time. Try again.`,
  });
}

/**
 * Moves an alias (champion, challenger, …) to a version — or removes it with `to: null` — recording
 * who, when, from, to and why in the audit trail. A reason is required.
 */
export async function moveAlias(
  store: Store,
  a: { name: string; alias: string; to: string | null; reason: string; who?: string },
): Promise<Result<AliasMove>> {
  const alias = a.alias.trim().toLowerCase();
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(alias))
    return fail({
      kind: 'bad-alias',
      column: 'alias',
      message: 'An alias is a lowercase word such as "champion" or "challenger".',
    });
  if (!a.reason.trim())
    return fail({
      kind: 'no-reason',
      column: 'reason',
      message: 'Say why the alias moves; the reason is kept in the audit trail.',
    });
  if (a.to !== null && !(await store.getVersion(a.to)))
    return fail({ kind: 'missing', message: `There is no version ${a.to}.` });
  const current = (await store.listAliases(a.name)).find((x) => x.alias === alias);
  const move: AliasMove = {
    name: a.name,
    alias,
    from: current?.versionId ?? null,
    to: a.to,
    who: a.who ?? 'you',
    when: new Date().toISOString(),
    reason: a.reason.trim(),
  };
  const r = await store.moveAlias(move);
  return r.ok ? ok(move) : r;
}

/** Rolls an alias back to where it pointed before its last move. */
export async function rollbackAlias(
  store: Store,
  a: { name: string; alias: string; reason: string; who?: string },
): Promise<Result<AliasMove>> {
  const history = (await store.aliasHistory(a.name)).filter((m) => m.alias === a.alias);
  const last = history.at(-1);
  if (!last || last.from === null)
    return fail({ kind: 'no-history', message: `"${a.alias}" of ${a.name} has no earlier version to roll back to.` });
  return moveAlias(store, { name: a.name, alias: a.alias, to: last.from, reason: `rollback: ${a.reason}`, who: a.who });
}
