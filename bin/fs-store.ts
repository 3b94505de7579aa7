import { appendFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InferOutput } from 'valibot';
import { bundleToFiles, filesToModel } from '../src/core/model/model-bundle.ts';
import type { RunRecord, TrainedModel } from '../src/core/model/spec.ts';
import type {
  AliasMove,
  AliasRecord,
  DatasetRecord,
  Experiment,
  ModelCardProse,
  ModelVersion,
} from '../src/core/store/records.ts';
import type { ImportPayload, Store } from '../src/core/store/store.ts';
import { AliasListSchema, AliasMoveSchema } from '../src/core/store/schemas/alias.ts';
import { ModelCardProseSchema } from '../src/core/store/schemas/card.ts';
import { DatasetRecordSchema } from '../src/core/store/schemas/dataset-record.ts';
import { ExperimentSchema } from '../src/core/store/schemas/experiment.ts';
import { ModelVersionSchema } from '../src/core/store/schemas/model-version.ts';
import { type RecordSchema, validateRecord } from '../src/core/store/schemas/validate.ts';
import type { Problem, Result } from '../src/core/util/result.ts';
import { parseRun } from '../src/core/store/upgrade.ts';
import { fail, ok } from '../src/core/util/result.ts';
import { importConflict } from '../src/core/store/import-ids.ts';
import * as disk from './fs-files.ts';

const seg = (id: string) => encodeURIComponent(id);

/**
 * The command line's Store: the same records as the app's IndexedDB, as files under one directory.
 *
 *   runs/<id>/run.json + model files   datasets/<id>.json (+ .bin)   experiments/<id>.json
 *   versions/<id>/version.json + model files (+ model.onnx)           cards/<id>.json
 *   aliases.json   alias-audit.jsonl
 *
 * Grouped writes are atomic: files go to a temporary directory that is renamed into place, so an
 * interrupted write leaves no half run or half version (the file operations are in fs-files.ts).
 *
 * Every JSON file read is checked against its schema (src/core/store/schemas). A corrupt file never
 * crashes a command: the `load*` methods return it as a Result naming the path and the field; the
 * Store methods treat it as absent (lists skip it) and keep the problem in {@link FsStore.problems}
 * for the command to report.
 */
export class FsStore implements Store {
  /** Files that could not be read as records since this store was opened (each names its path and field). */
  readonly problems: Problem[] = [];

  constructor(readonly root: string) {}

  private path(...p: string[]) {
    return join(this.root, ...p);
  }

  /** Parses `text` as JSON and checks it against `schema`; a refusal names `file` and the field. */
  private parse<S extends RecordSchema>(schema: S, text: string, file: string): Result<InferOutput<S>> {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      return fail({ kind: 'bad-json', file, message: `${file} is not valid JSON: ${(e as Error).message}` });
    }
    return validateRecord(schema, value, file);
  }

  /** A JSON record from disk, checked: `undefined` when the file does not exist, a problem when it is corrupt. */
  async load<S extends RecordSchema>(schema: S, ...p: string[]): Promise<Result<InferOutput<S> | undefined>> {
    const file = this.path(...p);
    const text = await disk.readText(file);
    if (!text.ok) return text;
    if (text.value === undefined) return ok(undefined);
    return this.parse(schema, text.value, file);
  }

  /** A run record from disk, upgraded from any version and checked (src/core/store/upgrade.ts parseRun). */
  async loadRun(id: string): Promise<Result<RunRecord | undefined>> {
    const file = this.path('runs', seg(id), 'run.json');
    const text = await disk.readText(file);
    if (!text.ok) return text;
    if (text.value === undefined) return ok(undefined);
    try {
      return parseRun(JSON.parse(text.value), file);
    } catch (e) {
      return fail({ kind: 'bad-json', file, message: `${file} is not valid JSON: ${(e as Error).message}` });
    }
  }

  /** The value of a checked read, or `undefined` with the problem kept in {@link FsStore.problems}. */
  private kept<T>(r: Result<T | undefined>): T | undefined {
    if (r.ok) return r.value;
    if (!this.problems.some((p) => p.message === r.error.message)) this.problems.push(r.error);
    return undefined;
  }

  /** The model files of a run or version directory, checked (schemas and model sanity). */
  async loadModel(dir: string): Promise<Result<TrainedModel | undefined>> {
    const files: Record<string, Uint8Array> = {};
    try {
      for (const f of await readdir(this.path(dir)))
        if (f !== 'version.json' && f !== 'model.onnx' && f !== 'run.json' && !f.includes('.tmp-'))
          files[f] = await readFile(this.path(dir, f));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return ok(undefined);
      return fail({ kind: 'unreadable', file: this.path(dir), message: `Cannot read ${this.path(dir)}: ${code}` });
    }
    if (Object.keys(files).length === 0) return ok(undefined);
    return filesToModel(files, this.path(dir));
  }

  /** Every record of a directory that reads; corrupt ones are skipped and kept in {@link FsStore.problems}. */
  private async list<S extends RecordSchema>(schema: S, dir: string, file?: string): Promise<InferOutput<S>[]> {
    const out: InferOutput<S>[] = [];
    for (const n of await disk.names(this.path(dir))) {
      if (!file && !n.endsWith('.json')) continue;
      const v = this.kept(file ? await this.load(schema, dir, n, file) : await this.load(schema, dir, n));
      if (v !== undefined) out.push(v);
    }
    return out;
  }

  async saveRun(run: RunRecord, model: TrainedModel): Promise<Result<void>> {
    return disk.writeDir(this.path(`runs/${seg(run.id)}`), `runs/${seg(run.id)}`, bundleToFiles({ run, model }));
  }
  /** Adds a run only if its id is new: the directory is renamed into place, which fails when one is there. */
  async addRun(run: RunRecord, model: TrainedModel): Promise<Result<void>> {
    const w = await disk.writeDir(
      this.path(`runs/${seg(run.id)}`),
      `runs/${seg(run.id)}`,
      bundleToFiles({ run, model }),
      false,
    );
    return !w.ok && w.error.kind === 'conflict'
      ? fail({
          kind: 'conflict',
          message: `A run with id ${run.id} is already stored in ${this.root}; nothing was replaced.`,
        })
      : w;
  }
  /** Runs written by any version read as today's records (src/core/store/upgrade.ts). */
  async getRun(id: string) {
    return this.kept(await this.loadRun(id));
  }
  async listRuns() {
    const runs: RunRecord[] = [];
    for (const n of await disk.names(this.path('runs'))) {
      const r = this.kept(await this.loadRun(decodeURIComponent(n)));
      if (r) runs.push(r);
    }
    return runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
  async getModel(runId: string) {
    const run = await this.getRun(runId);
    return run ? this.kept(await this.loadModel(`runs/${seg(runId)}`)) : undefined;
  }

  async saveDatasetRecord(record: DatasetRecord, data?: Uint8Array): Promise<Result<void>> {
    if (data) {
      try {
        await mkdir(this.path('datasets'), { recursive: true });
        await writeFile(this.path('datasets', `${seg(record.id)}.bin`), data);
      } catch (e) {
        return fail({
          kind: 'storage',
          message: `Could not write the data of ${record.name}: ${(e as Error).message}`,
        });
      }
    }
    return disk.writeJson(this.path(`datasets/${seg(record.id)}.json`), {
      ...record,
      bytes: data?.byteLength ?? record.bytes,
    });
  }
  async getDatasetRecord(id: string) {
    return this.kept(await this.load(DatasetRecordSchema, 'datasets', `${seg(id)}.json`));
  }
  async getDatasetData(id: string) {
    try {
      return new Uint8Array(await readFile(this.path('datasets', `${seg(id)}.bin`)));
    } catch {
      return undefined;
    }
  }
  async listDatasetRecords(): Promise<DatasetRecord[]> {
    return this.list(DatasetRecordSchema, 'datasets');
  }

  async saveExperiment(e: Experiment) {
    return disk.writeJson(this.path(`experiments/${seg(e.id)}.json`), e);
  }
  async listExperiments(): Promise<Experiment[]> {
    return this.list(ExperimentSchema, 'experiments');
  }

  async addVersion(version: ModelVersion, model: TrainedModel): Promise<Result<void>> {
    const run = (await this.getRun(version.runId)) ?? ({ id: version.runId } as RunRecord);
    const { onnx, ...rest } = version;
    const files: Record<string, Uint8Array | string> = {
      ...bundleToFiles({ run, model }),
      'version.json': JSON.stringify(rest, null, 1),
    };
    delete files['run.json'];
    if (onnx) files['model.onnx'] = new Uint8Array(onnx);
    return disk.writeDir(this.path(`versions/${seg(version.id)}`), `versions/${seg(version.id)}`, files, false);
  }
  async getVersion(id: string): Promise<ModelVersion | undefined> {
    const v = this.kept(await this.load(ModelVersionSchema, 'versions', seg(id), 'version.json'));
    if (!v) return undefined;
    try {
      v.onnx = (await readFile(this.path('versions', seg(id), 'model.onnx'))).buffer as ArrayBuffer;
    } catch {
      /* no ONNX export */
    }
    return v;
  }
  async listVersions(name?: string): Promise<ModelVersion[]> {
    return (await this.list(ModelVersionSchema, 'versions', 'version.json'))
      .filter((v) => !name || v.name === name)
      .sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
  }
  async getVersionModel(id: string) {
    const v = await this.getVersion(id);
    if (!v) return undefined;
    return this.kept(await this.loadModel(`versions/${seg(id)}`));
  }
  async updateVersion(version: ModelVersion): Promise<Result<void>> {
    const { onnx, ...rest } = version;
    if (onnx) await writeFile(this.path('versions', seg(version.id), 'model.onnx'), new Uint8Array(onnx));
    return disk.writeJson(this.path(`versions/${seg(version.id)}/version.json`), rest);
  }

  async moveAlias(move: AliasMove): Promise<Result<void>> {
    const read = await this.load(AliasListSchema, 'aliases.json');
    // A corrupt aliases.json is reported, never replaced by a list holding only this move.
    if (!read.ok) return read;
    const all: AliasRecord[] = read.value ?? [];
    const key = `${move.name}:${move.alias}`;
    const current = all.find((a) => a.key === key);
    const next = all.filter((a) => a.key !== key);
    if (move.to !== null)
      next.push({ key, name: move.name, alias: move.alias, versionId: move.to, movedAt: move.when });
    try {
      await mkdir(this.root, { recursive: true });
      await appendFile(
        this.path('alias-audit.jsonl'),
        JSON.stringify({ ...move, from: current?.versionId ?? null }) + '\n',
      );
    } catch (e) {
      return fail({ kind: 'storage', message: `Could not record the alias move: ${(e as Error).message}` });
    }
    return disk.writeJson(this.path('aliases.json'), next);
  }
  async listAliases(name?: string): Promise<AliasRecord[]> {
    return (this.kept(await this.load(AliasListSchema, 'aliases.json')) ?? []).filter((a) => !name || a.name === name);
  }
  /** The audit trail; a corrupt line is skipped and kept in {@link FsStore.problems} (`alias-audit.jsonl line 3: …`). */
  async aliasHistory(name?: string): Promise<AliasMove[]> {
    const file = this.path('alias-audit.jsonl');
    const text = this.kept(await disk.readText(file));
    if (text === undefined) return [];
    const out: AliasMove[] = [];
    for (const [i, line] of text.split('\n').entries()) {
      if (!line.trim()) continue;
      const m = this.kept<AliasMove>(this.parse(AliasMoveSchema, line, `${file} line ${i + 1}`));
      if (m && (!name || m.name === name)) out.push(m);
    }
    return out;
  }

  async saveCard(prose: ModelCardProse) {
    return disk.writeJson(this.path(`cards/${seg(prose.versionId)}.json`), prose);
  }
  async getCard(versionId: string): Promise<ModelCardProse | undefined> {
    return this.kept(await this.load(ModelCardProseSchema, 'cards', `${seg(versionId)}.json`));
  }

  /**
   * Writes a validated import without replacing anything. Runs, versions and cards whose ids are
   * stored stop it before anything is written; each is then created exclusively (a directory renamed
   * into place, a file hard-linked), so one stored by a racing writer meanwhile fails the import,
   * and what this import had written is removed again. A stored dataset (same id: same content) or
   * experiment is kept as it is.
   */
  async importAll(p: ImportPayload): Promise<Result<void>> {
    const taken: string[] = [];
    for (const r of p.runs) if (await disk.exists(this.path('runs', seg(r.run.id)))) taken.push(`run ${r.run.id}`);
    for (const v of p.versions)
      if (await disk.exists(this.path('versions', seg(v.version.id)))) taken.push(`version ${v.version.id}`);
    for (const c of p.cards)
      if (await disk.exists(this.path('cards', `${seg(c.versionId)}.json`))) taken.push(`the card of ${c.versionId}`);
    if (taken.length) return fail({ kind: 'conflict', message: `${importConflict(taken)} (store ${this.root})` });

    const created: string[] = [];
    const undo = async (r: Result<unknown>): Promise<Result<void>> => {
      for (const f of created.reverse())
        await rm(this.path(f), { recursive: true, force: true }).catch(() => undefined);
      if (r.ok) return ok(undefined);
      return r.error.kind === 'conflict'
        ? fail({ ...r.error, message: `${r.error.message} Nothing was imported.` })
        : r;
    };
    const create = async (file: string, data: Uint8Array | string): Promise<Result<'created' | 'exists'>> => {
      const w = await disk.createFile(this.path(file), data);
      if (w.ok && w.value === 'created') created.push(file);
      return w;
    };
    for (const d of p.datasets) {
      const id = seg(d.record.id);
      if (await disk.exists(this.path('datasets', `${id}.json`))) continue;
      if (d.data) {
        const w = await create(`datasets/${id}.bin`, d.data);
        if (!w.ok) return undo(w);
      }
      const record = { ...d.record, bytes: d.data?.byteLength ?? d.record.bytes };
      const w = await create(`datasets/${id}.json`, JSON.stringify(record, null, 1));
      if (!w.ok) return undo(w);
    }
    for (const r of p.runs) {
      const dir = `runs/${seg(r.run.id)}`;
      const files = r.model
        ? bundleToFiles({ run: r.run, model: r.model })
        : { 'run.json': JSON.stringify(r.run, null, 1) };
      const w = await disk.writeDir(this.path(dir), dir, files, false);
      if (!w.ok) return undo(w);
      created.push(dir);
    }
    for (const v of p.versions) {
      const w = await this.addVersion(v.version, v.model);
      if (!w.ok) return undo(w);
      created.push(`versions/${seg(v.version.id)}`);
    }
    for (const c of p.cards) {
      const w = await create(`cards/${seg(c.versionId)}.json`, JSON.stringify(c, null, 1));
      if (!w.ok) return undo(w);
      if (w.value === 'exists')
        return undo(fail({ kind: 'conflict', message: `The card of ${c.versionId} was stored meanwhile.` }));
    }
    for (const e of p.experiments) {
      const w = await create(`experiments/${seg(e.id)}.json`, JSON.stringify(e, null, 1));
      if (!w.ok) return undo(w);
    }
    return ok(undefined);
  }
}
