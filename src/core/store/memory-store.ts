import type { RunRecord, TrainedModel } from '../model/spec.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import type { AliasMove, AliasRecord, DatasetRecord, Experiment, ModelCardProse, ModelVersion } from './records.ts';
import type { ImportPayload, Store } from './store.ts';
import { importConflict } from './import-ids.ts';

/** A Store in memory: for tests and for validating an import before it touches a real store. */
export class MemoryStore implements Store {
  runs = new Map<string, RunRecord>();
  models = new Map<string, TrainedModel>();
  datasets = new Map<string, { record: DatasetRecord; data?: Uint8Array }>();
  experiments = new Map<string, Experiment>();
  versions = new Map<string, { version: ModelVersion; model: TrainedModel }>();
  aliases = new Map<string, AliasRecord>();
  audit: AliasMove[] = [];
  cards = new Map<string, ModelCardProse>();

  async saveRun(run: RunRecord, model: TrainedModel): Promise<Result<void>> {
    this.runs.set(run.id, structuredClone(run));
    this.models.set(run.id, structuredClone(model));
    return ok(undefined);
  }
  async addRun(run: RunRecord, model: TrainedModel): Promise<Result<void>> {
    if (this.runs.has(run.id))
      return fail({ kind: 'conflict', message: `A run with id ${run.id} is already stored; nothing was replaced.` });
    return this.saveRun(run, model);
  }
  async getRun(id: string) {
    return this.runs.get(id);
  }
  async listRuns() {
    return [...this.runs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
  async getModel(runId: string) {
    return this.models.get(runId);
  }
  async saveDatasetRecord(record: DatasetRecord, data?: Uint8Array): Promise<Result<void>> {
    this.datasets.set(record.id, { record, data: data ?? this.datasets.get(record.id)?.data });
    return ok(undefined);
  }
  async getDatasetRecord(id: string) {
    return this.datasets.get(id)?.record;
  }
  async getDatasetData(id: string) {
    return this.datasets.get(id)?.data;
  }
  async listDatasetRecords() {
    return [...this.datasets.values()].map((d) => d.record);
  }
  async saveExperiment(e: Experiment): Promise<Result<void>> {
    this.experiments.set(e.id, e);
    return ok(undefined);
  }
  async listExperiments() {
    return [...this.experiments.values()];
  }
  async addVersion(version: ModelVersion, model: TrainedModel): Promise<Result<void>> {
    if (this.versions.has(version.id))
      return fail({ kind: 'conflict', message: `Version ${version.id} already exists.` });
    this.versions.set(version.id, { version: structuredClone(version), model: structuredClone(model) });
    return ok(undefined);
  }
  async getVersion(id: string) {
    return this.versions.get(id)?.version;
  }
  async listVersions(name?: string) {
    return [...this.versions.values()]
      .map((v) => v.version)
      .filter((v) => !name || v.name === name)
      .sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
  }
  async getVersionModel(id: string) {
    return this.versions.get(id)?.model;
  }
  async updateVersion(version: ModelVersion): Promise<Result<void>> {
    const cur = this.versions.get(version.id);
    if (!cur) return fail({ kind: 'missing', message: `No version ${version.id}.` });
    cur.version = structuredClone(version);
    return ok(undefined);
  }
  async moveAlias(move: AliasMove): Promise<Result<void>> {
    const key = `${move.name}:${move.alias}`;
    if (move.to === null) this.aliases.delete(key);
    else this.aliases.set(key, { key, name: move.name, alias: move.alias, versionId: move.to, movedAt: move.when });
    this.audit.push(move);
    return ok(undefined);
  }
  async listAliases(name?: string) {
    return [...this.aliases.values()].filter((a) => !name || a.name === name);
  }
  async aliasHistory(name?: string) {
    return this.audit.filter((m) => !name || m.name === name);
  }
  async saveCard(prose: ModelCardProse): Promise<Result<void>> {
    this.cards.set(prose.versionId, prose);
    return ok(undefined);
  }
  async getCard(versionId: string) {
    return this.cards.get(versionId);
  }
  async importAll(p: ImportPayload): Promise<Result<void>> {
    // Everything is checked before anything is written: the import is all or nothing.
    const taken = [
      ...p.runs.filter((r) => this.runs.has(r.run.id)).map((r) => `run ${r.run.id}`),
      ...p.versions.filter((v) => this.versions.has(v.version.id)).map((v) => `version ${v.version.id}`),
      ...p.cards.filter((c) => this.cards.has(c.versionId)).map((c) => `the card of ${c.versionId}`),
    ];
    if (taken.length) return fail({ kind: 'conflict', message: importConflict(taken) });
    for (const r of p.runs) {
      this.runs.set(r.run.id, r.run);
      if (r.model) this.models.set(r.run.id, r.model);
    }
    // A stored dataset (same id: same content) or experiment is kept as it is.
    for (const d of p.datasets) if (!this.datasets.has(d.record.id)) this.datasets.set(d.record.id, d);
    for (const v of p.versions) this.versions.set(v.version.id, v);
    for (const c of p.cards) this.cards.set(c.versionId, c);
    for (const e of p.experiments) if (!this.experiments.has(e.id)) this.experiments.set(e.id, e);
    return ok(undefined);
  }
}
