import type { BackendName } from '../model/spec.ts';

/** What a probe found out about one backend in this browser (or Node). */
export interface BackendProbe {
  name: BackendName;
  available: boolean;
  /** True when the adapter/renderer is a software rasterizer (SwiftShader, llvmpipe, …). */
  software?: boolean;
  /** Why it is (not) available, in words: "no adapter", "SwiftShader (software)". */
  detail: string;
}

/** The backend a worker runs, why, and what the probes found. */
export interface BackendStatus {
  backend: BackendName;
  reason: string;
  threads?: number;
  simd?: boolean;
  probes: BackendProbe[];
}

export interface BackendChoice {
  backend: BackendName;
  reason: string;
}

const LABEL: Readonly<Record<BackendName, string>> = Object.freeze({
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
});

/** Display name of a backend. */
export function backendLabel(b: BackendName): string {
  return LABEL[b];
}

/**
 * Picks the backend: the person's choice when it is available; otherwise a hardware GPU (WebGPU,
 * then WebGL), else WASM, else plain JS. A GPU that runs in software is slower than WASM for the
 * models trained here, so it is passed over, and the reason says so.
 * @example
 * chooseBackend([
 *   { name: 'webgpu', available: false, detail: 'no adapter' },
 *   { name: 'wasm', available: true, detail: '2 threads, SIMD' },
 * ])
 *   // { backend: 'wasm', reason: 'WebGPU: no adapter — using WASM, 2 threads, SIMD' }
 */
export function chooseBackend(
  probes: readonly BackendProbe[],
  requested: BackendName | 'auto' = 'auto',
): BackendChoice {
  const by = new Map(probes.map((p) => [p.name, p]));
  const describe = (b: BackendName) => {
    const d = by.get(b)?.detail;
    return d ? `${LABEL[b]}, ${d}` : LABEL[b];
  };
  if (requested !== 'auto') {
    const p = by.get(requested);
    if (p?.available) return { backend: requested, reason: `${describe(requested)} — chosen by you` };
    const fallback = chooseBackend(probes, 'auto');
    return {
      backend: fallback.backend,
      reason: `${LABEL[requested]}: ${p?.detail ?? 'not available'} — using ${describe(fallback.backend)}`,
    };
  }
  const passed: string[] = [];
  for (const name of ['webgpu', 'webgl'] as const) {
    const p = by.get(name);
    if (!p) continue;
    if (p.available && !p.software)
      return { backend: name, reason: `using ${describe(name)}${passed.length ? ` (${passed.join('; ')})` : ''}` };
    passed.push(`${LABEL[name]}: ${p.available ? `${p.detail}, slower than WASM here` : p.detail}`);
  }
  const pick: BackendName = by.get('wasm')?.available ? 'wasm' : 'cpu';
  return { backend: pick, reason: `${passed.length ? `${passed.join('; ')} — ` : ''}using ${describe(pick)}` };
}
