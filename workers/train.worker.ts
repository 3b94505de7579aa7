import { expose, transfer, wrap } from 'comlink';
import { createTrainApi } from './train.api.ts';
import type { DataApi } from './data.api.ts';
import { transferables } from '../src/core/model/model-buffers.ts';
import { ORT_WASM_PATHS, ORT_WEBGPU_PATHS, TFJS_WASM_PATHS } from './wasm-assets.ts';

// Nested workers for the data-parallel lesson: one per shard.
async function spawnShard(X: Float32Array, y: Int32Array, d: number, k: number, delayMs: number) {
  const w = new Worker(new URL('./dp-shard.worker.ts', import.meta.url), { type: 'module', name: 'benchtop-dp-shard' });
  const shard = wrap<{
    init(X: Float32Array, y: Int32Array, d: number, k: number, delay: number): void;
    grad(W: Float32Array, batch: number, seed: number): Promise<{ grad: Float32Array; loss: number }>;
  }>(w);
  await shard.init(transfer(X, [X.buffer]), transfer(y, [y.buffer]), d, k, delayMs);
  return {
    grad: (W: Float32Array, batch: number, seed: number) => shard.grad(W, batch, seed),
    terminate: () => w.terminate(),
  };
}

const api = createTrainApi({
  spawnShard,
  wasmPaths: TFJS_WASM_PATHS,
  ortPaths: ORT_WASM_PATHS,
  ortWebgpuPaths: ORT_WEBGPU_PATHS,
  runtime: navigator.userAgent,
  appVersion: __APP_VERSION__,
});
expose({
  ...api,
  // Derived models go back with their weights transferred, not copied.
  async derive(...a: Parameters<typeof api.derive>) {
    const r = await api.derive(...a);
    return transfer(r, transferables(r));
  },
  async deriveFrom(...a: Parameters<typeof api.deriveFrom>) {
    const r = await api.deriveFrom(...a);
    return transfer(r, transferables(r));
  },
  /** Serves the same API on a port (the tuning worker drives pool workers this way). */
  serveOn(port: MessagePort) {
    expose(api, port);
  },
  /** Receives a port to the data worker, so tables go worker to worker. */
  connectData(port: MessagePort) {
    const data = wrap<DataApi>(port);
    api.setTableSource((id) => data.getTable(id));
  },
});
