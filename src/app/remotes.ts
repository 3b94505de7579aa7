import { transfer, wrap, type Remote } from 'comlink';
import type { DataApi } from '../../workers/data.api.ts';
import type { TrainApi } from '../../workers/train.api.ts';

/** The data worker as the page sees it (plus the port it serves the training workers on). */
export type DataRemote = Remote<DataApi & { connect(port: MessagePort): void }>;
/** A training worker as the page sees it (plus the port it reads tables from). */
export type TrainRemote = Remote<TrainApi & { connectData(port: MessagePort): void }>;

/** Starts a training worker (no data connection yet). */
export function startTrainWorker(name: string): { worker: Worker; remote: TrainRemote } {
  const worker = new Worker(new URL('../../workers/train.worker.ts', import.meta.url), { type: 'module', name });
  return { worker, remote: wrap(worker) as TrainRemote };
}

/** Gives a training worker its own channel to the data worker, so it reads tables by id. */
export async function connectToData(data: DataRemote, trainer: TrainRemote): Promise<void> {
  const channel = new MessageChannel();
  await data.connect(transfer(channel.port1, [channel.port1]));
  await trainer.connectData(transfer(channel.port2, [channel.port2]));
}

/**
 * Starts the page's two workers (data, training) and connects them. Cost: two worker start-ups
 * (module load, tfjs in the training worker).
 */
export async function startWorkers(): Promise<{ data: DataRemote; trainer: TrainRemote }> {
  const dataWorker = new Worker(new URL('../../workers/data.worker.ts', import.meta.url), {
    type: 'module',
    name: 'benchtop-data',
  });
  const data = wrap(dataWorker) as DataRemote;
  const { remote: trainer } = startTrainWorker('benchtop-train');
  await connectToData(data, trainer);
  return { data, trainer };
}
