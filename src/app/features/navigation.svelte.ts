import { DEFAULT_ROUTE, formatRoute, parseRoute, type Route } from '../route.ts';

/**
 * Which view is shown: follows the address's hash, so each view has its own URL, links work, and the
 * browser's back and forward move between views. Changing the view changes the address (a new history
 * entry), never the other way round only.
 */
export class Navigation {
  route = $state<Route>(DEFAULT_ROUTE);

  constructor() {
    if (typeof location === 'undefined') return;
    this.route = parseRoute(location.hash);
    const follow = () => (this.route = parseRoute(location.hash));
    addEventListener('hashchange', follow);
    addEventListener('popstate', follow);
  }

  /** Shows a view (and records it in the history, unless `replace`). */
  go(route: Route, replace = false): void {
    this.route = route;
    if (typeof location === 'undefined') return;
    const hash = formatRoute(route);
    if (location.hash === hash) return;
    if (replace) history.replaceState(history.state, '', hash);
    else location.hash = hash;
  }

  /** The href of a route, for links. */
  href(route: Route): string {
    return formatRoute(route);
  }
}
