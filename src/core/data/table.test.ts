import { describe, expect, it } from 'vitest';
import { columnByName, type Table } from './table.ts';

const col = (name: string) => ({ name, dictionary: [], codes: new Int32Array(0) });

describe('columnByName', () => {
  it('finds columns by name, and undefined for a name the table lacks', () => {
    const t: Table = { columns: [col('a'), col('b')], rowCount: 0 };
    expect(columnByName(t, 'b')).toBe(t.columns[1]);
    expect(columnByName(t, 'z')).toBeUndefined();
  });
  it('still answers after the columns are renamed, replaced or added in place (the index is checked)', () => {
    const t: Table = { columns: [col('a'), col('b')], rowCount: 0 };
    expect(columnByName(t, 'a')).toBe(t.columns[0]);
    t.columns[0]!.name = 'x';
    expect(columnByName(t, 'a')).toBeUndefined();
    expect(columnByName(t, 'x')).toBe(t.columns[0]);
    t.columns.push(col('c'));
    expect(columnByName(t, 'c')).toBe(t.columns[2]);
    t.columns[1] = col('b2');
    expect(columnByName(t, 'b')).toBeUndefined();
    expect(columnByName(t, 'b2')).toBe(t.columns[1]);
  });
});
