import {
  EVENT_NAMES,
  EVENTS_BEARER_PREFIX,
  EVENTS_PROTOCOL,
  type EventMessage,
  type MethodName,
} from '../../shared/contract';
import type { TickrBridge, TickrEventListener } from '../../preload/api';
import { ApiError, buildApi, fromBridgeError, isResult, UNREACHABLE, unwrap } from './api-core';

/**
 * Picks the transport once: `window.tickr` inside the desktop app, HTTP + WebSocket in a browser
 * served by `tickr serve`. Both give the same TickrClient, and both reject with an ApiError.
 */

export type TickrClient = TickrBridge;
export { ApiError };

const TOKEN_KEY = 'tickr.token';

/**
 * The API token: taken from the `#token=…` fragment (which browsers never send to a server),
 * kept in sessionStorage for reloads, and removed from the address bar so it does not end up in
 * history, bookmarks or screenshots.
 */
export function takeToken(loc: Location = window.location, history: History = window.history): string | null {
  const params = new URLSearchParams(loc.hash.replace(/^#/, ''));
  const fromFragment = params.get('token');
  if (fromFragment !== null && fromFragment !== '') {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromFragment);
    } catch {
      // Storage can be disabled; the token then lasts until the page is reloaded.
    }
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', `${loc.pathname}${loc.search}${rest === '' ? '' : `#${rest}`}`);
    return fromFragment;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** Errors crossing the context bridge lose their `code`; put it back (see api-core.ts). */
function fromBridge(bridge: TickrBridge): TickrClient {
  const call = async (method: MethodName, input: unknown): Promise<unknown> => {
    const invoke = bridge[method] as (input: unknown) => Promise<unknown>;
    try {
      return await invoke(input);
    } catch (err) {
      throw fromBridgeError(err);
    }
  };
  return { ...buildApi(call), onEvent: (listener) => bridge.onEvent(listener) };
}

const EVENT_NAME_SET: ReadonlySet<string> = new Set<string>(EVENT_NAMES);

function parseEventMessage(raw: unknown): EventMessage | null {
  if (typeof raw !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { event } = value as { event?: unknown };
  return typeof event === 'string' && EVENT_NAME_SET.has(event) && 'data' in value ? (value as EventMessage) : null;
}

const reconnectListeners = new Set<() => void>();

/**
 * Calls `listener` each time the event stream opens again after it was lost: events sent
 * meanwhile are gone, so a view re-reads what it shows. Returns the unsubscribe function.
 */
export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/**
 * One WebSocket shared by every listener, opened on the first subscription and closed after the
 * last one leaves; it reconnects with backoff while anyone is listening.
 */
function eventStream(url: string, protocols: string[]): (listener: TickrEventListener) => () => void {
  const listeners = new Set<TickrEventListener>();
  let socket: WebSocket | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryMs = RETRY_MIN_MS;
  let openedBefore = false;

  function connect(): void {
    retryTimer = null;
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, protocols);
    } catch {
      // A token that cannot be a subprotocol (SyntaxError) is not the server's token, whose
      // characters the config restricts; the API calls report it refused, and retrying cannot help.
      return;
    }
    socket = ws;
    ws.onopen = () => {
      retryMs = RETRY_MIN_MS;
      if (openedBefore) for (const listener of [...reconnectListeners]) listener();
      openedBefore = true;
    };
    ws.onmessage = (event: MessageEvent) => {
      const message = parseEventMessage(event.data);
      if (message === null) return;
      for (const listener of [...listeners]) listener(message);
    };
    ws.onclose = () => {
      if (socket === ws) socket = null;
      if (listeners.size === 0 || retryTimer !== null) return;
      retryTimer = setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    };
  }

  return (listener) => {
    listeners.add(listener);
    if (socket === null && retryTimer === null) connect();
    return () => {
      listeners.delete(listener);
      if (listeners.size > 0) return;
      if (retryTimer !== null) clearTimeout(retryTimer);
      retryTimer = null;
      const ws = socket;
      socket = null;
      ws?.close();
    };
  };
}

/** The browser client: `POST /api/<method>` with a bearer token, events over `/api/events`. */
export function createHttpClient(token: string | null, loc: Location = window.location): TickrClient {
  const call = async (method: MethodName, input: unknown): Promise<unknown> => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (token !== null) headers['Authorization'] = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(`/api/${method}`, { method: 'POST', headers, body: JSON.stringify(input) });
    } catch (err) {
      throw new ApiError(
        UNREACHABLE,
        `cannot reach the Tickr server (${err instanceof Error ? err.message : String(err)})`,
      );
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    if (!isResult(body))
      throw new ApiError(UNREACHABLE, `the server answered HTTP ${response.status} without a result envelope`);
    return unwrap(body);
  };

  // The token travels as a subprotocol, never in the URL, where it would end up in logs and history.
  const wsProtocol = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  const protocols = token === null ? [] : [EVENTS_PROTOCOL, `${EVENTS_BEARER_PREFIX}${token}`];
  return { ...buildApi(call), onEvent: eventStream(`${wsProtocol}//${loc.host}/api/events`, protocols) };
}

let client: TickrClient | null = null;
/** The browser's token, taken once (takeToken rewrites the address bar); undefined until then. */
let browserToken: string | null | undefined;

function theBrowserToken(): string | null {
  if (browserToken === undefined) browserToken = takeToken();
  return browserToken;
}

export function getApi(): TickrClient {
  client ??= window.tickr !== undefined ? fromBridge(window.tickr) : createHttpClient(theBrowserToken());
  return client;
}

/** True in a browser that has no API token: neither a `#token=` fragment nor one kept from before. */
export function tokenMissing(): boolean {
  return window.tickr === undefined && theBrowserToken() === null;
}
