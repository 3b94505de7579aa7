import { transfer } from 'comlink';
import type { Experiment } from '../../core/store/records.ts';
import type { RunRecord } from '../../core/model/spec.ts';
import type { Problem } from '../../core/util/result.ts';
import type { FingerprintCheck } from '../../../workers/train.api.ts';
import type { Session } from '../session.svelte.ts';
import { modelBuffers } from '../../core/model/model-buffers.ts';
import { filterRuns, type RunSort } from '../run-filter.ts';
import type { TrainingFeature } from './training.svelte.ts';
import type { Download } from './registry.svelte.ts';
import { resolveImport } from '../../core/store/import-ids.ts';
import { storedProblemsNote, type StoredProblemsNote } from '../stored-problems.ts';

/** What a model import came from, in words: the folder, the zip, or the files' names. */
function modelSource(files: File[]): string {
  const folder = files.find((f) => f.webkitRelativePath.includes('/'))?.webkitRelativePath.split('/')[0];
  if (folder) return folder;
  const names = files.map((f) => f.name);
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/**
 * The runs list: search, order and experiment filter; ticking runs; comparing them; experiments and
 * tags; checking a saved model; deleting, exporting and importing runs (CLI models, ONNX files).
 */
export class RunList {
  /** Free-text search over runs (name, tags, model, params, metrics) and the sort order of the list. */
  query = $state('');
  sort = $state<RunSort>('newest');
  /** The experiment the list shows ('all' for every run). */
  experimentFilter = $state<string>('all');
  /** Runs being compared side by side (the ticked ones, when Compare is pressed). */
  comparing = $state.raw<string[]>([]);
  /** Results of "check the saved model" per run. */
  checks = $state.raw<Record<string, FingerprintCheck | Problem>>({});

  constructor(
    private readonly s: Session,
    private readonly training: TrainingFeature,
  ) {}

  /** The session's runs, selection and experiments, as the list shows them. */
  get runs(): RunRecord[] {
    return this.s.runs;
  }
  get selectedRun(): RunRecord | null {
    return this.s.selectedRun;
  }
  get selectedRunId(): string | null {
    return this.s.selectedRunId;
  }
  get picked(): string[] {
    return this.s.picked;
  }
  get experiments(): Experiment[] {
    return this.s.experiments;
  }
  get experimentId(): string {
    return this.s.experimentId;
  }
  /** Stored records the lists skipped because they failed their schema (left untouched), as the note says it. */
  get storedProblems(): StoredProblemsNote | null {
    return storedProblemsNote(this.s.storeProblems);
  }

  /** Shows a run. */
  select(id: string | null): void {
    this.s.selectRun(id);
  }

  /** After the filter changed: new runs join the experiment shown (unless all are shown). */
  followFilter(): void {
    if (this.experimentFilter !== 'all') this.s.experimentId = this.experimentFilter;
  }

  /** Compares the ticked runs side by side. */
  compare(): void {
    this.comparing = [...this.s.picked];
  }

  /** Runs matching the search, in the chosen order (see `filterRuns`). */
  filteredRuns(): RunRecord[] {
    return filterRuns(this.s.runs, this.query, this.experimentFilter, this.sort);
  }

  /** Ticks or unticks a run for combining, comparing or exporting. */
  togglePick(id: string): void {
    const p = this.s.picked;
    this.s.picked = p.includes(id) ? p.filter((x) => x !== id) : [...p, id];
  }

  /** Creates an experiment and makes it the one new runs join and the list shows. */
  async createExperiment(name: string): Promise<void> {
    const clean = name.trim();
    if (!clean) return;
    const e: Experiment = { id: crypto.randomUUID(), name: clean.slice(0, 80), createdAt: new Date().toISOString() };
    const r = await this.s.repo.saveExperiment(e);
    if (!r.ok) {
      this.s.error = r.error;
      return;
    }
    this.s.experimentId = e.id;
    this.experimentFilter = e.id;
    await this.s.refreshLists();
  }

  /** Replaces a run's tags (lower-cased, deduplicated, invalid ones dropped). */
  async setRunTags(runId: string, tags: string[]): Promise<void> {
    const run = this.s.runs.find((r) => r.id === runId);
    if (!run) return;
    const clean = [
      ...new Set(tags.map((t) => t.trim().toLowerCase()).filter((t) => /^[a-z0-9][a-z0-9_.-]{0,31}$/.test(t))),
    ];
    const saved = await this.s.repo.saveRunRecord({ ...run, tags: clean });
    if (!saved.ok) this.s.error = saved.error;
    await this.s.refreshLists();
  }

  /** Loads the saved model and checks that it predicts what it predicted right after training. */
  async checkRun(id: string): Promise<void> {
    const s = this.s;
    const run = s.runs.find((r) => r.id === id);
    const missingModel = { kind: 'missing-model', message: 'This run has no saved model.' };
    if (!run) {
      this.checks = { ...this.checks, [id]: missingModel };
      return;
    }
    if (!(await s.ensureDataset(run))) {
      const message =
        `The dataset ${run.dataset.name} (${run.dataset.id.slice(0, 12)}) is not available; ` +
        'import it again to check this model.';
      this.checks = { ...this.checks, [id]: { kind: 'missing-dataset', message } };
      return;
    }
    // The worker reads the run and its model by id (cached there).
    const res = await s.trainer.checkFingerprint(id);
    this.checks = {
      ...this.checks,
      [id]: res.ok ? res.value : res.error.kind === 'not-found' ? missingModel : res.error,
    };
  }

  async deleteRun(id: string): Promise<void> {
    await this.s.repo.deleteRun(id);
    await this.s.refreshLists();
    if (this.s.selectedRunId === id) this.s.selectRun(this.s.runs[0]?.id ?? null);
  }

  /** The run's model as a zip the command line reads with `--model`. */
  async exportRun(id: string): Promise<Download | null> {
    const found = await this.s.runWithModel(id);
    if (!found) return null;
    // The model was read for this call alone: its buffers move to the worker instead of being copied.
    const bytes = await this.s.trainer.exportBundle(transfer(found, modelBuffers(found.model)));
    const safe = found.run.name
      .replace(/[^\w.-]+/g, '-')
      .replace(/-+/g, '-')
      .slice(0, 60);
    return { name: `${safe}.benchtop.zip`, blob: new Blob([bytes as BlobPart], { type: 'application/zip' }) };
  }

  /**
   * Imports a model written by `benchtop train --out` (its files, or a zip) as a run. A stored run
   * with its id is never replaced: the import is kept beside it under a new id (`<id>-import-2`),
   * with `importedFrom` naming the original id and the file.
   */
  async importModel(files: File[]): Promise<void> {
    const s = this.s;
    s.error = null;
    const source = modelSource(files);
    if (!(await s.afterStart(`${source} was not imported`))) return;
    const payload = await Promise.all(
      files.map(async (f) => ({ name: f.webkitRelativePath || f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
    );
    const res = await s.trainer.importBundle(payload);
    if (!res.ok) {
      s.error = res.error;
      return;
    }
    const { run: original, model } = res.value;
    const resolved = resolveImport(
      { runs: [{ run: original, model }], datasets: [], versions: [], cards: [], experiments: [] },
      { runs: (await s.repo.listRuns()).map((r) => r.id), versions: [], datasets: [], experiments: [] },
      { source, at: new Date().toISOString() },
    );
    const run = resolved.payload.runs[0]!.run;
    // add, not put: a run stored meanwhile (another tab) fails this instead of being replaced.
    const saved = await s.repo.addRun(run, model);
    if (!saved.ok) {
      s.error = saved.error;
      return;
    }
    await s.refreshLists();
    s.selectRun(run.id);
    s.notice =
      run.id === original.id
        ? `Imported model "${run.name}".`
        : `Imported model "${run.name}": a run with its id (${original.id}) was already stored, so the import ` +
          `was kept beside it as run ${run.id} (imported from ${source}); the stored run is unchanged.`;
  }

  /**
   * Imports an ONNX model over the current dataset (its numeric feature columns in order, its
   * label); saved as a run to evaluate and register.
   */
  async importOnnxFile(file: File): Promise<void> {
    const s = this.s;
    if (!s.dataset || !s.schema) return;
    s.error = null;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const res = await s.trainer.importOnnx(
      transfer(bytes, [bytes.buffer]),
      file.name,
      s.dataset.id,
      s.schema,
      this.training.splitSpec(),
      crypto.randomUUID(),
    );
    if (!res.ok) {
      s.error = res.error;
      return;
    }
    const saved = await s.repo.saveRun(
      { ...res.value.run, experimentId: s.experimentId, tags: ['onnx'] },
      res.value.model,
    );
    if (!saved.ok) {
      s.error = saved.error;
      return;
    }
    await s.refreshLists();
    s.selectRun(res.value.run.id);
    const info = res.value.info;
    const inputs = info.inputs.map((i) => `${i.name} [${i.shape.join('×')}]`).join(', ');
    const outputs = info.outputs.map((o) => `${o.name} [${o.shape.join('×')}]`).join(', ');
    s.notice =
      `Imported ${file.name}: ${inputs} → ${outputs}; ${Object.keys(info.operators).length} operator types. ` +
      'Register it to keep it as a model version.';
  }
}
