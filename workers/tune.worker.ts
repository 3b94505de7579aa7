import { expose, wrap } from 'comlink';
import { createTuneApi } from './tune.api.ts';
import type { TrainApi } from './train.api.ts';

const api = createTuneApi();
expose({
  ...api,
  /** Receives a port to a training worker of the pool. */
  connectTrialWorker(port: MessagePort) {
    api.addTrialWorker(wrap<TrainApi>(port));
  },
});
