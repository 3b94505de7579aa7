import { unzipSync, zipSync } from 'fflate';
import type { InferOutput } from 'valibot';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { datasetVersionId } from '../data/dataset-hash.ts';
import { decodeTable } from '../data/table-codec.ts';
import { bundleToFiles, filesToBundle } from '../model/model-bundle.ts';
import type { RunRecord, TrainedModel } from '../model/spec.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import type { ModelVersion } from './records.ts';
import { ModelCardProseSchema } from './schemas/card.ts';
import { DatasetRecordSchema } from './schemas/dataset-record.ts';
import { ExperimentListSchema } from './schemas/experiment.ts';
import { BUNDLE_FORMAT, ManifestSchema, type BundleManifest } from './schemas/manifest.ts';
import { ModelVersionSchema } from './schemas/model-version.ts';
import { type RecordSchema, validateRecord } from './schemas/validate.ts';
import { parseRun } from './upgrade.ts';
import type { ImportPayload, Store } from './store.ts';
import { resolveImport, storedIds, type KeptStored, type Renamed } from './import-ids.ts';

export { BUNDLE_FORMAT } from './schemas/manifest.ts';

/** Limits an import checks before inflating anything. */
export const BUNDLE_LIMITS = Object.freeze({
  maxFiles: 20000,
  maxBytes: 1024 * 1024 * 1024,
  maxFileBytes: 512 * 1024 * 1024,
});

type Manifest = BundleManifest;

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

function parseJson(bytes: Uint8Array | undefined, path: string, source: string): Result<unknown> {
  if (!bytes) return fail({ kind: 'bad-bundle', file: source, message: `${source}: ${path} is missing.` });
  try {
    return ok(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown);
  } catch (e) {
    return fail({
      kind: 'bad-bundle',
      file: source,
      message: `${source}: ${path} is not valid JSON (${(e as Error).message}).`,
    });
  }
}

/** A JSON file of the bundle, checked against its schema; a refusal names the bundle, the file and the field. */
function readRecord<S extends RecordSchema>(
  schema: S,
  bytes: Uint8Array | undefined,
  path: string,
  source: string,
): Result<InferOutput<S>> {
  const j = parseJson(bytes, path, source);
  if (!j.ok) return j;
  return validateRecord(schema, j.value, source, { label: `${source}: ${path}` });
}

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
  const m = parseJson(entries['manifest.json'], 'manifest.json', source);
  if (!m.ok) return m;
  const format = (m.value as { format?: unknown } | null)?.format;
  if (format !== BUNDLE_FORMAT)
    return fail({
      kind: 'bad-bundle',
      file: source,
      message: `${source} is not a Benchtop bundle (manifest format ${format === undefined ? 'missing' : JSON.stringify(format)}).`,
    });
  const checked = validateRecord(ManifestSchema, m.value, source, { label: `${source}: manifest.json` });
  if (!checked.ok) return checked;
  const manifest: Manifest = checked.value;
  for (const path of Object.keys(entries)) {
    if (path === 'manifest.json') continue;
    const want = Object.hasOwn(manifest.files, path) ? manifest.files[path] : undefined;
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
    const b = filesToBundle(mf, `${source}/${prefix.replace(/\/$/, '')}`);
    return b.ok ? ok(b.value.model) : b;
  };
  for (const id of manifest.runs) {
    const path = `runs/${id}/run.json`;
    const j = parseJson(entries[`runs/${seg(id)}/run.json`], path, source);
    if (!j.ok) return j;
    const r = parseRun(j.value, source, { label: `${source}: ${path}` });
    if (!r.ok) return r;
    if (r.value.id !== id)
      return fail({
        kind: 'bad-bundle',
        file: source,
        message: `${source}: ${path} holds run ${JSON.stringify(r.value.id)}, not ${JSON.stringify(id)}.`,
      });
    const model = modelAt(`runs/${seg(id)}/model/`, r.value);
    if (!model.ok) return model;
    payload.runs.push({ run: r.value, model: model.value });
  }
  for (const id of manifest.versions) {
    const path = `versions/${id}/version.json`;
    const v = readRecord(ModelVersionSchema, entries[`versions/${seg(id)}/version.json`], path, source);
    if (!v.ok) return v;
    const ver: ModelVersion = v.value;
    if (ver.id !== id)
      return fail({
        kind: 'bad-bundle',
        file: source,
        message: `${source}: ${path} holds version ${JSON.stringify(ver.id)}, not ${JSON.stringify(id)}.`,
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
      const c = readRecord(ModelCardProseSchema, card, `cards/${id}.json`, source);
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
    const rec = readRecord(DatasetRecordSchema, entries[`datasets/${seg(id)}.json`], `datasets/${id}.json`, source);
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
    const e = readRecord(ExperimentListSchema, entries['experiments.json'], 'experiments.json', source);
    if (!e.ok) return e;
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
