import type { TickrClient } from '../api-client';

/**
 * Where store actions get the API from. main.tsx points it at the real transport (getApi); unit
 * tests point it at a fake, so the store runs in Node without a window, a bridge or a server.
 * A function rather than a client, so the transport is still picked on first use.
 */
let source: (() => TickrClient) | null = null;

export function setApiSource(next: () => TickrClient): void {
  source = next;
}

export function currentApi(): TickrClient {
  if (source === null) throw new Error('no API source: main.tsx calls setApiSource() before the first load');
  return source();
}
