import type { Result } from '../util/result.ts';
import { fail } from '../util/result.ts';
import { DelimitedParser } from './delimited-stream.ts';
import type { Table } from './table.ts';
import { finishUtf8, newUtf8Scan, scanUtf8 } from './utf8.ts';

/** Progress of a long parse, in bytes. */
export interface ParseProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
}

/** Bytes (or characters) handed to the parser at a time. */
const CHUNK = 1 << 20;

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

/**
 * Delimited bytes arriving in chunks (a file stream, a Blob stream, a buffer cut in pieces): each
 * chunk is checked as UTF-8 (the first bad byte is reported with its line), decoded without
 * splitting a character across chunks, and fed to a {@link DelimitedParser}. A leading BOM is dropped.
 * Shared by the app's data worker and the Node command line, so both read a file the same way.
 *
 * Cost: O(bytes), one pass; memory O(one chunk + the longest row + the encoded table).
 * @example
 *   const s = new DelimitedByteStream('a.csv');
 *   for (const chunk of chunks) if (!s.push(chunk)) break;
 *   const table = s.finish();
 */
export class DelimitedByteStream {
  private readonly scan = newUtf8Scan();
  private readonly decoder = new TextDecoder('utf-8');
  private readonly parser: DelimitedParser;

  constructor(readonly file: string) {
    this.parser = new DelimitedParser(file, delimiterFor(file));
  }

  /** Bytes seen so far. */
  get bytes(): number {
    return this.scan.offset;
  }

  /** Data rows read so far. */
  get rows(): number {
    return this.parser.rows;
  }

  /** Feeds the next chunk. Returns false once the input is known to be bad: stop reading then. */
  push(bytes: Uint8Array): boolean {
    if (!scanUtf8(this.scan, bytes)) return false;
    this.parser.push(this.decoder.decode(bytes, { stream: true }));
    return this.parser.error === null;
  }

  /** Finishes the table, or explains why the bytes cannot become one. */
  finish(): Result<Table> {
    if (!finishUtf8(this.scan)) return notUtf8(this.file, this.scan.badLine!, this.scan.badOffset!);
    if (this.parser.error === null) this.parser.push(this.decoder.decode());
    return this.parser.finish();
  }
}

/**
 * Parses delimited text (CSV, TSV) already in memory as bytes: catalog datasets and tests use this.
 * RFC 4180 quoting via papaparse; first row is the header. The bytes are decoded a chunk at a time,
 * so even a buffer larger than the longest JavaScript string parses.
 * Cost: O(bytes).
 * @example parseDelimitedBytes(new TextEncoder().encode('a,b\n1,2\n'), 'x.csv')
 */
export function parseDelimitedBytes(bytes: Uint8Array, file: string): Result<Table> {
  const stream = new DelimitedByteStream(file);
  for (let at = 0; at < bytes.length; at += CHUNK) if (!stream.push(bytes.subarray(at, at + CHUNK))) break;
  return stream.finish();
}

/**
 * Parses delimited text already decoded to a string (a leading BOM is dropped).
 * Cost: O(characters).
 * @example parseDelimitedText('a,b\n1,2\n', 'x.csv')
 */
export function parseDelimitedText(text: string, file: string): Result<Table> {
  const parser = new DelimitedParser(file, delimiterFor(file));
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let at = start; at < text.length && parser.error === null; at += CHUNK) parser.push(text.slice(at, at + CHUNK));
  return parser.finish();
}

/**
 * Streams a file (a Blob: a File in a Web Worker, or a Blob in Node) through the UTF-8 check and
 * the incremental parser, reporting progress, so a 500 MB CSV never sits in memory as one string.
 * Cost: one pass over the bytes; memory O(one chunk + the longest row + the encoded table).
 */
export async function parseDelimitedBlob(
  blob: Blob,
  file: string,
  onProgress: (p: ParseProgress) => void = () => {},
): Promise<Result<Table>> {
  const stream = new DelimitedByteStream(file);
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (!stream.push(value)) {
        await reader.cancel();
        break;
      }
      onProgress({ bytes: stream.bytes, totalBytes: blob.size, rows: stream.rows });
    }
  } catch (e) {
    return fail({ kind: 'read-error', file, message: `${file} could not be read: ${(e as Error).message}` });
  }
  return stream.finish();
}
