import { unzipSync, zipSync } from 'fflate';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { datasetVersionId } from '../data/dataset-hash.ts';
import { decodeTable } from '../data/table-codec.ts';
import { bundleToFiles, filesToBundle } from '../model/model-bundle.ts';
import type { RunRecord, TrainedModel } from '../model/spec.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import type { DatasetRecord, Experiment, ModelCardProse, ModelVersion } from './records.ts';
import { upgradeRun } from './upgrade.ts';
import type { ImportPayload, Store } from './store.ts';
import { resolveImport, storedIds, type KeptStored, type Renamed } from './import-ids.ts';

export const BUNDLE_FORMAT = 'benchtop-bundle@1';

/** Limits an import checks before inflating anything. */
export const BUNDLE_LIMITS = Object.freeze({
  maxFiles: 20000,
  maxBytes: 1024 * 1024 * 1024,
  maxFileBytes: 512 * 1024 * 1024,
});

interface Manifest {
  format: typeof BUNDLE_FORMAT;
  createdAt: string;
  runs: string[];
  versions: string[];
  datasets: string[];
  files: Record<string, { sha256: string; bytes: number }>;
}

const enc = new TextEncoder();
const json = (v: unknown) => enc.encode(JSON.stringify(v, null, 1));
const seg = (id: string) => encodeURIComponent(id);

/**
 * Exports runs and model versions — with their models, the runs the versions came from, the datasets
 * they used (data included when stored), model cards and experiments — as one zip. A manifest lists
 * every file with its SHA-256 so an import can verify it byte for byte.
 */
export async function exportBundle(
  store: Store,
  sel: { runIds: string[]; versionIds: string[] },
): Promise<Result<Uint8Array>> {
  const files = await collectBundle(store, sel);
  return files.ok ? ok(packBundle(files.value)) : files;
}

/** The files of a bundle, read from a store (I/O only; the page does this part). */
export async function collectBundle(
  store: Store,
  sel: { runIds: string[]; versionIds: string[] },
): Promise<Result<Record<string, Uint8Array>>> {
  const files: Record<string, Uint8Array> = {};
  const runIds = new Set(sel.runIds);
  const versions: ModelVersion[] = [];
  for (const id of sel.versionIds) {
    const v = await store.getVersion(id);
    if (!v) return fail({ kind: 'missing', message: `There is no model version ${id}.` });
    versions.push(v);
    runIds.add(v.runId);
  }
  const datasetIds = new Set<string>();
  for (const id of runIds) {
    const run = await store.getRun(id);
    if (!run) return fail({ kind: 'missing', message: `There is no run ${id}.` });
    const model = await store.getModel(id);
    files[`runs/${seg(id)}/run.json`] = json(run);
    if (model)
      for (const [name, bytes] of Object.entries(bundleToFiles({ run, model })))
        if (name !== 'run.json') files[`runs/${seg(id)}/model/${name}`] = bytes;
    datasetIds.add(run.dataset.id);
  }
  for (const v of versions) {
    const model = await store.getVersionModel(v.id);
    const run = await store.getRun(v.runId);
    if (!model || !run) return fail({ kind: 'missing', message: `Version ${v.id} has lost its artifacts or run.` });
    const { onnx, ...rest } = v;
    files[`versions/${seg(v.id)}/version.json`] = json(rest);
    if (onnx) files[`versions/${seg(v.id)}/model.onnx`] = new Uint8Array(onnx);
    for (const [name, bytes] of Object.entries(bundleToFiles({ run, model })))
      if (name !== 'run.json') files[`versions/${seg(v.id)}/model/${name}`] = bytes;
    const card = await store.getCard(v.id);
    if (card) files[`cards/${seg(v.id)}.json`] = json(card);
  }
  for (const id of datasetIds) {
    const rec = await store.getDatasetRecord(id);
    if (!rec) continue;
    files[`datasets/${seg(id)}.json`] = json(rec);
    const data = await store.getDatasetData(id);
    if (data) files[`datasets/${seg(id)}.bin`] = data;
  }
  const experiments = await store.listExperiments();
  if (experiments.length) files['experiments.json'] = json(experiments);
  files['selection.json'] = json({
    runs: [...runIds],
    versions: versions.map((v) => v.id),
    datasets: [...datasetIds].filter((id) => files[`datasets/${seg(id)}.json`]),
  });
  return ok(files);
}

/** Hashes every file into the manifest and zips them (CPU only; a worker does this part). */
export function packBundle(collected: Record<string, Uint8Array>): Uint8Array {
  const { 'selection.json': sel, ...files } = collected;
  const selection = JSON.parse(new TextDecoder().decode(sel)) as {
    runs: string[];
    versions: string[];
    datasets: string[];
  };
  const manifest: Manifest = {
    format: BUNDLE_FORMAT,
    createdAt: new Date().toISOString(),
    ...selection,
    files: Object.fromEntries(
      Object.entries(files).map(([p, b]) => [p, { sha256: bytesToHex(sha256(b)), bytes: b.byteLength }]),
    ),
  };
  return zipSync({ ...files, 'manifest.json': json(manifest) }, { level: 6 });
}

function parseJson<T>(bytes: Uint8Array | undefined, path: string, source: string): Result<T> {
  if (!bytes) return fail({ kind: 'bad-bundle', file: source, message: `${source}: ${path} is missing.` });
  try {
    return ok(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as T);
  } catch (e) {
    return fail({
      kind: 'bad-bundle',
      file: source,
      message: `${source}: ${path} is not valid JSON (${(e as Error).message}).`,
    });
  }
}

const isStr = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length < 512;

/**
 * Reads and validates a bundle without writing anything: zip limits (file count, sizes, paths), the
 * manifest and every file's SHA-256, each record's shape, model files, and each dataset's content
 * hash against its version id. Returns what an import would write.
 */
export function readBundle(bytes: Uint8Array, source = 'the bundle'): Result<ImportPayload> {
  let count = 0,
    total = 0;
  let limitError: string | null = null;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (f) => {
        count++;
        total += f.originalSize;
        if (count > BUNDLE_LIMITS.maxFiles) limitError = `it has more than ${BUNDLE_LIMITS.maxFiles} files`;
        else if (f.originalSize > BUNDLE_LIMITS.maxFileBytes)
          limitError = `${f.name} would inflate to ${f.originalSize} bytes`;
        else if (total > BUNDLE_LIMITS.maxBytes)
          limitError = `it would inflate to more than ${BUNDLE_LIMITS.maxBytes / 2 ** 20} MB`;
        else if (f.name.startsWith('/') || f.name.split('/').includes('..') || f.name.includes('\\'))
          limitError = `it holds a file outside the bundle (${f.name})`;
        return limitError === null;
      },
    });
  } catch (e) {
    return fail({
      kind: 'bad-bundle',
      file: source,
      message: `${source} is not a readable zip file: ${(e as Error).message}`,
    });
  }
  if (limitError)
    return fail({
      kind: 'bad-bundle',
      file: source,
      message: `${source} was refused: ${limitError}. Nothing was imported.`,
    });
  const m = parseJson<Manifest>(entries['manifest.json'], 'manifest.json', source);
  if (!m.ok) return m;
  const manifest = m.value;
  if (
    manifest.format !== BUNDLE_FORMAT ||
    typeof manifest.files !== 'object' ||
    !Array.isArray(manifest.runs) ||
    !Array.isArray(manifest.versions)
  )
    return fail({
      kind: 'bad-bundle',
      file: source,
      message: `${source} is not a Benchtop bundle (manifest format "${String(manifest.format)}").`,
    });
  for (const path of Object.keys(entries)) {
    if (path === 'manifest.json') continue;
    const want = manifest.files[path];
    if (!want)
      return fail({ kind: 'bad-bundle', file: source, message: `${source}: ${path} is not listed in the manifest.` });
    const got = entries[path]!;
    if (got.byteLength !== want.bytes || bytesToHex(sha256(got)) !== want.sha256)
      return fail({
        kind: 'bad-bundle',
        file: source,
        message: `${source}: ${path} does not match its checksum; the bundle is damaged or was altered.`,
      });
  }
  for (const path of Object.keys(manifest.files))
    if (!entries[path])
      return fail({ kind: 'bad-bundle', file: source, message: `${source}: ${path} is listed but missing.` });

  const payload: ImportPayload = { runs: [], datasets: [], versions: [], cards: [], experiments: [] };
  const modelAt = (prefix: string, run: RunRecord): Result<TrainedModel | undefined> => {
    const mf: Record<string, Uint8Array> = {};
    for (const [p, b] of Object.entries(entries)) if (p.startsWith(prefix)) mf[p.slice(prefix.length)] = b;
    if (Object.keys(mf).length === 0) return ok(undefined);
    mf['run.json'] = json(run);
    const b = filesToBundle(mf, `${source}/${prefix}`);
    return b.ok ? ok(b.value.model) : b;
  };
  for (const id of manifest.runs) {
    const r = parseJson<RunRecord>(entries[`runs/${seg(id)}/run.json`], `runs/${id}/run.json`, source);
    if (!r.ok) return r;
    if (
      (r.value.format !== 'benchtop-run@2' && (r.value.format as string) !== 'benchtop-run@1') ||
      r.value.id !== id ||
      !isStr(r.value.name) ||
      !r.value.dataset ||
      !isStr(r.value.dataset.id)
    )
      return fail({
        kind: 'bad-bundle',
        file: source,
        message: `${source}: runs/${id}/run.json is not a Benchtop run record.`,
      });
    const model = modelAt(`runs/${seg(id)}/model/`, r.value);
    if (!model.ok) return model;
    payload.runs.push({ run: upgradeRun(r.value), model: model.value });
  }
  for (const id of manifest.versions) {
    const v = parseJson<ModelVersion>(
      entries[`versions/${seg(id)}/version.json`],
      `versions/${id}/version.json`,
      source,
    );
    if (!v.ok) return v;
    const ver = v.value;
    if (
      ver.id !== id ||
      ver.id !== `${ver.name}@${ver.version}` ||
      !Number.isInteger(ver.version) ||
      !isStr(ver.label) ||
      !isStr(ver.runId)
    )
      return fail({
        kind: 'bad-bundle',
        file: source,
        message: `${source}: versions/${id}/version.json is not a model version.`,
      });
    const run = payload.runs.find((r) => r.run.id === ver.runId);
    if (!run)
      return fail({
        kind: 'bad-bundle',
        file: source,
        message: `${source}: version ${id} comes from run ${ver.runId}, which the bundle lacks.`,
      });
    const model = modelAt(`versions/${seg(id)}/model/`, run.run);
    if (!model.ok) return model;
    if (!model.value)
      return fail({ kind: 'bad-bundle', file: source, message: `${source}: version ${id} has no model files.` });
    const onnx = entries[`versions/${seg(id)}/model.onnx`];
    payload.versions.push({
      version: { ...ver, onnx: onnx ? (onnx.slice().buffer as ArrayBuffer) : undefined },
      model: model.value,
    });
    const card = entries[`cards/${seg(id)}.json`];
    if (card) {
      const c = parseJson<ModelCardProse>(card, `cards/${id}.json`, source);
      if (!c.ok) return c;
      if (c.value.versionId !== id)
        return fail({
          kind: 'bad-bundle',
          file: source,
          message: `${source}: cards/${id}.json belongs to another version.`,
        });
      payload.cards.push(c.value);
    }
  }
  for (const id of manifest.datasets ?? []) {
    const rec = parseJson<DatasetRecord>(entries[`datasets/${seg(id)}.json`], `datasets/${id}.json`, source);
    if (!rec.ok) return rec;
    if (rec.value.id !== id)
      return fail({
        kind: 'bad-bundle',
        file: source,
        message: `${source}: datasets/${id}.json describes another dataset.`,
      });
    const data = entries[`datasets/${seg(id)}.bin`];
    if (data) {
      const table = decodeTable(data);
      if (!table.ok)
        return fail({
          kind: 'bad-bundle',
          file: source,
          message: `${source}: datasets/${id}.bin: ${table.error.message}`,
        });
      if (datasetVersionId(table.value) !== id)
        return fail({
          kind: 'bad-bundle',
          file: source,
          message: `${source}: datasets/${id}.bin does not hash to its version id; the data was altered.`,
        });
    }
    payload.datasets.push({ record: rec.value, data });
  }
  if (entries['experiments.json']) {
    const e = parseJson<Experiment[]>(entries['experiments.json'], 'experiments.json', source);
    if (!e.ok) return e;
    if (!Array.isArray(e.value) || !e.value.every((x) => isStr(x.id) && isStr(x.name)))
      return fail({
        kind: 'bad-bundle',
        file: source,
        message: `${source}: experiments.json is not a list of experiments.`,
      });
    payload.experiments = e.value;
  }
  return ok(payload);
}

/** What a bundle import wrote, and what it kept beside or left as it was. */
export interface BundleImport {
  /** Records written (runs and versions under their new ids when renamed; datasets that were new). */
  runs: number;
  versions: number;
  datasets: number;
  /** Runs and versions whose ids were stored: kept beside the stored ones under these ids. */
  renamed: Renamed[];
  /** Datasets and experiments already stored: the stored ones are kept as they are. */
  kept: KeptStored[];
}

/**
 * Validates a bundle fully, then writes it in one atomic step; a bad bundle changes nothing, and
 * nothing stored is replaced: records whose ids are taken are kept beside the stored ones under new
 * ids (src/core/store/import-ids.ts), with `importedFrom` naming `source` and `at`.
 */
export async function importBundle(
  store: Store,
  bytes: Uint8Array,
  source = 'the bundle',
  at = new Date().toISOString(),
): Promise<Result<BundleImport>> {
  const p = readBundle(bytes, source);
  if (!p.ok) return p;
  const resolved = resolveImport(p.value, await storedIds(store), { source, at });
  const w = await store.importAll(resolved.payload);
  if (!w.ok) return w;
  const { runs, versions, datasets } = resolved.payload;
  return ok({
    runs: runs.length,
    versions: versions.length,
    datasets: datasets.length,
    renamed: resolved.renamed,
    kept: resolved.kept,
  });
}
