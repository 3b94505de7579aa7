import { proxy } from 'comlink';

/**
 * A progress callback for a worker job. Reports travel as their own messages and can arrive after the
 * job's result: they are ignored once the job is over, so a finished job shows no stale bar.
 *
 * @param running whether the job is still running (read on every report)
 * @param set receives `[done, total]`
 * @returns a comlink proxy to hand to the worker call
 */
export function jobProgress(running: () => boolean, set: (p: [number, number]) => void) {
  return proxy((done: number, total: number) => {
    if (running()) set([done, total]);
  });
}
