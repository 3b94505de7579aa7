import Papa from 'papaparse';
import type { Result } from '../util/result.ts';
import { fail } from '../util/result.ts';
import { TableBuilder } from './table-builder.ts';
import type { Table } from './table.ts';
import { finishUtf8, newUtf8Scan, scanUtf8 } from './utf8.ts';

/** Progress of a long parse, in bytes. */
export interface ParseProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
}

/** Picks the delimiter from the file name; `undefined` lets papaparse guess among , ; tab |. */
export function delimiterFor(fileName: string): string | undefined {
  return /\.(tsv|tab)$/i.test(fileName) ? '\t' : undefined;
}

function notUtf8(file: string, line: number, offset: number) {
  return fail<Table>({
    kind: 'not-utf8',
    file,
    row: Math.max(0, line - 1),
    message:
      `${file} is not valid UTF-8: the first bad byte is at byte ${offset}, line ${line}. Save the ` +
      `file as UTF-8 (for example "CSV UTF-8" in a spreadsheet) and import it again.`,
  });
}

function emptyFile(file: string) {
  return fail<Table>({ kind: 'empty-file', file, message: `${file} is empty: it has no header and no rows.` });
}

/**
 * Parses delimited text (CSV, TSV) already in memory: the Node command line and tests use this.
 * RFC 4180 quoting via papaparse; first row is the header.
 * Cost: O(bytes).
 * @example parseDelimitedBytes(new TextEncoder().encode('a,b\n1,2\n'), 'x.csv')
 */
export function parseDelimitedBytes(bytes: Uint8Array, file: string): Result<Table> {
  const scan = newUtf8Scan();
  if (!scanUtf8(scan, bytes) || !finishUtf8(scan)) return notUtf8(file, scan.badLine!, scan.badOffset!);
  let text = new TextDecoder('utf-8').decode(bytes);
  if (text.trim() === '') return emptyFile(file);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parsed = Papa.parse<string[]>(text, { delimiter: delimiterFor(file), skipEmptyLines: 'greedy' });
  const [header, ...rows] = parsed.data;
  const builder = new TableBuilder(file, header ?? []);
  builder.addRows(rows);
  return builder.finish();
}

/**
 * Streams a file (a Blob in a Web Worker) through a UTF-8 check and then papaparse in chunks,
 * reporting progress, so a 50 MB CSV never sits in memory as one string.
 * Browser/worker only (papaparse reads Blobs with FileReader).
 * Cost: two passes over the bytes; memory O(one chunk + the encoded table).
 */
export async function parseDelimitedBlob(
  blob: Blob,
  file: string,
  onProgress: (p: ParseProgress) => void = () => {},
  chunkSize = 1 << 20,
): Promise<Result<Table>> {
  if (blob.size === 0) return emptyFile(file);
  const scan = newUtf8Scan();
  const reader = blob.stream().getReader();
  let onlyWhitespace = true;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (onlyWhitespace && value.some((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09))
      onlyWhitespace = false;
    if (!scanUtf8(scan, value)) {
      await reader.cancel();
      break;
    }
    onProgress({ bytes: scan.offset / 4, totalBytes: blob.size, rows: 0 });
  }
  if (!finishUtf8(scan)) return notUtf8(file, scan.badLine!, scan.badOffset!);
  if (onlyWhitespace) return emptyFile(file);

  return new Promise((resolve) => {
    let builder: TableBuilder | null = null;
    Papa.parse<string[]>(blob as File, {
      delimiter: delimiterFor(file),
      skipEmptyLines: 'greedy',
      chunkSize,
      chunk: (results) => {
        let rows = results.data;
        if (builder === null) {
          const header = [...(rows[0] ?? [])];
          if (header.length > 0 && header[0]!.charCodeAt(0) === 0xfeff) header[0] = header[0]!.slice(1);
          builder = new TableBuilder(file, header);
          rows = rows.slice(1);
        }
        builder.addRows(rows);
        const cursor = results.meta.cursor;
        onProgress({ bytes: blob.size / 4 + (cursor * 3) / 4, totalBytes: blob.size, rows: builder.rows });
      },
      complete: () => {
        if (builder === null) resolve(emptyFile(file));
        else resolve(builder.finish());
      },
      error: (err: Error) =>
        resolve(fail({ kind: 'read-error', file, message: `${file} could not be read: ${err.message}` })),
    });
  });
}
