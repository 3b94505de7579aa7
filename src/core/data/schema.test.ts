import { describe, expect, it } from 'vitest';
import { csvTable, shippedTable } from '../../../tests/unit/fixtures.ts';
import { inferSchema, withRole, withType } from './schema.ts';

describe('inferSchema', () => {
  it('infers numeric, categorical, boolean, date and text, and counts missing cells', () => {
    const rows = Array.from(
      { length: 60 },
      (_, i) =>
        `${i * 1.5},${['a', 'b', 'c'][i % 3]},${i % 2 ? 'yes' : 'no'},2020-01-${String((i % 28) + 1).padStart(2, '0')},note number ${i},${i % 10 === 0 ? '' : i}`,
    );
    const t = csvTable(['num,cat,flag,day,note,gappy', ...rows].join('\n'));
    const s = inferSchema(t, 'cat');
    const type = Object.fromEntries(s.columns.map((c) => [c.name, c.type]));
    expect(type).toEqual({
      num: 'numeric',
      cat: 'categorical',
      flag: 'boolean',
      day: 'date',
      note: 'text',
      gappy: 'numeric',
    });
    expect(s.columns.find((c) => c.name === 'gappy')!.missing).toBe(6);
    expect(s.columns.find((c) => c.name === 'note')!.role).toBe('ignore');
    expect(s.label).toBe('cat');
    expect(s.columns.find((c) => c.name === 'num')!).toMatchObject({ min: 0, max: 88.5 });
  });
  it('reads the shipped datasets as expected', () => {
    const credit = inferSchema(shippedTable('german-credit.csv'), 'class');
    expect(credit.columns.filter((c) => c.type === 'numeric').length).toBe(7);
    expect(credit.columns.find((c) => c.name === 'personal_status')!.type).toBe('categorical');
    const penguins = inferSchema(shippedTable('penguins.json'), 'Species');
    expect(penguins.columns.find((c) => c.name === 'Beak Length (mm)')!.missing).toBe(2);
    const weather = inferSchema(shippedTable('seattle-weather.csv'), 'weather');
    expect(weather.columns.find((c) => c.name === 'date')!.type).toBe('date');
  });
  it('one label at a time; types can be changed', () => {
    const s = inferSchema(csvTable('a,b,c\n1,2,x\n3,4,y\n'), 'c');
    const s2 = withRole(s, 'a', 'label');
    expect(s2.label).toBe('a');
    expect(s2.columns.filter((c) => c.role === 'label').map((c) => c.name)).toEqual(['a']);
    expect(withType(s2, 'b', 'categorical').columns[1]!.type).toBe('categorical');
    expect(withRole(s2, 'a', 'ignore').label).toBeNull();
  });
});
