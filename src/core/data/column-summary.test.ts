import { describe, expect, it } from 'vitest';
import { csvTable, shippedTable } from '../../../tests/unit/fixtures.ts';
import { describeValues, labelSummary, valueShares } from './column-summary.ts';
import { inferSchema, withRole } from './schema.ts';

describe('column summaries', () => {
  // 8 present votes (3 y, 5 n) and one missing; the counts are those of the CSV below.
  const votes = csvTable(
    [
      'party,vote,code,x',
      ...'n,y,n,n,y,n,y,n,'.split(',').map((v, i) => `${i % 2 ? 'r' : 'd'},${v},${i % 2},${i}`),
    ].join('\n'),
  );
  const schema = inferSchema(votes, 'vote');
  const col = (name: string) => schema.columns.find((c) => c.name === name)!;

  it('says which value of a yes/no column is which, with the share of each — not "0 … 1, mean 0.375"', () => {
    expect(col('vote').type).toBe('boolean');
    expect(col('vote').missing).toBe(1);
    expect(describeValues(col('vote'))).toBe('y 37.5% · n 62.5%');
    expect(describeValues(col('vote'))).not.toMatch(/mean/);
    // A two-valued numeric column gets its shares too; a wide numeric one its range and mean.
    expect(describeValues(col('code'))).toBe('0 55.6% · 1 44.4%');
    expect(describeValues(col('x'))).toBe('0 … 8, mean 4');
  });

  it('lists categories by share, most frequent first, and says how many more there are', () => {
    const credit = inferSchema(shippedTable('german-credit.csv'), 'class');
    const purpose = credit.columns.find((c) => c.name === 'purpose')!;
    expect(purpose.counts!.reduce((s, x) => s + x.count, 0)).toBe(1000);
    // Counted from german-credit.csv's "purpose" column (10 values).
    expect(valueShares(purpose)).toBe(
      'radio/tv 28.0% · new car 23.4% · furniture/equipment 18.1% · used car 10.3% · … 6 more',
    );
    // german-credit.csv: 700 good, 300 bad (UCI Statlog German Credit).
    expect(labelSummary(credit)).toEqual({ task: 'classification', text: '2 classes: good 70.0% · bad 30.0%' });
  });

  it('summarises the label: its task and classes or range', () => {
    expect(labelSummary(schema)).toEqual({ task: 'classification', text: '2 classes: y 37.5% · n 62.5%' });
    const weather = inferSchema(shippedTable('seattle-weather.csv'), 'temp_max');
    const s = labelSummary(weather)!;
    expect(s.task).toBe('regression');
    expect(s.text).toMatch(/^numbers from -?[\d.]+ to [\d.]+, mean [\d.]+$/);
    expect(labelSummary(withRole(schema, 'vote', 'feature'))).toBeNull();
  });
});
