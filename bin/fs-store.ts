import { access, appendFile, link, mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleToFiles, filesToBundle } from '../src/core/model/model-bundle.ts';
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
import type { Result } from '../src/core/util/result.ts';
import { upgradeRun } from '../src/core/store/upgrade.ts';
import { fail, ok } from '../src/core/util/result.ts';
import { importConflict } from '../src/core/store/import-ids.ts';

const seg = (id: string) => encodeURIComponent(id);

/**
 * The command line's Store: the same records as the app's IndexedDB, as files under one directory.
 *
 *   runs/<id>/run.json + model files   datasets/<id>.json (+ .bin)   experiments/<id>.json
 *   versions/<id>/version.json + model files (+ model.onnx)           cards/<id>.json
 *   aliases.json   alias-audit.jsonl
 *
 * Grouped writes are atomic: files go to a temporary directory that is renamed into place, so an
 * interrupted write leaves no half run or half version.
 */
export class FsStore implements Store {
  constructor(readonly root: string) {}

  private path(...p: string[]) {
    return join(this.root, ...p);
  }

  private async readJson<T>(...p: string[]): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(this.path(...p), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  /** Writes a directory of files atomically (temp dir + rename). */
  private async writeDir(
    dir: string,
    files: Record<string, Uint8Array | string>,
    replace = true,
  ): Promise<Result<void>> {
    const final = this.path(dir);
    const tmp = `${final}.tmp-${process.pid}-${Date.now()}`;
    try {
      await mkdir(tmp, { recursive: true });
      for (const [name, data] of Object.entries(files)) await writeFile(join(tmp, name), data);
      if (replace) await rm(final, { recursive: true, force: true });
      await mkdir(join(final, '..'), { recursive: true });
      await rename(tmp, final);
      return ok(undefined);
    } catch (e) {
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST')
        return fail({ kind: 'conflict', message: `${dir} already exists.` });
      return fail({
        kind: code === 'ENOSPC' ? 'quota' : 'storage',
        message:
          `Could not write ${final}: ` +
          (code === 'ENOSPC' ? 'the disk is full; delete or export old runs' : (e as Error).message),
      });
    }
  }

  private async writeJson(file: string, value: unknown): Promise<Result<void>> {
    const final = this.path(file);
    const tmp = `${final}.tmp-${process.pid}`;
    try {
      await mkdir(join(final, '..'), { recursive: true });
      await writeFile(tmp, JSON.stringify(value, null, 1));
      await rename(tmp, final);
      return ok(undefined);
    } catch (e) {
      return fail({ kind: 'storage', message: `Could not write ${final}: ${(e as Error).message}` });
    }
  }

  private async readModel(dir: string, run: RunRecord): Promise<TrainedModel | undefined> {
    try {
      const files: Record<string, Uint8Array> = {};
      for (const f of await readdir(this.path(dir)))
        if (f !== 'version.json' && f !== 'model.onnx') files[f] = await readFile(this.path(dir, f));
      files['run.json'] = new TextEncoder().encode(JSON.stringify(run));
      const b = filesToBundle(files, dir);
      return b.ok ? b.value.model : undefined;
    } catch {
      return undefined;
    }
  }

  private async list<T>(dir: string, file?: string): Promise<T[]> {
    let names: string[];
    try {
      names = (await readdir(this.path(dir))).filter((n) => !n.includes('.tmp-'));
    } catch {
      return [];
    }
    const out: T[] = [];
    for (const n of names) {
      const v = file
        ? await this.readJson<T>(dir, n, file)
        : n.endsWith('.json')
          ? await this.readJson<T>(dir, n)
          : undefined;
      if (v) out.push(v);
    }
    return out;
  }

  async saveRun(run: RunRecord, model: TrainedModel): Promise<Result<void>> {
    return this.writeDir(`runs/${seg(run.id)}`, bundleToFiles({ run, model }));
  }
  /** Adds a run only if its id is new: the directory is renamed into place, which fails when one is there. */
  async addRun(run: RunRecord, model: TrainedModel): Promise<Result<void>> {
    const w = await this.writeDir(`runs/${seg(run.id)}`, bundleToFiles({ run, model }), false);
    return !w.ok && w.error.kind === 'conflict'
      ? fail({
          kind: 'conflict',
          message: `A run with id ${run.id} is already stored in ${this.root}; nothing was replaced.`,
        })
      : w;
  }
  /** Runs written by any version read as today's records (src/core/store/upgrade.ts). */
  async getRun(id: string) {
    const run = await this.readJson<RunRecord>('runs', seg(id), 'run.json');
    return run ? upgradeRun(run) : undefined;
  }
  async listRuns() {
    return (await this.list<RunRecord>('runs', 'run.json'))
      .map(upgradeRun)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
  async getModel(runId: string) {
    const run = await this.getRun(runId);
    return run ? this.readModel(`runs/${seg(runId)}`, run) : undefined;
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
    return this.writeJson(`datasets/${seg(record.id)}.json`, { ...record, bytes: data?.byteLength ?? record.bytes });
  }
  async getDatasetRecord(id: string) {
    return this.readJson<DatasetRecord>('datasets', `${seg(id)}.json`);
  }
  async getDatasetData(id: string) {
    try {
      return new Uint8Array(await readFile(this.path('datasets', `${seg(id)}.bin`)));
    } catch {
      return undefined;
    }
  }
  async listDatasetRecords() {
    return this.list<DatasetRecord>('datasets');
  }

  async saveExperiment(e: Experiment) {
    return this.writeJson(`experiments/${seg(e.id)}.json`, e);
  }
  async listExperiments() {
    return this.list<Experiment>('experiments');
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
    return this.writeDir(`versions/${seg(version.id)}`, files, false);
  }
  async getVersion(id: string) {
    const v = await this.readJson<ModelVersion>('versions', seg(id), 'version.json');
    if (!v) return undefined;
    try {
      v.onnx = (await readFile(this.path('versions', seg(id), 'model.onnx'))).buffer as ArrayBuffer;
    } catch {
      /* no ONNX export */
    }
    return v;
  }
  async listVersions(name?: string) {
    return (await this.list<ModelVersion>('versions', 'version.json'))
      .filter((v) => !name || v.name === name)
      .sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
  }
  async getVersionModel(id: string) {
    const v = await this.getVersion(id);
    if (!v) return undefined;
    const run = (await this.getRun(v.runId)) ?? ({ id: v.runId, format: 'benchtop-run@2' } as RunRecord);
    return this.readModel(`versions/${seg(id)}`, run);
  }
  async updateVersion(version: ModelVersion): Promise<Result<void>> {
    const { onnx, ...rest } = version;
    if (onnx) await writeFile(this.path('versions', seg(version.id), 'model.onnx'), new Uint8Array(onnx));
    return this.writeJson(`versions/${seg(version.id)}/version.json`, rest);
  }

  async moveAlias(move: AliasMove): Promise<Result<void>> {
    const all = (await this.readJson<AliasRecord[]>('aliases.json')) ?? [];
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
    return this.writeJson('aliases.json', next);
  }
  async listAliases(name?: string) {
    return ((await this.readJson<AliasRecord[]>('aliases.json')) ?? []).filter((a) => !name || a.name === name);
  }
  async aliasHistory(name?: string) {
    try {
      const lines = (await readFile(this.path('alias-audit.jsonl'), 'utf8')).split('\n').filter(Boolean);
      return lines.map((l) => JSON.parse(l) as AliasMove).filter((m) => !name || m.name === name);
    } catch {
      return [];
    }
  }

  async saveCard(prose: ModelCardProse) {
    return this.writeJson(`cards/${seg(prose.versionId)}.json`, prose);
  }
  async getCard(versionId: string) {
    return this.readJson<ModelCardProse>('cards', `${seg(versionId)}.json`);
  }

  /** Whether a path exists under the store. */
  private async exists(...p: string[]): Promise<boolean> {
    return access(this.path(...p)).then(
      () => true,
      () => false,
    );
  }

  /**
   * Creates a file only if there is none: written to a temporary file, then hard-linked into place,
   * which fails atomically when the name is taken (a racing writer never has its file replaced).
   */
  private async createFile(file: string, data: Uint8Array | string): Promise<Result<'created' | 'exists'>> {
    const final = this.path(file);
    const tmp = `${final}.tmp-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    try {
      await mkdir(join(final, '..'), { recursive: true });
      await writeFile(tmp, data, { flag: 'wx' });
      await link(tmp, final);
      return ok('created');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return ok('exists');
      return fail({
        kind: code === 'ENOSPC' ? 'quota' : 'storage',
        message: `Could not write ${final}: ` + (code === 'ENOSPC' ? 'the disk is full' : (e as Error).message),
      });
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
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
    for (const r of p.runs) if (await this.exists('runs', seg(r.run.id))) taken.push(`run ${r.run.id}`);
    for (const v of p.versions)
      if (await this.exists('versions', seg(v.version.id))) taken.push(`version ${v.version.id}`);
    for (const c of p.cards)
      if (await this.exists('cards', `${seg(c.versionId)}.json`)) taken.push(`the card of ${c.versionId}`);
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
      const w = await this.createFile(file, data);
      if (w.ok && w.value === 'created') created.push(file);
      return w;
    };
    for (const d of p.datasets) {
      const id = seg(d.record.id);
      if (await this.exists('datasets', `${id}.json`)) continue;
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
      const w = await this.writeDir(dir, files, false);
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
