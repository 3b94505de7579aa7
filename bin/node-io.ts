import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parseDelimitedBytes } from '../src/core/data/parse-delimited.ts';
import { parseJsonRecords } from '../src/core/data/parse-json.ts';
import type { Table } from '../src/core/data/table.ts';
import {
  bundleToFiles,
  filesToBundle,
  unzipBundle,
  zipBundle,
  type ModelBundle,
} from '../src/core/model/model-bundle.ts';
import type { Result } from '../src/core/util/result.ts';
import { fail } from '../src/core/util/result.ts';

/** Reads a CSV/TSV/JSON file from disk into a table (the same parsers as the app). */
export async function readTableFile(path: string): Promise<Result<Table>> {
  const name = basename(path);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return fail({
      kind: 'unreadable',
      file: path,
      message: `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    });
  }
  if (extname(path).toLowerCase() === '.json') {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return fail({ kind: 'not-utf8', file: name, message: `${name} is not valid UTF-8.` });
    }
    return parseJsonRecords(text, name);
  }
  return parseDelimitedBytes(bytes, name);
}

/** Writes a model directory, or a zip when `out` ends in `.zip`. */
export async function writeBundle(out: string, bundle: ModelBundle): Promise<void> {
  if (out.toLowerCase().endsWith('.zip')) {
    await writeFile(out, zipBundle(bundle));
    return;
  }
  await mkdir(out, { recursive: true });
  for (const [name, bytes] of Object.entries(bundleToFiles(bundle))) await writeFile(join(out, name), bytes);
}

/** Reads a model directory or zip written by `benchtop train` or exported by the app. */
export async function readBundle(path: string): Promise<Result<ModelBundle>> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return fail({ kind: 'missing-file', file: path, message: `No model at ${path}.` });
  }
  if (info.isFile()) return unzipBundle(await readFile(path), path);
  const files: Record<string, Uint8Array> = {};
  for (const name of await readdir(path)) files[name] = await readFile(join(path, name));
  return filesToBundle(files, path);
}
