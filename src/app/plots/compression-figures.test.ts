import { describe, expect, it } from 'vitest';
import { latencyRuntime } from './compression-figures.ts';

describe('the runtime of the accuracy-against-latency chart', () => {
  const rows = [
    { runtime: 'tfjs webgpu', p50: 9.1 },
    { runtime: 'tfjs wasm', p50: 0.21 },
    { runtime: 'tfjs cpu', p50: 0.5 },
    { runtime: 'onnxruntime-web wasm', p50: 0.15 },
  ];
  it('is the backend in use, not the first (slowest) one measured', () => {
    expect(latencyRuntime(rows, 'wasm')).toEqual({ runtime: 'tfjs wasm', why: 'the backend in use' });
    expect(latencyRuntime(rows, 'cpu')?.runtime).toBe('tfjs cpu');
  });
  it('falls back to onnxruntime-web wasm, then to the fastest measured', () => {
    expect(latencyRuntime(rows, 'webgl')).toEqual({ runtime: 'onnxruntime-web wasm', why: 'tfjs webgl not measured' });
    expect(latencyRuntime(rows.slice(0, 3), null)).toEqual({ runtime: 'tfjs wasm', why: 'the fastest measured' });
    expect(latencyRuntime([{ runtime: 'tfjs wasm', p50: NaN }], 'wasm')).toBeNull();
  });
});
