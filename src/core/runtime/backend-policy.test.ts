import { describe, expect, it } from 'vitest';
import { chooseBackend, type BackendProbe } from './backend-policy.ts';

const wasm: BackendProbe = { name: 'wasm', available: true, detail: '2 threads, SIMD' };
const cpu: BackendProbe = { name: 'cpu', available: true, detail: 'plain JavaScript' };

describe('chooseBackend', () => {
  it('prefers a hardware GPU', () => {
    const c = chooseBackend([
      { name: 'webgpu', available: true, detail: 'nvidia ampere' },
      { name: 'webgl', available: true, detail: 'NVIDIA' },
      wasm,
      cpu,
    ]);
    expect(c.backend).toBe('webgpu');
  });
  it('says why it fell back to WASM', () => {
    const c = chooseBackend([
      { name: 'webgpu', available: false, detail: 'no adapter' },
      { name: 'webgl', available: true, software: true, detail: 'software renderer (SwiftShader)' },
      wasm,
      cpu,
    ]);
    expect(c).toEqual({
      backend: 'wasm',
      reason:
        'WebGPU: no adapter; WebGL: software renderer (SwiftShader), slower than WASM here — using WASM, 2 threads, SIMD',
    });
  });
  it('honours a choice when available, explains when not', () => {
    expect(chooseBackend([wasm, cpu], 'cpu').backend).toBe('cpu');
    const c = chooseBackend([{ name: 'webgpu', available: false, detail: 'no adapter' }, wasm, cpu], 'webgpu');
    expect(c.backend).toBe('wasm');
    expect(c.reason).toMatch(/^WebGPU: no adapter — using WASM/);
  });
  it('runs on plain JS when nothing else is there', () => {
    expect(chooseBackend([{ name: 'wasm', available: false, detail: 'no WebAssembly' }, cpu]).backend).toBe('cpu');
  });
});
