/**
 * The bad-input corpus's index (`tests/corpus/cases/index.json`): what each case is, what it is fed
 * to, and what must happen. Written by make-corpus.ts, read by corpus.test.ts and
 * tests/e2e/bad-input.spec.ts.
 */

export type Category = 'csv' | 'json' | 'onnx' | 'model-folder' | 'bundle' | 'http';

/**
 * - `refused`: a clear error — a Result failure (core), JSON `{"error": …}` on stderr with a documented
 *   non-zero exit code (CLI), a 4xx with a JSON reason (HTTP) — whose message holds every substring.
 * - `accepted-with-note`: loads, and a warning/note holds every substring.
 * - `accepted`: loads (warnings allowed).
 */
export type Outcome = 'refused' | 'accepted-with-note' | 'accepted';

/** A substring the message must hold (case-insensitive); a list means "any one of these". */
export type Match = string | string[];

export interface Expectation {
  outcome: Outcome;
  /** A second outcome that is just as good (for inputs where refusing and noting are both honest). */
  alsoOk?: Outcome;
  substrings: Match[];
  /** For an accepted table: its shape, so nothing was silently dropped or merged. */
  table?: { rows: number; columns: string[]; labels?: string[] };
  /** HTTP: the acceptable status codes. */
  status?: number[];
  /**
   * Store-touching cases: `unchanged` (a refused import writes nothing), `keep-both` (ids that exist
   * stay byte-identical and the import is added beside them: the store grows), `same` (an import of
   * what the store already holds: nothing changes byte-wise, a copy may be added), `added` (new records
   * only: everything there before is unchanged and the store grows).
   */
  store?: 'unchanged' | 'keep-both' | 'same' | 'added';
}

export type CoreFn =
  'parseDelimitedBytes' | 'parseJsonRecords' | 'importOnnxModel' | 'filesToBundle' | 'unzipBundle' | 'importBundle';

/**
 * One place a case is fed to. CLI arguments may hold placeholders: `{input}` (the case's input,
 * absolute), `{case}` (its directory), `{base}` (cases/_base), `{out}` (a fresh temp dir), `{store}`
 * (a fresh store seeded with cases/_base/seed-bundle.zip).
 */
export type Target =
  | { core: CoreFn; expect?: Partial<Expectation> }
  | { cli: string[]; expect?: Partial<Expectation> }
  | { http: true; expect?: Partial<Expectation> };

/** How a case too large to commit is made at test time (tests/corpus/big-cases.ts). */
export interface Generated {
  kind:
    | 'csv-600mb'
    | 'csv-100k-columns'
    | 'zip-bomb-600mb'
    | 'zip-25k-files'
    | 'http-content-length-over'
    | 'http-chunked-over'
    | 'http-slowloris';
  note: string;
}

export interface CorpusCase {
  id: string;
  category: Category;
  /** What is wrong, in one line. */
  wrong: string;
  /** The case's input, relative to its directory (a file or a model folder); absent for generated cases. */
  input?: string;
  generated?: Generated;
  targets: Target[];
  expect: Expectation;
  /** Also uploaded in the real app by tests/e2e/bad-input.spec.ts. */
  e2e?: boolean;
}

/** An HTTP case's `request.json`. */
export interface HttpRequestSpec {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** UTF-8 body text, or base64 for bytes. */
  body?: string;
  bodyBase64?: string;
  /** How long the server may take to answer (slowloris: to close the connection). */
  timeoutMs?: number;
}

export interface CorpusIndex {
  format: 'benchtop-bad-input-corpus@1';
  generatedBy: string;
  /** The served model's name for HTTP cases and the bases the generator trained. */
  bases: Record<string, string>;
  cases: CorpusCase[];
}
