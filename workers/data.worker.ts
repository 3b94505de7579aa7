import { expose, transfer } from 'comlink';
import { createDataApi } from './data.api.ts';

const api = createDataApi(fetch.bind(globalThis), new URL(import.meta.env.BASE_URL, self.location.origin).href);
expose({
  ...api,
  /** Same as the API's, but hands the buffer over instead of copying it. */
  async encodeTable(id: string) {
    const r = await api.encodeTable(id);
    return r.ok ? transfer(r, [r.value.buffer as ArrayBuffer]) : r;
  },
  /** Serves the same API on a port, for the training worker. */
  connect(port: MessagePort) {
    expose(api, port);
  },
});
