import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundsAsDouble, scanJsonRecords } from './json-scan.ts';

describe('scanJsonRecords: repeated keys', () => {
  it('finds a key repeated in a record, counting records and naming the first', () => {
    const s = scanJsonRecords('[{"a":1,"price":2,"price":3},{"price":1},{"price":0, "price":5, "price":6}]');
    expect(s.duplicates).toEqual([{ path: 'price', field: 'price', count: 3, firstRecord: 1 }]);
  });
  it('sees through escapes ("\\u0061" is "a") and ignores keys spelled inside string values', () => {
    expect(scanJsonRecords('[{"a":1,"\\u0061":2}]').duplicates).toMatchObject([{ path: 'a', firstRecord: 1 }]);
    expect(scanJsonRecords('[{"s":"{\\"a\\":1,\\"a\\":2}","t":"\\\\"}]').duplicates).toEqual([]);
  });
  it('names a repeat inside a nested value by its field', () => {
    const s = scanJsonRecords('[{"x":1},{"meta":{"k":1,"k":2},"list":[{"z":1,"z":2}]}]');
    expect(s.duplicates).toEqual([
      { path: 'meta.k', field: 'meta', count: 1, firstRecord: 2 },
      { path: 'list[].z', field: 'list', count: 1, firstRecord: 2 },
    ]);
  });
  it('the same key in different records or objects is no repeat', () => {
    expect(scanJsonRecords('[{"a":1,"b":{"a":2}},{"a":3}]').duplicates).toEqual([]);
  });
  it('finds nothing in what JSON.stringify writes (property: no repeats, no rounding)', () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.string(), fc.jsonValue())), (records) => {
        const s = scanJsonRecords(JSON.stringify(records));
        expect(s.duplicates).toEqual([]);
        expect(s.rounded).toEqual([]);
      }),
    );
  });
});

describe('scanJsonRecords: integers a double rounds', () => {
  it('roundsAsDouble: beyond 2^53 and not what JavaScript prints', () => {
    expect(roundsAsDouble('12345678901234567891')).toBe(true);
    expect(roundsAsDouble('-9007199254740993')).toBe(true);
    expect(roundsAsDouble('9007199254740992')).toBe(false);
    expect(roundsAsDouble('12345678901234567000')).toBe(false);
    expect(roundsAsDouble('1000000000000000000000')).toBe(false);
    expect(roundsAsDouble('123456789012345678.5')).toBe(false);
    expect(roundsAsDouble('42')).toBe(false);
  });
  it('keeps the exact digits of a record field and counts them per column', () => {
    const s = scanJsonRecords('[{"id": 12345678901234567890, "a":1},{"id":12345678901234567891},{"id":7}]');
    expect(s.rounded).toEqual([
      { path: 'id', field: 'id', nested: false, count: 2, firstRecord: 1, text: '12345678901234567890' },
    ]);
    expect(s.exact.get(0)?.get('id')).toBe('12345678901234567890');
    expect(s.exact.get(1)?.get('id')).toBe('12345678901234567891');
    expect(s.exact.has(2)).toBe(false);
  });
  it('a repeated field whose last value is small keeps no exact text', () => {
    const s = scanJsonRecords('[{"id":12345678901234567891,"id":3}]');
    expect(s.exact.get(0)?.has('id')).toBe(false);
  });
  it('inside nested values: noted by field, no exact text', () => {
    const s = scanJsonRecords('[{"ids":[1, 12345678901234567891]}]');
    expect(s.rounded).toMatchObject([{ path: 'ids[]', field: 'ids', nested: true, count: 1, firstRecord: 1 }]);
    expect(s.exact.size).toBe(0);
  });
});
