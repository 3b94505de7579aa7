import type { Problem, Result } from '../contracts/problem.ts';
export type { Problem, Result } from '../contracts/problem.ts';

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
