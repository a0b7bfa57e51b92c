import type { JobFilter } from '../../../../shared/schemas';
import { filterToParams, isEmptyFilter, paramsToFilter, sameFilter } from './job-filter-params';

/**
 * The page's routes and their place in the URL: `#/<view>`, `#/jobs/<id>` (or `#/tasks/<id>`)
 * for one item, and `#/jobs?<filter>` for a filtered history. Pure, so the rules are unit-tested
 * without a window; router.ts applies them.
 */

/** The views, in the sidebar's order. */
export const VIEWS = ['dashboard', 'tasks', 'queues', 'jobs', 'events', 'diagnostics', 'settings'] as const;
export type ViewName = (typeof VIEWS)[number];

export const VIEW_TITLES: Record<ViewName, string> = {
  dashboard: 'Dashboard',
  tasks: 'Tasks',
  queues: 'Queues',
  jobs: 'Jobs',
  events: 'Events',
  diagnostics: 'Diagnostics',
  settings: 'Settings',
};

/** A view and, for Jobs and Tasks, the item it shows; `id` is null for the view alone. */
export interface Route {
  view: ViewName;
  id: string | null;
  /** A job's log line to scroll to (`#/jobs/<id>/line/<n>`, 1-based); absent for the job alone. */
  line?: number;
  /** The history's filter (`#/jobs?task=3&status=failed`), on the Jobs view alone; absent for none. */
  filter?: JobFilter;
}

export const HOME: Route = { view: 'dashboard', id: null };

/** The views whose route can name one item: a job to select, a task to edit (reserved until the editor exists). */
const ITEM_VIEWS: ReadonlySet<ViewName> = new Set<ViewName>(['jobs', 'tasks']);
const VIEW_SET: ReadonlySet<string> = new Set<string>(VIEWS);

/** Ids travel as strings (DESIGN §4); these are the characters they are made of. */
const ITEM_ID = /^[\w-]+$/;

export function routeHash(route: Route): string {
  if (route.id === null) {
    const query = route.view === 'jobs' ? filterToParams(route.filter ?? {}) : '';
    return query === '' ? `#/${route.view}` : `#/${route.view}?${query}`;
  }
  const item = `#/${route.view}/${encodeURIComponent(route.id)}`;
  return route.line === undefined ? item : `${item}/line/${route.line}`;
}

export function sameRoute(a: Route, b: Route): boolean {
  return a.view === b.view && a.id === b.id && a.line === b.line && sameFilter(a.filter, b.filter);
}

/** A log line number as the URL writes it: 1-based, digits only, at most a billion. */
const LINE_NUMBER = /^[1-9]\d{0,8}$/;

/** What a fragment shows, and the fragment to put in its place when the address bar should say otherwise. */
export interface HashReading {
  route: Route;
  /** The canonical fragment to replace the current one with, or null to leave the address bar alone. */
  replaceWith: string | null;
}

/**
 * Reads a `location.hash`. The router owns only fragments that start with `#/`: an empty one is the
 * Dashboard, left empty; any other (the `#token=…` the browser client takes, an in-page anchor) shows
 * the Dashboard too but is never rewritten, so routing cannot erase a token not taken yet. An
 * unknown `#/…` route falls back to the Dashboard and says so in the address bar.
 */
export function readHash(hash: string): HashReading {
  if (!hash.startsWith('#/')) return { route: HOME, replaceWith: null };
  const [path = '', query] = splitQuery(hash.slice(2));
  const route = parseRoutePath(path);
  if (route === null) return { route: HOME, replaceWith: routeHash(HOME) };
  // Only the history takes a query; elsewhere it is dropped (and the address bar says so).
  if (query !== undefined && route.view === 'jobs' && route.id === null) {
    const filter = paramsToFilter(query);
    if (!isEmptyFilter(filter)) route.filter = filter;
  }
  const canonical = routeHash(route);
  return { route, replaceWith: canonical === hash ? null : canonical };
}

/** `jobs?task=3` → [`jobs`, `task=3`]; the query is undefined when there is no `?`. */
function splitQuery(pathAndQuery: string): [string, string | undefined] {
  const at = pathAndQuery.indexOf('?');
  return at < 0 ? [pathAndQuery, undefined] : [pathAndQuery.slice(0, at), pathAndQuery.slice(at + 1)];
}

/** `jobs/12` → the Jobs view with job 12, `jobs/12/line/40` → its log at line 40; null for a path that names no route. */
function parseRoutePath(path: string): Route | null {
  const [view, encodedId, ...rest] = path.replace(/\/$/, '').split('/');
  if (view === undefined || !VIEW_SET.has(view)) return null;
  const line = parseLineSuffix(view, rest);
  if (line === null) return null;
  const name = view as ViewName;
  if (encodedId === undefined) return { view: name, id: null };
  if (!ITEM_VIEWS.has(name)) return null;
  let id: string;
  try {
    id = decodeURIComponent(encodedId);
  } catch {
    return null;
  }
  if (!ITEM_ID.test(id)) return null;
  return line === undefined ? { view: name, id } : { view: name, id, line };
}

/** The rest of a path after `<view>/<id>`: nothing, or `line/<n>` on a job; null when it names nothing. */
function parseLineSuffix(view: string, rest: readonly string[]): number | undefined | null {
  if (rest.length === 0) return undefined;
  const [word, digits] = rest;
  if (view !== 'jobs' || rest.length !== 2 || word !== 'line' || digits === undefined || !LINE_NUMBER.test(digits))
    return null;
  return Number(digits);
}
