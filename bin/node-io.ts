import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { fileTooLarge, MAX_FILE_BYTES } from '../src/core/data/limits.ts';
import { DelimitedByteStream } from '../src/core/data/parse-delimited.ts';
import { parseJsonRecords } from '../src/core/data/parse-json.ts';
import type { Table } from '../src/core/data/table.ts';
import { finishUtf8, newUtf8Scan, scanUtf8 } from '../src/core/data/utf8.ts';
import {
  bundleToFiles,
  filesToBundle,
  unzipBundle,
  zipBundle,
  type ModelBundle,
} from '../src/core/model/model-bundle.ts';
import type { Problem, Result } from '../src/core/util/result.ts';
import { fail } from '../src/core/util/result.ts';

/** Where the notes of a table that loaded go (warnings: repaired names, values read as missing, …). */
export type NoteSink = (note: Problem) => void;

/** A sink that writes one JSON line per note on stderr, `{"note":{kind, message, file, row?, column?}}`. */
export const noteToStderr: NoteSink = (note) => process.stderr.write(JSON.stringify({ note }) + '\n');

function unreadable(path: string, e: unknown) {
  return fail<Table>({
    kind: 'unreadable',
    file: path,
    message: `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
  });
}

/**
 * Reads a CSV/TSV/JSON file from disk into a table with the same parsers as the app. Files over
 * {@link MAX_FILE_BYTES} are refused before reading (the app's limit). CSV/TSV is streamed: 1 MB
 * chunks through the UTF-8 check and the incremental parser into the table builder, so the file
 * never sits in memory as one string. The notes of a table that loads (values read as missing,
 * repaired names, …) are its `warnings`; each is also handed to `onNote` (none by default: stderr
 * carries only the one JSON error, so commands put the notes in their JSON output).
 * Cost: O(bytes); memory O(1 MB + the encoded table) for CSV, O(file) for JSON.
 * @example const t = await readTableFile('wine.csv'); if (!t.ok) console.error(t.error.message);
 */
export async function readTableFile(path: string, onNote: NoteSink = () => {}): Promise<Result<Table>> {
  const name = basename(path);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return fail({ kind: 'unreadable', file: path, message: `${path} is not a file.` });
    size = info.size;
  } catch (e) {
    return unreadable(path, e);
  }
  if (size > MAX_FILE_BYTES) return fail(fileTooLarge(name, size));
  const table = extname(path).toLowerCase() === '.json' ? await readJson(path, name) : await readDelimited(path, name);
  if (table.ok) table.warnings.forEach((w) => onNote(w));
  return table;
}

async function readDelimited(path: string, name: string): Promise<Result<Table>> {
  const parser = new DelimitedByteStream(name);
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      if (!parser.push(chunk)) break;
    }
  } catch (e) {
    return unreadable(path, e);
  } finally {
    input.destroy();
  }
  return parser.finish();
}

async function readJson(path: string, name: string): Promise<Result<Table>> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return unreadable(path, e);
  }
  const scan = newUtf8Scan();
  if (!scanUtf8(scan, bytes) || !finishUtf8(scan))
    return fail({
      kind: 'not-utf8',
      file: name,
      row: Math.max(0, scan.badLine! - 1),
      message: `${name} is not valid UTF-8: the first bad byte is at byte ${scan.badOffset}, line ${scan.badLine}.`,
    });
  let text: string;
  try {
    text = new TextDecoder('utf-8').decode(bytes);
  } catch {
    // Over V8's longest string (about 512 MiB of characters).
    return fail({
      kind: 'too-large',
      file: name,
      message: `${name} is too large to read as one JSON document; save it as CSV, which is read in pieces.`,
    });
  }
  return parseJsonRecords(text, name);
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
