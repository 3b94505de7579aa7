import type { RunRecord, TrainedModel } from '../model/spec.ts';
import type { Result } from '../util/result.ts';
import type { AliasMove, AliasRecord, DatasetRecord, Experiment, ModelCardProse, ModelVersion } from './records.ts';

/** Everything a bundle import writes, in one all-or-nothing step. */
export interface ImportPayload {
  runs: { run: RunRecord; model?: TrainedModel }[];
  datasets: { record: DatasetRecord; data?: Uint8Array }[];
  versions: { version: ModelVersion; model: TrainedModel }[];
  cards: ModelCardProse[];
  experiments: Experiment[];
}

/**
 * The store behind the registry: IndexedDB in the app (src/app/storage/repository.ts), the file
 * system on the command line (bin/fs-store.ts), memory in tests — one interface, domain verbs only.
 * Writes that belong together are atomic: a run with its model, a version with its artifacts, an
 * alias move with its audit entry, a whole import.
 */
export interface Store {
  /** Saves a run and its model, replacing the stored one with that id: for the owner's own updates of a run. */
  saveRun(run: RunRecord, model: TrainedModel): Promise<Result<void>>;
  /**
   * Adds a run and its model only if no run has its id; otherwise fails with kind `conflict` and
   * writes nothing (an import never replaces a stored run).
   */
  addRun(run: RunRecord, model: TrainedModel): Promise<Result<void>>;
  getRun(id: string): Promise<RunRecord | undefined>;
  listRuns(): Promise<RunRecord[]>;
  getModel(runId: string): Promise<TrainedModel | undefined>;

  saveDatasetRecord(record: DatasetRecord, data?: Uint8Array): Promise<Result<void>>;
  getDatasetRecord(id: string): Promise<DatasetRecord | undefined>;
  getDatasetData(id: string): Promise<Uint8Array | undefined>;
  listDatasetRecords(): Promise<DatasetRecord[]>;

  saveExperiment(e: Experiment): Promise<Result<void>>;
  listExperiments(): Promise<Experiment[]>;

  addVersion(version: ModelVersion, model: TrainedModel): Promise<Result<void>>;
  getVersion(id: string): Promise<ModelVersion | undefined>;
  listVersions(name?: string): Promise<ModelVersion[]>;
  getVersionModel(id: string): Promise<TrainedModel | undefined>;
  updateVersion(version: ModelVersion): Promise<Result<void>>;

  /** Points an alias at a version (or removes it, `to: null`) and appends the move to the audit trail, atomically. */
  moveAlias(move: AliasMove): Promise<Result<void>>;
  listAliases(name?: string): Promise<AliasRecord[]>;
  aliasHistory(name?: string): Promise<AliasMove[]>;

  saveCard(prose: ModelCardProse): Promise<Result<void>>;
  getCard(versionId: string): Promise<ModelCardProse | undefined>;

  /**
   * Writes a whole import atomically, never replacing anything: a run, version or card whose id is
   * stored fails the import with kind `conflict` before anything is written (resolve ids first with
   * src/core/store/import-ids.ts); a dataset or experiment whose id is stored is skipped, the stored
   * one kept as it is (a dataset's id is its content hash).
   */
  importAll(payload: ImportPayload): Promise<Result<void>>;
}
