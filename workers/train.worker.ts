import { expose, wrap } from 'comlink';
import { createTrainApi } from './train.api.ts';
import type { DataApi } from './data.api.ts';
import { ORT_WASM_PATHS, ORT_WEBGPU_PATHS, TFJS_WASM_PATHS } from './wasm-assets.ts';

const api = createTrainApi({ wasmPaths: TFJS_WASM_PATHS, ortPaths: ORT_WASM_PATHS, ortWebgpuPaths: ORT_WEBGPU_PATHS, runtime: navigator.userAgent, appVersion: __APP_VERSION__ });
expose({
  ...api,
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
