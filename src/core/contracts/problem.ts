/** The value every expected failure travels as (helpers in src/core/util/result.ts). */

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
  /**
   * The field inside a record or model the problem is about, as a path:
   * `history[1].train.loss`, `layers.dense_0.units`, `state.threshold[3]`.
   */
  field?: string;
}

export type Result<T> =
  { ok: true; value: T; warnings: Problem[] } | { ok: false; error: Problem; warnings: Problem[] };
