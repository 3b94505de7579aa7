import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, RUN_TABS, type Route } from './route.ts';

describe('routes', () => {
  it('round-trips every view and tab', () => {
    const routes: Route[] = [
      { view: 'data' },
      { view: 'train' },
      { view: 'runs' },
      { view: 'registry', card: null },
      { view: 'registry', card: 'v 1/2' },
      { view: 'lessons', lesson: null, link: null },
      { view: 'lessons', lesson: 'calibration', link: null },
      ...RUN_TABS.map((tab) => ({ view: 'run' as const, runId: 'run-1', tab })),
    ];
    for (const r of routes) expect(parseRoute(formatRoute(r))).toEqual(r);
  });
  it('keeps lesson and setup links as they are', () => {
    expect(parseRoute('#lesson=drift&shift=2&run=1')).toEqual({
      view: 'lessons',
      lesson: 'drift',
      link: '#lesson=drift&shift=2&run=1',
    });
    expect(parseRoute('#lessons')).toEqual({ view: 'lessons', lesson: null, link: null });
    expect(parseRoute('#setup=abc&train=1')).toEqual({ view: 'train', setup: '#setup=abc&train=1' });
  });
  it('falls back to the data view, and to the overview of a run', () => {
    expect(parseRoute('')).toEqual({ view: 'data' });
    expect(parseRoute('#/nowhere')).toEqual({ view: 'data' });
    expect(parseRoute('#/run/x/bogus')).toEqual({ view: 'run', runId: 'x', tab: 'overview' });
    expect(parseRoute('#/run/%E0%A4%A')).toEqual({ view: 'run', runId: null, tab: 'overview' });
  });
});
