import { describe, expect, it } from 'vitest';
import { csvTable, shippedTable } from '../../../tests/unit/fixtures.ts';
import { inferSchema } from '../data/schema.ts';
import { driftColumnsFromSchema } from './report.ts';
import { driftTimeline, evaluateAlerts, makeWindows, type AlertRule } from './timeline.ts';

const all = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

describe('windows, timeline and alerts', () => {
  it('cuts row windows (sliding, accumulating) and calendar windows', () => {
    const t = csvTable(
      ['d,x', ...Array.from({ length: 10 }, (_, i) => `2024-01-${String(1 + i * 4).padStart(2, '0')},${i}`)].join('\n'),
    );
    const s = makeWindows(t, all(10), { by: 'rows', size: 4, mode: 'sliding' }).windows;
    expect(s.map((w) => Array.from(w.rows))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    const s2 = makeWindows(t, all(10), { by: 'rows', size: 4, step: 2, mode: 'sliding' }).windows;
    expect(s2.map((w) => w.label)).toEqual(['rows 1–4', 'rows 3–6', 'rows 5–8', 'rows 7–10']);
    const a = makeWindows(t, all(10), { by: 'rows', size: 4, mode: 'accumulating' }).windows;
    expect(a.map((w) => w.rows.length)).toEqual([4, 8, 10]);
    const m = makeWindows(shippedTable('seattle-weather.csv'), all(1461), {
      by: 'time',
      column: 'date',
      unit: 'month',
      mode: 'sliding',
    });
    expect(m.windows.length).toBe(48);
    expect(m.windows[0]!.label).toBe('2012-01');
    expect(m.windows[0]!.rows.length).toBe(31);
    expect(m.skipped).toBe(0);
    const w = makeWindows(t, all(10), { by: 'time', column: 'd', unit: 'week', mode: 'sliding' }).windows;
    expect(w[0]!.label).toBe('week of 2024-01-01');
  });

  it('seattle weather through the seasons: temperature drifts against a winter reference, alerts once per shift', () => {
    const t = shippedTable('seattle-weather.csv');
    const rows = all(t.rowCount);
    const { windows } = makeWindows(t, rows, { by: 'time', column: 'date', unit: 'month', mode: 'sliding' });
    const jan = windows[0]!; // January 2012 as the reference
    const cols = driftColumnsFromSchema(inferSchema(t, 'weather')).filter(
      (c) => c.name === 'temp_max' || c.name === 'wind',
    );
    const tl = driftTimeline({ table: t, rows: jan.rows }, t, windows.slice(0, 13), cols);
    const ks = tl.map((p) => p.report.features.find((f) => f.feature === 'temp_max')!.statistic);
    expect(ks[0]).toBe(0); // January against itself
    expect(Math.max(...ks.slice(5, 9))).toBeGreaterThan(0.9); // summer
    expect(ks[12]).toBeLessThan(0.5); // January 2013 looks like January 2012 again
    const rules: AlertRule[] = [
      {
        name: 'temp shift',
        metric: 'psi',
        feature: 'temp_max',
        op: '>',
        threshold: 0.25,
        severity: 'critical',
        cooldown: 2,
      },
    ];
    const alerts = evaluateAlerts(tl, rules);
    // One continuous shift (spring → autumn) raises one alert, not one per month.
    expect(alerts.length).toBe(1);
    expect(alerts[0]!.label).toMatch(/^2012-0[2-5]$/);
    // A rule on a stable-ish feature with a low bar, no cooldown: fires on each new crossing only.
    const noisy = evaluateAlerts(tl, [
      { name: 'wind', metric: 'ks', feature: 'wind', op: '>', threshold: 0.0, severity: 'info', cooldown: 0 },
    ]);
    expect(noisy.length).toBe(1); // true in every window after the first: still one alert
  });
});
