import { expose } from 'comlink';
import { createDataApi } from './data.api.ts';

const api = createDataApi(fetch.bind(globalThis), new URL(import.meta.env.BASE_URL, self.location.origin).href);
expose({
  ...api,
  /** Serves the same API on a port, for the training worker. */
  connect(port: MessagePort) {
    expose(api, port);
  },
});
