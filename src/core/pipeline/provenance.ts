import type { CompressionSpec } from '../contracts/attachments.ts';
import type { Derivation, RunRecord } from '../contracts/run-record.ts';
import { backendLabel } from '../runtime/backend-policy.ts';
import type { DeriveOp } from './derive-op.ts';

const COMPRESSION: Record<CompressionSpec['method'], string> = {
  fp16: 'float16 conversion',
  int8: 'int8 quantization',
  'int8-static': 'static int8 quantization',
  binary: 'binarization',
  prune: 'pruning',
  lowrank: 'low-rank factorization',
  distill: 'distillation',
};

const pct = (x: number | undefined, dflt: number) => `${Math.round((x ?? dflt) * 100)}%`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A compression in words: "int8 quantization", "pruning 50%", "low-rank factorization (rank 4)". */
export function describeCompression(spec: CompressionSpec): string {
  const base = COMPRESSION[spec.method];
  if (spec.method === 'prune') return `${base} ${pct(spec.sparsity, 0.5)}`;
  if (spec.method === 'lowrank' && spec.rank) return `${base} (rank ${spec.rank})`;
  return base;
}

/**
 * A derive operation in words, as the run header and the registry show it.
 * @example describeDerivation({ kind: 'compress', spec: { method: 'int8' } }) // "int8 quantization"
 */
export function describeDerivation(op: DeriveOp): string {
  switch (op.kind) {
    case 'calibrate':
      return `${op.method} calibration`;
    case 'compress':
      return describeCompression(op.spec);
    case 'fine-tune':
      return op.method === 'qat'
        ? `quantization-aware training (${plural(op.epochs, 'epoch')}) then int8`
        : `pruning ${pct(op.sparsity, 0.5)} with ${plural(op.epochs, 'epoch')} of fine-tuning`;
    case 'distill':
      return `distillation into MLP ${op.hidden.join('-')} (T=${op.temperature})`;
  }
}

/**
 * The derivation record of a run made by `op` from `parent` in `durationMs` (the epochs trained, when
 * the operation trains: fine-tuning and distillation).
 */
export function derivationOf(op: DeriveOp, parent: RunRecord, durationMs: number, epochs?: number): Derivation {
  return {
    kind: op.kind,
    what: describeDerivation(op),
    parentRunId: parent.id,
    parentName: parent.name,
    durationMs,
    ...(epochs !== undefined && (op.kind === 'fine-tune' || op.kind === 'distill') ? { epochs } : {}),
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * How a run's model came to be, in one phrase for its header: what a derived run's derivation did to
 * which parent and how long it took ("int8 quantization of ‘mlp-3’ in 0.8 s"), or what training did
 * ("trained 20 epochs in 4.4 s on WASM", "cancelled after 3 epochs in 1.2 s on WebGL"). A derived run
 * saved before derivations were recorded names its parent (through `nameOf`, else by id) without a
 * duration — its `durationMs` is the parent's training time, not its own.
 * `rounds`: the history counts boosting rounds or logged steps rather than epochs.
 * Cost: O(1).
 * @example runProvenance(compressedRun) // "int8 quantization of ‘mlp-3’ in 0.8 s"
 */
export function runProvenance(
  run: RunRecord,
  opts: { nameOf?: (runId: string) => string | undefined; rounds?: boolean } = {},
): string {
  const d = run.derivation;
  if (d) {
    const trained = d.epochs ? ` (${plural(d.epochs, 'epoch')} trained)` : '';
    return `${d.what} of ‘${d.parentName}’ in ${seconds(d.durationMs)}${trained}`;
  }
  const legacy = legacyDerivation(run);
  if (legacy) {
    const name = opts.nameOf?.(legacy.parentRunId) ?? legacy.parentRunId;
    return `${legacy.what} of ‘${name}’`;
  }
  const n = run.history.length;
  const unit = opts.rounds ? (n === 1 ? 'logged round' : 'logged rounds') : n === 1 ? 'epoch' : 'epochs';
  const verb = run.status === 'cancelled' ? 'cancelled after' : run.status === 'running' ? 'training:' : 'trained';
  return `${verb} ${n} ${unit} in ${seconds(run.durationMs)} on ${backendLabel(run.environment.backend)}`;
}

/** What a derived run saved without a `derivation` record was made by, read from its calibration or compression. */
function legacyDerivation(run: RunRecord): { what: string; parentRunId: string } | null {
  if (run.calibration)
    return { what: `${run.calibration.method} calibration`, parentRunId: run.calibration.parentRunId };
  if (run.compression) {
    const spec = run.compression.info.spec;
    const ft = spec.fineTune;
    const what = ft
      ? ft.method === 'qat'
        ? 'quantization-aware training then int8'
        : `pruning ${pct(ft.sparsity ?? spec.sparsity, 0.5)} with fine-tuning`
      : run.compression.info.method === 'distill'
        ? 'distillation'
        : describeCompression(spec);
    return { what, parentRunId: run.compression.parentRunId };
  }
  return null;
}
