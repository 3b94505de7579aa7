import { describe, expect, it } from 'vitest';
import { configFor, DEFAULT_MEMORY_BUDGET, validateConfig } from './config.ts';

describe('a network is refused up front when its training split does not fit the memory budget', () => {
  // The training split is one float32 tensor of inputs and one of targets: rows × (inputs + outputs) × 4 bytes.
  const ctx = { task: 'classification' as const, classes: 3, inputSize: 13 };
  it('1.78M × 13 (wine repeated, the CLI case) fits the default 1 GB and trains', () => {
    expect(validateConfig(configFor('logistic', {}), { ...ctx, rows: 1_246_000 })).toBeNull();
  });
  it('more rows × inputs than the budget holds gets a sentence with the sizes, never a crash in the backend', () => {
    const p = validateConfig(configFor('logistic', {}), { ...ctx, inputSize: 400, rows: 1_000_000 });
    expect(p).toMatchObject({ kind: 'bad-config' });
    expect(p!.message).toMatch(
      /^The training split \(1,000,000 rows × 400 inputs\) needs about 1\d{3} MB as float32 tensors to train, more than the 1024 MB/,
    );
    expect(DEFAULT_MEMORY_BUDGET).toBe(2 ** 30);
    const small = validateConfig(configFor('logistic', {}), { ...ctx, rows: 100_000, memoryBudget: 2 ** 20 });
    expect(small!.message).toContain('more than the 1 MB this device allows');
  });
});
