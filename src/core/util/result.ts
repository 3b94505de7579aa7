/**
 * Expected failures travel as values, never as exceptions: a bad CSV, a wrong column, an HTTP error.
 * Every problem names where it is (file, row, column) so a person can act on it.
 */
export interface Problem {
  /** Machine-readable category, for example `empty-file`, `ragged-row`, `one-class-label`. */
  kind: string;
  /** A sentence a person can act on. */
  message: string;
  file?: string;
  /** 1-based data row (the header is row 0). */
  row?: number;
  column?: string;
}

export type Result<T> =
  { ok: true; value: T; warnings: Problem[] } | { ok: false; error: Problem; warnings: Problem[] };

/** A successful result, with optional warnings. */
export function ok<T>(value: T, warnings: Problem[] = []): Result<T> {
  return { ok: true, value, warnings };
}

/** A failed result. */
export function fail<T = never>(error: Problem, warnings: Problem[] = []): Result<T> {
  return { ok: false, error, warnings };
}

/**
 * Asserts an invariant; a failure is a bug, not bad input. The message is built lazily.
 * @throws Error when `cond` is false.
 * @example assert(n > 0, () => `expected rows, got ${n}`)
 */
export function assert(cond: unknown, msg: () => string): asserts cond {
  if (!cond) throw new Error(msg());
}
