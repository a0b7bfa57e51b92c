/**
 * Writes a route's fragment into the address bar. Apart from the slice so that the store can be
 * built (and its actions run) in Node, where there is no window.
 */
export function writeHash(hash: string, { replace }: { replace: boolean }): void {
  if (typeof window === 'undefined' || window.location.hash === hash) return;
  // replaceState fires no hashchange; the route slice has already been set by the caller.
  if (replace) window.history.replaceState(window.history.state, '', hash);
  else window.location.hash = hash;
}
