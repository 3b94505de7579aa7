// Monitoring in the training worker: drift of new data against a model version's training rows,
// a drift timeline over windows with alerts, data expectations, continual learning and the value of
// fresh data. Plain functions over the core, mixed into the training worker's API (tested in Node).
import type { Table } from '../src/core/data/table.ts';
import type { Result } from '../src/core/util/result.ts';
import { continualApi } from './monitor/continual.ts';
import { driftApi } from './monitor/drift.ts';
import type { MonitorContext } from './monitor/monitor-context.ts';

export type { MonitorReport, TimelineSummary } from './monitor/drift.ts';

type TableSource = (id: string) => Promise<Result<{ table: Table; name: string }>>;

/**
 * The monitoring methods, over table and run sources and the backend; `cancelMonitor()` stops the long
 * ones. Methods that read a run take a `RunRef`: its id (read through the training worker's run cache)
 * or the run with its model.
 */
export function createMonitorApi(o: {
  table: TableSource;
  resolve: MonitorContext['resolve'];
  ensureBackend: () => Promise<unknown>;
}) {
  const ctx = { ...o, cancel: { requested: false } };
  return { ...driftApi(ctx), ...continualApi(ctx) };
}
