/**
 * Where the person is in the app, as the address's hash: `#/data`, `#/train`, `#/runs`,
 * `#/run/<id>/<tab>`, `#/registry`, `#/registry/card/<version id>`, `#/lessons`, `#/lessons/<id>`.
 * Lesson links (`#lesson=…`) and setup links (`#setup=…`) keep their own format and open the Lessons
 * and Train views. Pure: parsing and formatting only; `navigation.svelte.ts` follows the address.
 */

export const VIEWS = ['data', 'train', 'runs', 'run', 'registry', 'lessons'] as const;
export type ViewName = (typeof VIEWS)[number];

export const RUN_TABS = [
  'overview',
  'evaluate',
  'calibrate',
  'compress',
  'cloud',
  'rehearse',
  'monitor',
  'batch',
] as const;
export type RunTab = (typeof RUN_TABS)[number];

export const RUN_TAB_LABELS: Readonly<Record<RunTab, string>> = Object.freeze({
  overview: 'Overview',
  evaluate: 'Evaluate',
  calibrate: 'Calibrate',
  compress: 'Compress',
  cloud: 'Compare with cloud',
  rehearse: 'Rehearse',
  monitor: 'Monitor',
  batch: 'Batch vs online',
});

export const VIEW_LABELS: Readonly<Record<ViewName, string>> = Object.freeze({
  data: 'Data',
  train: 'Train',
  runs: 'Runs',
  run: 'Run',
  registry: 'Registry',
  lessons: 'Lessons',
});

export type Route =
  | { view: 'data' | 'train' | 'runs' }
  | { view: 'run'; runId: string | null; tab: RunTab }
  | { view: 'registry'; card: string | null }
  | { view: 'lessons'; lesson: string | null; link: string | null }
  /** A setup link: applied by the app, which then shows Train. */
  | { view: 'train'; setup: string };

export const DEFAULT_ROUTE: Route = Object.freeze({ view: 'data' });

const decode = (s: string | undefined): string | null => {
  if (!s) return null;
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
};

/** The route an address's hash names; anything unknown is the default view. */
export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#/, '');
  if (h.startsWith('lesson=')) {
    const id = new URLSearchParams(h).get('lesson');
    return { view: 'lessons', lesson: id, link: `#${h}` };
  }
  if (h.startsWith('setup=')) return { view: 'train', setup: `#${h}` };
  if (h === 'lessons') return { view: 'lessons', lesson: null, link: null };
  const parts = h.replace(/^\/+/, '').split('/');
  const [view, a, b] = parts;
  switch (view) {
    case 'data':
    case 'train':
    case 'runs':
      return { view };
    case 'run': {
      const tab = RUN_TABS.find((t) => t === b) ?? 'overview';
      return { view: 'run', runId: decode(a), tab };
    }
    case 'registry':
      return { view: 'registry', card: a === 'card' ? decode(b) : null };
    case 'lessons':
      return { view: 'lessons', lesson: decode(a), link: null };
    default:
      return DEFAULT_ROUTE;
  }
}

/** The hash for a route (`parseRoute(formatRoute(r))` gives `r` back). */
export function formatRoute(route: Route): string {
  switch (route.view) {
    case 'run':
      return route.runId === null
        ? '#/run'
        : `#/run/${encodeURIComponent(route.runId)}${route.tab === 'overview' ? '' : `/${route.tab}`}`;
    case 'registry':
      return route.card ? `#/registry/card/${encodeURIComponent(route.card)}` : '#/registry';
    case 'lessons':
      if (route.link) return route.link;
      return route.lesson ? `#/lessons/${encodeURIComponent(route.lesson)}` : '#/lessons';
    default:
      return 'setup' in route ? route.setup : `#/${route.view}`;
  }
}

/** The hash of a run's tab. */
export const runHash = (runId: string, tab: RunTab = 'overview'): string => formatRoute({ view: 'run', runId, tab });
