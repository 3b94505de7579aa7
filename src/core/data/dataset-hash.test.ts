import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { csvTable } from '../../../tests/unit/fixtures.ts';
import { datasetVersionId } from './dataset-hash.ts';
import { parseJsonRecords } from './parse-json.ts';

describe('datasetVersionId', () => {
  it('is SHA-256 of the documented normalization (checked against node:crypto)', () => {
    const t = csvTable('a,b\n1.0, x \nNA,2\n');
    const expected = createHash('sha256').update('["a","b"]\n["1","x"]\n["","2"]\n').digest('hex');
    expect(datasetVersionId(t)).toBe(expected);
  });
  it('same content, different spelling → same id; different content → different id', () => {
    const a = datasetVersionId(csvTable('x,y\n1,a\n2,b\n'));
    expect(datasetVersionId(csvTable('x,y\r\n1.0,"a"\r\n2,b\r\n'))).toBe(a);
    const json = parseJsonRecords('[{"x":1,"y":"a"},{"x":2,"y":"b"}]', 'j.json');
    expect(json.ok && datasetVersionId(json.value)).toBe(a);
    expect(datasetVersionId(csvTable('x,y\n1,a\n2,c\n'))).not.toBe(a);
    expect(datasetVersionId(csvTable('y,x\na,1\nb,2\n'))).not.toBe(a);
  });
});
