// How the command line fails: every failure is one JSON object on stderr, `{"ok":false,"error":{kind,
// message, …}}`, with an exit code that says which kind of failure it was. Nothing here prints a stack
// trace unless BENCHTOP_DEBUG=1 is set.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The command line's exit codes (64 and 70 are sysexits.h's EX_USAGE and EX_SOFTWARE). */
export const EXIT = Object.freeze({
  /** The command did what it was asked. */
  ok: 0,
  /** Bad input: an unreadable or invalid data file or model, a file that cannot be written, a refused request. */
  input: 2,
  /** The command ran, but the run it made failed (for example a non-finite loss) or was cancelled. */
  failedRun: 3,
  /** The command line itself is wrong: an unknown command or option, a missing or malformed value. */
  usage: 64,
  /** Something Benchtop did not expect (a bug): reported without a stack unless BENCHTOP_DEBUG=1. */
  internal: 70,
});

/** The exit-code table as help text (the main help and the README show it). */
export const EXIT_HELP = `Exit codes (every failure is one JSON object on stderr: {"ok":false,"error":{"kind","message",…}}):
  0   done
  2   bad input: a data file or model that cannot be read or used, a file that cannot be written
  3   the run the command made failed (e.g. the loss became non-finite) or was cancelled
  64  usage: unknown command or option, missing or malformed value
  70  internal error (a bug; set BENCHTOP_DEBUG=1 to add the stack to the JSON)
`;

/** A mistake on the command line; `option` and `command` are named in the JSON. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly detail: { option?: string; suggestion?: string } = {},
  ) {
    super(message);
  }
}

/** What a command prints on stderr when it fails. */
export type CliError = { kind: string; message: string } & Record<string, unknown>;

/** Writes `{"ok":false,"error":…}` to stderr and returns the exit code. */
export function reportError(error: CliError | { kind: string; message: string }, code: number): number {
  process.stderr.write(JSON.stringify({ ok: false, error }, null, 2) + '\n');
  return code;
}

/** Edit distance with adjacent transpositions (optimal string alignment), for "did you mean". */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}

/** The candidate closest to `word`, when it is close enough to be a likely typo (or `word` is its prefix). */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined,
    bestD = Infinity;
  for (const c of candidates) {
    const d = c.startsWith(w) && w.length >= 2 ? 0.5 : editDistance(w, c.toLowerCase());
    if (d < bestD) ((best = c), (bestD = d));
  }
  return bestD <= Math.max(1, Math.min(3, Math.ceil(w.length / 3))) ? best : undefined;
}

/** The option a node:util parseArgs error is about ("--model"), when its message names one. */
export function optionOfParseError(message: string): string | undefined {
  return /(?:Unknown option|Option) '(-{1,2}[^' ]+)/.exec(message)?.[1];
}

/**
 * Turns a node:util parseArgs error into a UsageError that names the option and the command, with the
 * nearest known option when there is a likely one.
 */
export function usageFromParseError(e: Error, command: string, known: readonly string[] = []): UsageError {
  const code = (e as { code?: string }).code ?? '';
  const option = optionOfParseError(e.message);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    const suggestion = nearest(option.replace(/^-+/, ''), known);
    return new UsageError(
      `benchtop ${command} has no option ${option}` +
        (suggestion ? ` (did you mean --${suggestion}?)` : '') +
        `. Run "benchtop ${command} --help" for its options.`,
      { option, ...(suggestion ? { suggestion: `--${suggestion}` } : {}) },
    );
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option)
    return new UsageError(
      /argument missing/.test(e.message)
        ? `benchtop ${command}: ${option.split(' ')[0]} needs a value.`
        : `benchtop ${command}: ${option} takes no value (it is a switch).`,
      { option },
    );
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /argument '([^']*)'/.exec(e.message)?.[1];
    return new UsageError(
      `benchtop ${command} takes only --options; "${arg ?? '?'}" is not one. Run "benchtop ${command} --help".`,
    );
  }
  return new UsageError(`benchtop ${command}: ${e.message}`, option ? { option } : {});
}

/** parseArgs, with its errors as UsageErrors that name the command, the option and the nearest option. */
export function parseCommandArgs<T extends ParseArgsConfig>(
  command: string,
  config: T,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      throw usageFromParseError(e as Error, command, Object.keys(config.options ?? {}));
    throw e;
  }
}

/** True for Node's file-system errors (ENOENT, EACCES, EISDIR, ENOSPC, …), which are bad input, not bugs. */
function isFsError(e: unknown): e is Error & { code: string; path?: string; syscall?: string } {
  const code = (e as { code?: unknown })?.code;
  return e instanceof Error && typeof code === 'string' && /^E[A-Z]+$/.test(code) && 'syscall' in e;
}

const FS_WORDS: Readonly<Record<string, string>> = Object.freeze({
  ENOENT: 'does not exist',
  EACCES: 'is not accessible (permission denied)',
  EPERM: 'is not accessible (operation not permitted)',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'has a part that is not a directory',
  EEXIST: 'already exists',
  ENOSPC: 'could not be written: the disk is full',
  EROFS: 'is on a read-only file system',
  EADDRINUSE: 'is in use by another program',
  EADDRNOTAVAIL: 'is not an address of this machine',
});

/**
 * The JSON error and exit code for anything a command throws: usage errors (64), file-system errors
 * (2, naming the path), anything else internal (70, the stack only with BENCHTOP_DEBUG=1).
 */
export function describeThrown(e: unknown, command: string | undefined): { error: CliError; code: number } {
  const cmd = command ?? '';
  if (e instanceof UsageError) {
    const option = e.detail.option ?? /^(--[a-z0-9-]+)/.exec(e.message)?.[1];
    const message = e.message.startsWith('benchtop ')
      ? e.message
      : `benchtop ${cmd}: ${e.message}. Run "benchtop ${cmd} --help" for its options.`.replace('.. Run', '. Run');
    return {
      error: { kind: 'usage', command: cmd, ...(option ? { option } : {}), ...e.detail, message },
      code: EXIT.usage,
    };
  }
  if ((e as { code?: string })?.code?.startsWith?.('ERR_PARSE_ARGS')) {
    const u = usageFromParseError(e as Error, cmd);
    return { error: { kind: 'usage', command: cmd, ...u.detail, message: u.message }, code: EXIT.usage };
  }
  if (isFsError(e)) {
    const where =
      e.path ??
      ((e as { address?: string; port?: number }).port !== undefined
        ? `port ${(e as { port?: number }).port}`
        : 'a file');
    return {
      error: {
        kind: 'io',
        code: e.code,
        ...(e.path ? { file: e.path } : {}),
        message: `${where} ${FS_WORDS[e.code] ?? `could not be used (${e.code} in ${e.syscall})`}.`,
      },
      code: EXIT.input,
    };
  }
  return { error: internalError(e), code: EXIT.internal };
}

/** `{kind:'internal', message}` for an unexpected throw; with BENCHTOP_DEBUG=1 also its stack. */
export function internalError(e: unknown): CliError {
  const message = e instanceof Error ? e.message || e.name : String(e);
  const debug = process.env.BENCHTOP_DEBUG === '1' || process.env.BENCHTOP_DEBUG === 'true';
  return {
    kind: 'internal',
    message:
      `Benchtop hit an unexpected error: ${message}` +
      (debug ? '' : ' (set BENCHTOP_DEBUG=1 to see where it happened)'),
    ...(debug && e instanceof Error && e.stack ? { stack: e.stack } : {}),
  };
}
