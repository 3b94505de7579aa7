import type { ImportedFrom, SplitMetrics } from '../model/spec.ts';
import type { Schema } from '../data/schema.ts';

/** A named group of runs. */
export interface Experiment {
  id: string;
  name: string;
  createdAt: string;
  description?: string;
}

/** What the store knows about a dataset version (its data, when kept, is stored beside it). */
export interface DatasetRecord {
  /** Content hash: the dataset version id. */
  id: string;
  name: string;
  rowCount: number;
  columns: string[];
  label: string | null;
  /** The inferred schema (types, roles, missing counts) when it was recorded. */
  schema?: Schema;
  /** Where it came from: a shipped dataset's source, or "imported file". */
  provenance: string;
  savedAt: string;
  /** Size of the stored data (encodeTable bytes); 0 when the data is not kept. */
  bytes: number;
}

/** Lineage label parts: V{architecture}.{retrain}.{update}. */
export interface Lineage {
  architecture: number;
  retrain: number;
  update: number;
}

/** How a new version relates to its parent. */
export type VersionRelation = 'architecture' | 'retrain' | 'update';

/** One numbered version of a registered model. Its artifacts are stored with it (same transaction). */
export interface ModelVersion {
  /** `${name}@${version}` */
  id: string;
  name: string;
  version: number;
  lineage: Lineage;
  /** "V1.2.12" */
  label: string;
  relation: VersionRelation;
  parentId: string | null;
  runId: string;
  datasetId: string;
  createdAt: string;
  createdBy: string;
  task: 'classification' | 'regression';
  modelKind: string;
  metrics: { validation: SplitMetrics; test?: SplitMetrics };
  tags: string[];
  description?: string;
  /** ONNX bytes, when the version was exported to ONNX. */
  onnx?: ArrayBuffer;
  /** Set when an import gave this version a new number because its own was taken: the original id and file. */
  importedFrom?: ImportedFrom;
}

/** Where an alias (champion, challenger, …) of a model points now. */
export interface AliasRecord {
  /** `${name}:${alias}` */
  key: string;
  name: string;
  alias: string;
  versionId: string;
  movedAt: string;
}

/** One alias move, kept forever in the audit trail. */
export interface AliasMove {
  name: string;
  alias: string;
  from: string | null;
  to: string | null;
  who: string;
  when: string;
  reason: string;
}

/** The prose of a model card a person writes; the rest of the card is generated. */
export interface ModelCardProse {
  versionId: string;
  overview: string;
  users: string;
  useCases: string;
  limitations: string;
  tradeoffs: string;
  ethics: string;
  updatedAt: string;
}

export const EMPTY_PROSE: Omit<ModelCardProse, 'versionId' | 'updatedAt'> = Object.freeze({
  overview: '',
  users: '',
  useCases: '',
  limitations: '',
  tradeoffs: '',
  ethics: '',
});
