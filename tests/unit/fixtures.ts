import { readFileSync } from 'node:fs';
import { parseDelimitedBytes } from '../../src/core/data/parse-delimited.ts';
import { parseJsonRecords } from '../../src/core/data/parse-json.ts';
import type { Table } from '../../src/core/data/table.ts';

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
