// What every feature module of the training worker shares: where tables and runs come from, the tfjs backend,
// the one-job-at-a-time guard and the cancel flag — and the wrapper steps they all repeat.
import type { Table } from '../../src/core/data/table.ts';
import type { BackendName, RunEnvironment } from '../../src/core/model/spec.ts';
import type { Problem, Result } from '../../src/core/util/result.ts';
import { fail } from '../../src/core/util/result.ts';
import { activateBackend, type BackendStatus } from '../tf-runtime.ts';
import { configureOrt } from '../ort-runtime.ts';
import type { ShardSpawner } from '../lessons.api.ts';
import { createRunCache, type RunCache, type RunSource } from './run-cache.ts';

/** A loaded table and its file name. */
export interface LoadedTable {
  table: Table;
  name: string;
}

/** Where tables come from: the data worker over a MessagePort (a Map or the data API in tests). */
export type TableSource = (id: string) => Promise<Result<LoadedTable>>;

/** What the worker entry (or a test) gives the training API. */
export interface TrainApiOptions {
  spawnShard?: ShardSpawner;
  tables?: TableSource;
  /** Where runs and models are read by id (the page's repository over comlink; a Map in tests). */
  runs?: RunSource;
  wasmPaths?: Readonly<Record<string, string>>;
  ortPaths?: Readonly<{ wasm: string; mjs: string }>;
  ortWebgpuPaths?: Readonly<{ wasm: string; mjs: string }>;
  runtime: string;
  appVersion: string;
}

/** The shared state of one training worker, handed to each feature module. */
export interface TrainContext {
  readonly opts: TrainApiOptions;
  setTableSource(source: TableSource): void;
  /** The table by dataset id; `no-data-source` before the data worker is connected. */
  table(id: string): Promise<Result<LoadedTable>>;
  /** Runs and models by id, cached (see run-cache.ts). */
  readonly runs: RunCache;
  /** The running backend, started (`auto`) on first use. */
  ensureBackend(): Promise<BackendStatus>;
  /** Starts the requested backend and remembers it. */
  activate(requested: BackendName | 'auto'): Promise<BackendStatus>;
  /** True while a training-like job runs (train, ensembles, debug aids, fine-tuning, distillation). */
  readonly busy: boolean;
  /** Whether `cancel()` was asked for since the current job started. */
  isCancelled(): boolean;
  requestCancel(): void;
  /** The backend that ran last (for error messages), if any. */
  readonly backendName: string | undefined;
  /** Runs `f` as the one job of this worker (`busy` otherwise), optionally resetting the cancel flag. */
  exclusive<T>(f: () => Promise<Result<T>>, resetCancel?: boolean): Promise<Result<T>>;
}

/** Creates the shared context; configures onnxruntime-web once. */
export function createTrainContext(opts: TrainApiOptions): TrainContext {
  configureOrt(opts.ortPaths, opts.ortWebgpuPaths);
  let tables = opts.tables;
  let status: BackendStatus | null = null;
  let cancelRequested = false;
  let busy = false;
  const ensureBackend = async () => (status ??= await activateBackend('auto', opts.wasmPaths));
  return {
    opts,
    runs: createRunCache(opts.runs),
    setTableSource(source) {
      tables = source;
    },
    async table(id) {
      if (!tables)
        return fail({ kind: 'no-data-source', message: 'The training worker is not connected to the data worker.' });
      return tables(id);
    },
    ensureBackend,
    async activate(requested) {
      status = await activateBackend(requested, opts.wasmPaths);
      return status;
    },
    get busy() {
      return busy;
    },
    isCancelled: () => cancelRequested,
    requestCancel() {
      cancelRequested = true;
    },
    get backendName() {
      return status?.backend;
    },
    async exclusive(f, resetCancel = false) {
      if (busy) return fail({ kind: 'busy', message: 'A model is already training; cancel it or wait.' });
      busy = true;
      if (resetCancel) cancelRequested = false;
      try {
        return await f();
      } finally {
        busy = false;
      }
    },
  };
}

/** The environment a run records: backend, threads, runtime and app version. */
export function runEnvironment(ctx: TrainContext, st: BackendStatus): RunEnvironment {
  return {
    backend: st.backend,
    backendReason: st.reason,
    threads: st.threads,
    simd: st.simd,
    runtime: ctx.opts.runtime,
    appVersion: ctx.opts.appVersion,
  };
}

/**
 * The steps most worker methods repeat: start the backend, load the dataset's table, call the core,
 * and turn a throw into a `Result` failure of `failure.kind` whose message starts with `failure.prefix`.
 * A missing table comes back as its own failure (`no-data-source`, `not-loaded`).
 */
export async function overTable<T>(
  ctx: TrainContext,
  datasetId: string,
  failure: { kind: string; prefix: string } | ((e: Error) => Problem),
  f: (t: LoadedTable, st: BackendStatus) => Promise<Result<T>>,
): Promise<Result<T>> {
  const st = await ctx.ensureBackend();
  const t = await ctx.table(datasetId);
  if (!t.ok) return t;
  try {
    return await f(t.value, st);
  } catch (e) {
    const problem =
      typeof failure === 'function'
        ? failure(e as Error)
        : { kind: failure.kind, message: `${failure.prefix}: ${(e as Error).message}` };
    return fail(problem);
  }
}
