import type { ImportedFrom, RunRecord } from '../model/spec.ts';
import type { ModelVersion } from './records.ts';
import type { ImportPayload, Store } from './store.ts';

/** The ids a store already holds, by kind (version ids are `name@number`). */
export interface ExistingIds {
  runs: Iterable<string>;
  versions: Iterable<string>;
  datasets: Iterable<string>;
  experiments: Iterable<string>;
}

/** A record the import kept beside a stored one under a new id. */
export interface Renamed {
  kind: 'run' | 'version';
  from: string;
  to: string;
}

/** A record the import left out because the store has it already (the stored one is kept as it is). */
export interface KeptStored {
  kind: 'dataset' | 'experiment';
  id: string;
}

export interface ResolvedImport {
  /** What to write: nothing in it has an id the store holds. */
  payload: ImportPayload;
  renamed: Renamed[];
  kept: KeptStored[];
}

/**
 * The first free id for an imported run whose id is taken: `<id>-import-2`, `-import-3`, … An id
 * that is itself such a copy (`wine-import-2`) counts on from its base (`wine-import-3`), so copies
 * of copies stay readable.
 * @example importedRunId('wine-mlp', (id) => id === 'wine-mlp-import-2') // 'wine-mlp-import-3'
 */
export function importedRunId(id: string, taken: (candidate: string) => boolean): string {
  const base = id.replace(/-import-\d+$/, '');
  let n = 2;
  while (taken(`${base}-import-${n}`)) n++;
  return `${base}-import-${n}`;
}

/** The name and number of a version id `name@number` (null when it is not one). */
function versionParts(id: string): { name: string; version: number } | null {
  const at = id.lastIndexOf('@');
  const version = Number(id.slice(at + 1));
  return at > 0 && Number.isInteger(version) && version > 0 ? { name: id.slice(0, at), version } : null;
}

/** A run with its id and its references to other runs of the same import remapped (unchanged object when none move). */
function remapRun(run: RunRecord, id: string, mapRun: (id: string) => string, origin: ImportedFrom): RunRecord {
  const moved = (ref: string | undefined) => ref !== undefined && mapRun(ref) !== ref;
  const selfRef = (ref: string) => (ref === run.id ? id : mapRun(ref));
  const changes =
    id !== run.id ||
    moved(run.derivation?.parentRunId) ||
    moved(run.calibration?.parentRunId) ||
    moved(run.compression?.parentRunId) ||
    (run.ensemble?.members.some((m) => moved(m.runId)) ?? false) ||
    (run.evaluation !== undefined && selfRef(run.evaluation.runId) !== run.evaluation.runId);
  if (!changes) return run;
  const out: RunRecord = { ...run, id };
  if (id !== run.id) out.importedFrom = origin;
  if (run.derivation) out.derivation = { ...run.derivation, parentRunId: mapRun(run.derivation.parentRunId) };
  if (run.calibration) out.calibration = { ...run.calibration, parentRunId: mapRun(run.calibration.parentRunId) };
  if (run.compression) out.compression = { ...run.compression, parentRunId: mapRun(run.compression.parentRunId) };
  if (run.ensemble)
    out.ensemble = {
      ...run.ensemble,
      members: run.ensemble.members.map((m) => (m.runId === undefined ? m : { ...m, runId: mapRun(m.runId) })),
    };
  if (run.evaluation) out.evaluation = { ...run.evaluation, runId: selfRef(run.evaluation.runId) };
  return out;
}

/**
 * Decides the ids an import writes under, so that nothing stored is ever replaced — both are kept:
 *
 * - a run whose id is stored (or repeated in the import) gets {@link importedRunId}'s id, with
 *   `importedFrom` = its original id, `origin.source` and `origin.at`;
 * - a model version whose `name@version` is taken gets the next number after the highest of that
 *   name (stored or imported), with `importedFrom`; a version whose parent is in the import points
 *   at the parent's new id, and every version at its run's new id;
 * - a model card follows its version's new id (aliases are not part of an import and do not move);
 * - references between runs of the import (derivation, calibration, compression, ensemble members,
 *   the evaluation report) follow the new ids;
 * - a dataset whose id is stored is left out: the id is its content hash, so the data is the same
 *   and the stored record is kept as it is; an experiment whose id is stored is left out too (the
 *   stored one is kept).
 *
 * An import equal to what is stored is not recognised as such: it is kept beside it like any other
 * (the message says so). Pure: nothing is read or written; records that keep their ids are returned
 * as the same objects. Cost O(records + stored ids).
 * @example
 * resolveImport(payload, { runs: ['r1'], versions: [], datasets: [], experiments: [] },
 *   { source: 'model.zip', at: '2024-05-01T10:00:00Z' }).renamed
 * // [{ kind: 'run', from: 'r1', to: 'r1-import-2' }]
 */
export function resolveImport(
  payload: ImportPayload,
  existing: ExistingIds,
  origin: { source: string; at: string },
): ResolvedImport {
  const renamed: Renamed[] = [];
  const kept: KeptStored[] = [];

  // Runs. An id of another run in the import is reserved, so a new id never lands on it.
  const storedRuns = new Set(existing.runs);
  const reserved = new Set(payload.runs.map((r) => r.run.id));
  const placed = new Set<string>();
  const runMap = new Map<string, string>();
  const runIds = payload.runs.map(({ run }) => {
    let id = run.id;
    if (storedRuns.has(id) || placed.has(id)) {
      id = importedRunId(run.id, (c) => storedRuns.has(c) || placed.has(c) || reserved.has(c));
      renamed.push({ kind: 'run', from: run.id, to: id });
    }
    placed.add(id);
    if (!runMap.has(run.id)) runMap.set(run.id, id);
    return id;
  });
  const mapRun = (id: string) => runMap.get(id) ?? id;
  const runs = payload.runs.map((r, i) => {
    const id = runIds[i]!;
    const run = remapRun(r.run, id, mapRun, { id: r.run.id, source: origin.source, at: origin.at });
    return run === r.run ? r : { ...r, run };
  });

  // Versions: the next number of that name after every stored and imported one.
  const storedVersions = new Set(existing.versions);
  const highest = new Map<string, number>();
  const note = (name: string, n: number) => highest.set(name, Math.max(highest.get(name) ?? 0, n));
  for (const id of storedVersions) {
    const p = versionParts(id);
    if (p) note(p.name, p.version);
  }
  for (const { version } of payload.versions) note(version.name, version.version);
  const placedVersions = new Set<string>();
  const versionMap = new Map<string, string>();
  const numbers = payload.versions.map(({ version }) => {
    let id = version.id;
    let n = version.version;
    if (storedVersions.has(id) || placedVersions.has(id)) {
      n = (highest.get(version.name) ?? 0) + 1;
      note(version.name, n);
      id = `${version.name}@${n}`;
      renamed.push({ kind: 'version', from: version.id, to: id });
    }
    placedVersions.add(id);
    if (!versionMap.has(version.id)) versionMap.set(version.id, id);
    return { id, n };
  });
  const versions = payload.versions.map((v, i) => {
    const { id, n } = numbers[i]!;
    const parentId = v.version.parentId === null ? null : (versionMap.get(v.version.parentId) ?? v.version.parentId);
    const runId = mapRun(v.version.runId);
    if (id === v.version.id && parentId === v.version.parentId && runId === v.version.runId) return v;
    const version: ModelVersion = { ...v.version, id, version: n, parentId, runId };
    if (id !== v.version.id) version.importedFrom = { id: v.version.id, source: origin.source, at: origin.at };
    return { ...v, version };
  });
  const cards = payload.cards.map((c) => {
    const to = versionMap.get(c.versionId);
    return to === undefined || to === c.versionId ? c : { ...c, versionId: to };
  });

  // Datasets (content-addressed) and experiments: a stored one stays as it is.
  const storedDatasets = new Set(existing.datasets);
  const seenDatasets = new Set<string>();
  const datasets = payload.datasets.filter((d) => {
    const id = d.record.id;
    if (seenDatasets.has(id)) return false;
    seenDatasets.add(id);
    if (storedDatasets.has(id)) kept.push({ kind: 'dataset', id });
    return !storedDatasets.has(id);
  });
  const storedExperiments = new Set(existing.experiments);
  const seenExperiments = new Set<string>();
  const experiments = payload.experiments.filter((e) => {
    if (seenExperiments.has(e.id)) return false;
    seenExperiments.add(e.id);
    if (storedExperiments.has(e.id)) kept.push({ kind: 'experiment', id: e.id });
    return !storedExperiments.has(e.id);
  });

  return { payload: { runs, datasets, versions, cards, experiments }, renamed, kept };
}

/** The ids a store holds, for {@link resolveImport}: one listing of runs, versions, datasets and experiments. */
export async function storedIds(
  store: Pick<Store, 'listRuns' | 'listVersions' | 'listDatasetRecords' | 'listExperiments'>,
): Promise<ExistingIds> {
  const [runs, versions, datasets, experiments] = await Promise.all([
    store.listRuns(),
    store.listVersions(),
    store.listDatasetRecords(),
    store.listExperiments(),
  ]);
  return {
    runs: runs.map((r) => r.id),
    versions: versions.map((v) => v.id),
    datasets: datasets.map((d) => d.id),
    experiments: experiments.map((e) => e.id),
  };
}

/**
 * The renames in words, for a message: `run r1 as r1-import-2, version wine@1 as wine@4`.
 * @example describeRenamed([{ kind: 'run', from: 'a', to: 'a-import-2' }]) // 'run a as a-import-2'
 */
export function describeRenamed(renamed: readonly Renamed[]): string {
  return renamed.map((r) => `${r.kind} ${r.from} as ${r.to}`).join(', ');
}

/**
 * The message of an import a store refused because some of its ids are stored (taken after the ids
 * were resolved, or the import was not resolved): names up to five of them.
 * @example importConflict(['run r1']) // 'Already stored here: run r1. Nothing was imported …'
 */
export function importConflict(taken: readonly string[]): string {
  const shown = taken.slice(0, 5).join(', ') + (taken.length > 5 ? ` and ${taken.length - 5} more` : '');
  return `Already stored here: ${shown}. Nothing was imported and nothing stored was replaced; import again to keep both.`;
}
