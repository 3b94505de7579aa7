/**
 * A value as a person reads it in an error message: JSON `null` is "null" (not "object"), an array
 * is "a list of 3 items", a string is quoted and shortened. Used for every "(it holds …)" clause.
 * Cost: O(1) (strings are cut before quoting).
 * @example describeValue(null) // 'null'
 * @example describeValue('nope') // 'a string "nope"'
 * @example describeValue([1, 2]) // 'a list of 2 items'
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') {
    if (value === '') return 'an empty string';
    const cut = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `a string ${JSON.stringify(cut)}`;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? `the number ${value}` : String(value);
  if (typeof value === 'boolean') return `the value ${value}`;
  if (typeof value === 'bigint') return `the number ${value}`;
  if (Array.isArray(value))
    return value.length === 0 ? 'an empty list' : `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return `binary data (${value.byteLength} bytes)`;
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty object' : 'an object';
  return `a ${typeof value}`;
}
