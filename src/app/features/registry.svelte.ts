import { transfer } from 'comlink';
import { moveAlias, registerVersion, rollbackAlias } from '../../core/registry/registry.ts';
import { buildModelCard, type ModelCard } from '../../core/registry/model-card.ts';
import { collectBundle } from '../../core/store/bundle.ts';
import { describeRenamed, resolveImport, storedIds, type ResolvedImport } from '../../core/store/import-ids.ts';
import {
  EMPTY_PROSE,
  type AliasMove,
  type AliasRecord,
  type ModelCardProse,
  type ModelVersion,
  type VersionRelation,
} from '../../core/store/records.ts';
import type { Session } from '../session.svelte.ts';
import { modelBuffers } from '../../core/model/model-buffers.ts';
import type { EvaluationFeature } from './evaluation.svelte.ts';

/** A file for the person to save. */
export interface Download {
  name: string;
  blob: Blob;
}

/**
 * The model registry: register versions, move and roll back aliases (with an audit trail), model
 * cards, bundles (export and import). The lists themselves live in the session; this class writes
 * them through the repository and refreshes.
 */
export class RegistryFeature {
  constructor(
    private readonly s: Session,
    private readonly evaluation: EvaluationFeature,
  ) {}

  /** The registry's lists (from the session) and the runs ticked for a bundle. */
  get versions(): ModelVersion[] {
    return this.s.versions;
  }
  get aliases(): AliasRecord[] {
    return this.s.aliases;
  }
  get audit(): AliasMove[] {
    return this.s.audit;
  }
  get picked(): string[] {
    return this.s.picked;
  }

  /** Registers a run's model as the next version of a named model. */
  async registerRun(
    runId: string,
    name: string,
    relation: VersionRelation | 'auto',
    tags: string[],
  ): Promise<ModelVersion | null> {
    const s = this.s;
    const found = await s.runWithModel(runId);
    if (!found) {
      s.error = { kind: 'missing-model', message: 'This run has no saved model to register.' };
      return null;
    }
    const { run, model } = found;
    const res = await registerVersion(s.repo, {
      name,
      run,
      model,
      relation: relation === 'auto' ? undefined : relation,
      tags: [...tags],
    });
    await s.refreshLists();
    if (!res.ok) {
      s.error = res.error;
      return null;
    }
    s.notice = `Registered ${res.value.id} (${res.value.label}).`;
    // Behavioural tests saved with the parent version are rerun on the new one.
    const parentRun = res.value.parentId
      ? s.runs.find((r) => r.id === s.versions.find((v) => v.id === res.value.parentId)?.runId)
      : undefined;
    if (parentRun?.behaviourTests?.length && !run.evaluation)
      void this.evaluation.evaluateRun(
        run.id,
        parentRun.evaluation?.split === 'validation' ? 'validation' : 'test',
        [],
        parentRun.behaviourTests,
      );
    return res.value;
  }

  /** Points an alias at a version (promote), with the reason kept in the audit trail. */
  async promote(name: string, alias: string, versionId: string, reason: string): Promise<void> {
    const res = await moveAlias(this.s.repo, { name, alias, to: versionId, reason });
    if (!res.ok) this.s.error = res.error;
    await this.s.refreshLists();
  }

  /** Moves an alias back to where it pointed before. */
  async rollback(name: string, alias: string, reason: string): Promise<void> {
    const res = await rollbackAlias(this.s.repo, { name, alias, reason });
    if (!res.ok) this.s.error = res.error;
    await this.s.refreshLists();
  }

  /** The card of a version: generated from the registry, with the saved prose. */
  async modelCard(versionId: string): Promise<{ card: ModelCard; prose: ModelCardProse } | null> {
    const repo = this.s.repo;
    const v = await repo.getVersion(versionId);
    if (!v) return null;
    const prose = (await repo.getCard(versionId)) ?? { versionId, ...EMPTY_PROSE, updatedAt: '' };
    const card = buildModelCard(
      v,
      await repo.getRun(v.runId),
      await repo.getDatasetRecord(v.datasetId),
      await repo.listAliases(v.name),
      prose,
    );
    return { card, prose };
  }

  /** Saves the hand-written parts of a card (the form's fields may be reactive: copied first). */
  async saveCardProse(prose: ModelCardProse): Promise<void> {
    const res = await this.s.repo.saveCard({ ...$state.snapshot(prose), updatedAt: new Date().toISOString() });
    if (!res.ok) this.s.error = res.error;
  }

  /** A version's model as a zip of its model directory (tfjs model.json + weights.bin, preprocessing, run). */
  async exportVersionModel(versionId: string): Promise<Download | null> {
    const repo = this.s.repo;
    const v = await repo.getVersion(versionId);
    const model = await repo.getVersionModel(versionId);
    const run = v ? await repo.getRun(v.runId) : undefined;
    if (!v || !model || !run) return null;
    // The model was read for this call alone: its buffers move to the worker instead of being copied.
    const bytes = await this.s.trainer.exportBundle(transfer({ run, model }, modelBuffers(model)));
    return {
      name: `${v.name}-v${v.version}.benchtop.zip`,
      blob: new Blob([bytes as BlobPart], { type: 'application/zip' }),
    };
  }

  /** Exports the ONNX file of a version (and keeps the bytes with the version). */
  async exportVersionOnnx(versionId: string): Promise<Download | null> {
    const repo = this.s.repo;
    const v = await repo.getVersion(versionId);
    const model = await repo.getVersionModel(versionId);
    if (!v || !model) return null;
    const res = await this.s.trainer.exportOnnx(transfer(model, modelBuffers(model)));
    if (!res.ok) {
      this.s.error = res.error;
      return null;
    }
    await repo.updateVersion({ ...v, onnx: res.value.slice().buffer as ArrayBuffer });
    return {
      name: `${v.name}-v${v.version}.onnx`,
      blob: new Blob([res.value as BlobPart], { type: 'application/octet-stream' }),
    };
  }

  /** One zip of the ticked runs and the chosen versions, with datasets and cards (hashed and zipped in the worker). */
  async exportBundleFile(versionIds: string[]): Promise<Download | null> {
    const files = await collectBundle(this.s.repo, { runIds: [...this.s.picked], versionIds: [...versionIds] });
    if (!files.ok) {
      this.s.error = files.error;
      return null;
    }
    const bytes = await this.s.trainer.packBundle(files.value);
    return {
      name: `benchtop-bundle-${new Date().toISOString().slice(0, 10)}.zip`,
      blob: new Blob([bytes as BlobPart], { type: 'application/zip' }),
    };
  }

  /**
   * Imports a bundle: validated in the worker, then written in one transaction — or not at all.
   * Nothing stored is replaced: runs and versions whose ids are stored are kept beside them under
   * new ids (src/core/store/import-ids.ts); datasets and experiments already stored stay as they are.
   */
  async importBundleFile(file: File): Promise<void> {
    const s = this.s;
    s.error = null;
    if (!(await s.afterStart(`${file.name} was not imported`))) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const payload = await s.trainer.readBundle(transfer(bytes, [bytes.buffer]), file.name);
    if (!payload.ok) {
      s.error = payload.error;
      return;
    }
    const resolved = resolveImport(payload.value, await storedIds(s.repo), {
      source: file.name,
      at: new Date().toISOString(),
    });
    const res = await s.repo.importAll(resolved.payload);
    if (!res.ok) {
      s.error = res.error;
      return;
    }
    await s.refreshLists();
    s.notice = bundleNotice(resolved, file.name);
  }
}

/** What a bundle import did, in words: what was written, what was kept beside stored records, what was already here. */
function bundleNotice(r: ResolvedImport, file: string): string {
  const p = r.payload;
  const parts = [
    `Imported ${p.runs.length} run(s), ${p.versions.length} model version(s) and ${p.datasets.length} dataset(s) from ${file}.`,
  ];
  if (r.renamed.length)
    parts.push(`Already stored, so kept beside the stored ones (which are unchanged): ${describeRenamed(r.renamed)}.`);
  const datasets = r.kept.filter((k) => k.kind === 'dataset').length;
  if (datasets) parts.push(`${datasets} dataset(s) were already stored with the same content and kept as they are.`);
  return parts.join(' ');
}
