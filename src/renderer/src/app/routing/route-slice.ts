import type { StateCreator } from 'zustand';
import type { Store } from '../store';
import { writeHash } from './address-bar';
import { HOME, routeHash, sameRoute, type Route } from './routes';

/**
 * Where the page is. The address bar is the source: router.ts sets `route` from the fragment at
 * start and on every hashchange; `navigate` sets it at once and writes the fragment, whose
 * hashchange then finds the route already in place.
 */
export interface RouteSlice {
  route: Route;
  /** Shows `route` and records it in the URL: a new history entry, or with `replace` the current one. */
  navigate: (route: Route, options?: { replace?: boolean }) => void;
}

export const createRouteSlice: StateCreator<Store, [], [], RouteSlice> = (set, get) => ({
  route: HOME,
  navigate: (route, { replace = false } = {}) => {
    if (!sameRoute(route, get().route)) set({ route });
    writeHash(routeHash(route), { replace });
  },
});
