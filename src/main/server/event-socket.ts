import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import type { ApiHandler } from '../api/types';
import type { EventMessage } from '../../shared/contract';
import { tokensEqual, webSocketTokens, WS_BEARER_PREFIX } from './auth';
import { rejectUpgrade } from './responses';
import { describeError, type ServerLog } from './server-log';

/**
 * Engine events over a WebSocket at `/api/events`: every message the ApiHandler's subscription
 * delivers goes to every connected client as JSON text. Clients only listen; they authenticate
 * on the upgrade, because browsers cannot set headers on a WebSocket afterwards.
 */

export const EVENTS_PATH = '/api/events';
/** A client this far behind is not keeping up; buffering more would grow memory without bound. */
export const MAX_WS_BUFFERED_BYTES = 4 * 1024 * 1024;
const WS_PING_INTERVAL_MS = 30_000;
/** Clients never send anything meaningful; a small cap stops them from making us buffer much. */
const WS_MAX_INCOMING_BYTES = 64 * 1024;
/** WebSocket close code "try again later", used for slow consumers. */
const WS_CLOSE_TRY_AGAIN_LATER = 1013;
/** Subprotocol a browser client may offer beside `bearer.<token>`, so the server can select it rather than echo the token. */
const WS_PROTOCOL = 'tickr';

export interface EventSocketOptions {
  api: ApiHandler;
  token: string;
  log: ServerLog;
}

export interface EventSocket {
  /** Takes over an upgrade already routed to EVENTS_PATH: checks the token, then completes the handshake. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Stops the keepalive and cuts every client; their subscriptions end with them. */
  close(): void;
}

export function createEventSocket({ api, token, log }: EventSocketOptions): EventSocket {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: WS_MAX_INCOMING_BYTES,
    perMessageDeflate: false,
    // A browser that offers subprotocols fails the connection unless one is selected. Prefer
    // "tickr" so the token is not echoed; fall back to the bearer protocol for clients that only
    // offer that.
    handleProtocols: (protocols: Set<string>) => {
      if (protocols.has(WS_PROTOCOL)) return WS_PROTOCOL;
      for (const p of protocols) if (p.startsWith(WS_BEARER_PREFIX)) return p;
      return false;
    },
  });
  const alive = new WeakMap<WebSocket, boolean>();

  function onConnection(ws: WebSocket): void {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('error', (err) => log(`ws: client error ${describeError(err)}`));
    // Clients have nothing to say; incoming messages are ignored.
    ws.on('message', () => undefined);

    let unsubscribe: (() => void) | null = null;
    const stop = (): void => {
      const u = unsubscribe;
      unsubscribe = null;
      u?.();
    };
    ws.on('close', stop);

    const listener = (message: EventMessage): void => {
      // The engine calls listeners synchronously: nothing here may throw back into it.
      if (ws.readyState !== WebSocket.OPEN) return;
      if (ws.bufferedAmount > MAX_WS_BUFFERED_BYTES) {
        log('ws: dropping a slow client');
        stop();
        ws.close(WS_CLOSE_TRY_AGAIN_LATER, 'slow consumer');
        return;
      }
      let text: string;
      try {
        text = JSON.stringify(message);
      } catch (err) {
        log(`ws: cannot serialize ${message.event}: ${describeError(err)}`);
        return;
      }
      ws.send(text, (err) => {
        if (err) log(`ws: send failed ${describeError(err)}`);
      });
    };
    try {
      unsubscribe = api.subscribe(listener);
    } catch (err) {
      log(`ws: subscribe failed ${describeError(err)}`);
      ws.close(1011, 'internal error');
      return;
    }
    // The socket may have closed while subscribing; then 'close' already ran with nothing to undo.
    if (ws.readyState !== WebSocket.OPEN) stop();
  }

  // A client that misses a ping round is gone (sleeping laptop, dropped network): free it.
  const pingTimer = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, WS_PING_INTERVAL_MS);
  pingTimer.unref();

  return {
    handleUpgrade(req, socket, head) {
      const authorized = webSocketTokens(req.url ?? '/', req.headers).some((t) => tokensEqual(t, token));
      if (!authorized) return rejectUpgrade(socket, 401, 'UNAUTHORIZED', 'missing or invalid token');
      wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
    },
    close() {
      clearInterval(pingTimer);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
