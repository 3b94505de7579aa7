const lockName = (runId: string) => `benchtop-run-${runId}`;

/**
 * Holds a Web Lock named after the run while `f` runs, so other tabs can tell the run is live.
 * Without Web Locks (old browsers) `f` simply runs.
 */
export function withRunLock<T>(runId: string, f: () => Promise<T>): Promise<T> {
  if (!navigator.locks) return f();
  return navigator.locks.request(lockName(runId), f) as Promise<T>;
}

/** Whether some tab holds the run's lock (it is still training). One `navigator.locks.query()`. */
export async function isRunLive(runId: string): Promise<boolean> {
  if (!navigator.locks) return false;
  const q = await navigator.locks.query();
  return (q.held ?? []).some((l) => l.name === lockName(runId));
}

/**
 * A quarter of the device's memory (navigator.deviceMemory, in GB) for one model's training state;
 * 1 GB when the browser does not say.
 */
export function deviceMemoryBudget(): number {
  const gb = (navigator as { deviceMemory?: number }).deviceMemory;
  return gb ? (gb * 2 ** 30) / 4 : 2 ** 30;
}
