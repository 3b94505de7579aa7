// The file operations the command line's store is built on: reads that tell "absent" from
// "unreadable", and writes that never leave half a record (a temporary file or directory renamed or
// hard-linked into place). Every failure is a Result naming the path; nothing here throws.
import { access, link, mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Result } from '../src/core/util/result.ts';
import { fail, ok } from '../src/core/util/result.ts';

/** A file's text; `undefined` when it does not exist, a problem naming it when it cannot be read. */
export async function readText(file: string): Promise<Result<string | undefined>> {
  try {
    return ok(await readFile(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return ok(undefined);
    return fail({ kind: 'unreadable', file, message: `Cannot read ${file}: ${code ?? (e as Error).message}` });
  }
}

/** Names in a directory (none when it does not exist), without interrupted writes. */
export async function names(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => !n.includes('.tmp-'));
  } catch {
    return [];
  }
}

/** Whether a path exists. */
export function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Writes a directory of files atomically: into a temporary directory renamed to `final`. With
 * `replace` false, a `final` that exists fails it as `conflict` (`<label> already exists.`).
 */
export async function writeDir(
  final: string,
  label: string,
  files: Record<string, Uint8Array | string>,
  replace = true,
): Promise<Result<void>> {
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
      return fail({ kind: 'conflict', message: `${label} already exists.` });
    return fail({
      kind: code === 'ENOSPC' ? 'quota' : 'storage',
      message:
        `Could not write ${final}: ` +
        (code === 'ENOSPC' ? 'the disk is full; delete or export old runs' : (e as Error).message),
    });
  }
}

/** Writes a value as JSON atomically (a temporary file renamed into place), replacing what was there. */
export async function writeJson(final: string, value: unknown): Promise<Result<void>> {
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

/**
 * Creates a file only if there is none: written to a temporary file, then hard-linked into place,
 * which fails atomically when the name is taken (a racing writer never has its file replaced).
 */
export async function createFile(final: string, data: Uint8Array | string): Promise<Result<'created' | 'exists'>> {
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
