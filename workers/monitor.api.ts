// Monitoring in the training worker: drift of new data against a model version's training rows,
// a drift timeline over windows with alerts, data expectations, continual learning and the value of
// fresh data. Plain functions over the core, mixed into the training worker's API (tested in Node).
import type { Table } from '../src/core/data/table.ts';
import type { Result } from '../src/core/util/result.ts';
import { continualApi } from './monitor/continual.ts';
import { driftApi } from './monitor/drift.ts';

export type { MonitorReport, TimelineSummary } from './monitor/drift.ts';

type TableSource = (id: string) => Promise<Result<{ table: Table; name: string }>>;

/** The monitoring methods, over a table source and the backend; `cancelMonitor()` stops the long ones. */
export function createMonitorApi(o: { table: TableSource; ensureBackend: () => Promise<unknown> }) {
  const ctx = { ...o, cancel: { requested: false } };
  return { ...driftApi(ctx), ...continualApi(ctx) };
}
