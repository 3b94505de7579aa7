import { describe, expect, it } from 'vitest';
import { shippedTable } from '../../../tests/unit/fixtures.ts';
import { datasetVersionId } from './dataset-hash.ts';
import { decodeTable, encodeTable } from './table-codec.ts';

describe('table codec', () => {
  it('round-trips a table exactly (same version id)', () => {
    const t = shippedTable('penguins.json');
    const back = decodeTable(encodeTable(t));
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.value.rowCount).toBe(t.rowCount);
    expect(datasetVersionId(back.value)).toBe(datasetVersionId(t));
  });
  it('a damaged buffer is an error', () => {
    const bytes = encodeTable(shippedTable('wine.csv'));
    expect(decodeTable(bytes.subarray(0, bytes.length - 4)).ok).toBe(false);
    expect(decodeTable(new Uint8Array(2)).ok).toBe(false);
  });
});
