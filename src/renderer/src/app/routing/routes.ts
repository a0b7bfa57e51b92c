/**
 * The page's routes and their place in the URL: `#/<view>`, and `#/jobs/<id>` (or `#/tasks/<id>`)
 * for one item. Pure, so the rules are unit-tested without a window; router.ts applies them.
 */

/** The views, in the sidebar's order. */
export const VIEWS = ['dashboard', 'tasks', 'queues', 'jobs', 'events', 'settings'] as const;
export type ViewName = (typeof VIEWS)[number];

export const VIEW_TITLES: Record<ViewName, string> = {
  dashboard: 'Dashboard',
  tasks: 'Tasks',
  queues: 'Queues',
  jobs: 'Jobs',
  events: 'Events',
  settings: 'Settings',
};

/** A view and, for Jobs (and later Tasks), the item it shows; `id` is null for the view alone. */
export interface Route {
  view: ViewName;
  id: string | null;
}

export const HOME: Route = { view: 'dashboard', id: null };

/** The views whose route can name one item: a job to select, a task to edit (reserved until the editor exists). */
const ITEM_VIEWS: ReadonlySet<ViewName> = new Set<ViewName>(['jobs', 'tasks']);
const VIEW_SET: ReadonlySet<string> = new Set<string>(VIEWS);

/** Ids travel as strings (DESIGN §4); these are the characters they are made of. */
const ITEM_ID = /^[\w-]+$/;

export function routeHash(route: Route): string {
  return route.id === null ? `#/${route.view}` : `#/${route.view}/${encodeURIComponent(route.id)}`;
}

export function sameRoute(a: Route, b: Route): boolean {
  return a.view === b.view && a.id === b.id;
}

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
  const route = parseRoutePath(hash.slice(2));
  if (route === null) return { route: HOME, replaceWith: routeHash(HOME) };
  const canonical = routeHash(route);
  return { route, replaceWith: canonical === hash ? null : canonical };
}

/** `jobs/12` → the Jobs view with job 12; null for a path that names no route. */
function parseRoutePath(path: string): Route | null {
  const [view, encodedId, ...rest] = path.replace(/\/$/, '').split('/');
  if (view === undefined || !VIEW_SET.has(view) || rest.length > 0) return null;
  const name = view as ViewName;
  if (encodedId === undefined) return { view: name, id: null };
  if (!ITEM_VIEWS.has(name)) return null;
  let id: string;
  try {
    id = decodeURIComponent(encodedId);
  } catch {
    return null;
  }
  return ITEM_ID.test(id) ? { view: name, id } : null;
}
