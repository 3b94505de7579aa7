import { readFileSync } from 'node:fs';
import { parseDelimitedBytes } from '../../src/core/data/parse-delimited.ts';
import { parseJsonRecords } from '../../src/core/data/parse-json.ts';
import type { Table } from '../../src/core/data/table.ts';
import { datasetVersionId } from '../../src/core/data/dataset-hash.ts';
import { inferSchema } from '../../src/core/data/schema.ts';
import type { SplitSpec } from '../../src/core/contracts/data.ts';
import type { RunEnvironment } from '../../src/core/contracts/run-record.ts';
import type { TrainConfig } from '../../src/core/contracts/train-config.ts';
import type { TrainRequest } from '../../src/core/model/run-training.ts';

const root = new URL('../../', import.meta.url);

/** Loads a dataset the app ships (public/datasets) as a table; throws if it does not parse. */
export function shippedTable(file: string): Table {
  const bytes = readFileSync(new URL(`public/datasets/${file}`, root));
  const r = file.endsWith('.json')
    ? parseJsonRecords(new TextDecoder().decode(bytes), file)
    : parseDelimitedBytes(bytes, file);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** A table from CSV text. */
export function csvTable(text: string, file = 'test.csv'): Table {
  const r = parseDelimitedBytes(new TextEncoder().encode(text), file);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** scikit-learn reference values (tests/fixtures/make_fixtures.py). */
export const SKLEARN = JSON.parse(readFileSync(new URL('tests/fixtures/sklearn-reference.json', root), 'utf8'));

/** Where unit tests say they ran (the run record's environment). */
export const TEST_ENVIRONMENT: RunEnvironment = Object.freeze({
  backend: 'cpu',
  backendReason: '',
  runtime: 'vitest',
  appVersion: 'test',
}) as RunEnvironment;

/**
 * A training request over a table with the label set: a 70/15/15 random split with seed 1 unless
 * the test says otherwise, run id and name 'x', the test environment.
 */
export function trainRequest(
  table: Table,
  label: string,
  config: TrainConfig,
  o: { runId?: string; runName?: string; file?: string; split?: SplitSpec } = {},
): TrainRequest {
  return {
    runId: o.runId ?? 'x',
    runName: o.runName ?? o.runId ?? 'x',
    table,
    dataset: { id: datasetVersionId(table), name: o.file ?? 't' },
    schema: inferSchema(table, label),
    split: o.split ?? { kind: 'random', fractions: [0.7, 0.15, 0.15], seed: 1 },
    config,
    environment: TEST_ENVIRONMENT,
  };
}
