import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../contracts/run-record.ts';
import { derivationOf, describeDerivation, runProvenance } from './provenance.ts';

/** A run record with only the fields provenance reads. */
const run = (over: Partial<RunRecord>): RunRecord =>
  ({
    id: 'r1',
    name: 'mlp-3',
    status: 'finished',
    durationMs: 4400,
    history: Array.from({ length: 20 }, (_, i) => ({ epoch: i + 1 })),
    environment: { backend: 'wasm', backendReason: '', runtime: 'test', appVersion: 'test' },
    ...over,
  }) as RunRecord;

describe('runProvenance', () => {
  it('says a trained run trained, how long and where', () => {
    expect(runProvenance(run({}))).toBe('trained 20 epochs in 4.4 s on WASM');
    expect(runProvenance(run({ status: 'cancelled', history: [run({}).history[0]!] }))).toBe(
      'cancelled after 1 epoch in 4.4 s on WASM',
    );
    expect(runProvenance(run({}), { rounds: true })).toBe('trained 20 logged rounds in 4.4 s on WASM');
  });

  it("says what a derivation did and its own duration, never the parent's training", () => {
    const parent = run({});
    // The compressed run keeps the parent's history and (before this fix) its duration: 4.4 s.
    const child = run({
      id: 'r2',
      name: 'mlp-3 · int8',
      derivation: derivationOf({ kind: 'compress', spec: { method: 'int8' } }, parent, 812),
    });
    expect(runProvenance(child)).toBe('int8 quantization of ‘mlp-3’ in 0.8 s');
    const tuned = run({
      derivation: derivationOf({ kind: 'fine-tune', method: 'qat', epochs: 3, learningRate: 1e-3 }, parent, 2100, 3),
    });
    expect(runProvenance(tuned)).toBe(
      'quantization-aware training (3 epochs) then int8 of ‘mlp-3’ in 2.1 s (3 epochs trained)',
    );
  });

  it('names the parent of a derived run saved before derivations were recorded, without a borrowed duration', () => {
    const old = run({
      compression: {
        parentRunId: 'p',
        info: { method: 'prune', spec: { method: 'prune', sparsity: 0.9 } } as never,
      },
    });
    expect(runProvenance(old, { nameOf: (id) => (id === 'p' ? 'mlp-3' : undefined) })).toBe('pruning 90% of ‘mlp-3’');
    const cal = run({ calibration: { method: 'temperature', parentRunId: 'gone' } as never });
    expect(runProvenance(cal)).toBe('temperature calibration of ‘gone’');
  });

  it('describes each derive operation', () => {
    expect(describeDerivation({ kind: 'calibrate', method: 'isotonic' })).toBe('isotonic calibration');
    expect(describeDerivation({ kind: 'compress', spec: { method: 'prune', sparsity: 0.5 } })).toBe('pruning 50%');
    expect(describeDerivation({ kind: 'compress', spec: { method: 'fp16' } })).toBe('float16 conversion');
    expect(describeDerivation({ kind: 'distill', hidden: [8, 4], temperature: 2, alpha: 0.5 })).toBe(
      'distillation into MLP 8-4 (T=2)',
    );
    expect(describeDerivation({ kind: 'fine-tune', method: 'prune', epochs: 1, learningRate: 1e-3 })).toBe(
      'pruning 50% with 1 epoch of fine-tuning',
    );
  });
});
