import type { Problem } from '../util/result.ts';

/**
 * The largest data file Benchtop reads, in bytes: the app's data worker and the command line refuse
 * larger files before reading a byte, with {@link fileTooLarge}. 512 MiB keeps the encoded table,
 * its dictionaries and one training copy inside a browser tab's memory.
 */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

/**
 * The problem for a file over {@link MAX_FILE_BYTES}.
 * @example fileTooLarge('big.csv', 600 * 2 ** 20).message // "big.csv is 600 MB; Benchtop reads …"
 */
export function fileTooLarge(file: string, bytes: number, where = ''): Problem {
  return {
    kind: 'too-large',
    file,
    message:
      `${file} is ${(bytes / 2 ** 20).toFixed(0)} MB; Benchtop reads files up to ` +
      `${MAX_FILE_BYTES / 2 ** 20} MB${where}. Sample or split it first.`,
  };
}
