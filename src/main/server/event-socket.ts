import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import type { ApiHandler } from '../api/types';
import { EVENTS_PROTOCOL, type EventMessage } from '../../shared/contract';
import type { ErrorCode } from '../../shared/errors';
import { FOREIGN_ORIGIN_MESSAGE, originAllowed, tokensEqual, webSocketCredentials } from './auth';
import { rejectUpgrade } from './responses';
import { describeError, type ServerLog } from './server-log';

/**
 * Engine events over a WebSocket at `/api/events`: every message the ApiHandler's subscription
 * delivers goes to every connected client as JSON text. Clients only listen; they authenticate
 * on the upgrade by offering the subprotocols `tickr` and `bearer.<token>` (a browser cannot set
 * an Authorization header on a WebSocket), and the server selects `tickr`.
 */

export const EVENTS_PATH = '/api/events';
/** A client this far behind is not keeping up; buffering more would grow memory without bound. */
export const MAX_WS_BUFFERED_BYTES = 4 * 1024 * 1024;
const WS_PING_INTERVAL_MS = 30_000;
/** Clients never send anything meaningful; a small cap stops them from making us buffer much. */
const WS_MAX_INCOMING_BYTES = 64 * 1024;
/** WebSocket close code "try again later", used for slow consumers. */
const WS_CLOSE_TRY_AGAIN_LATER = 1013;

export interface EventSocketOptions {
  api: ApiHandler;
  token: string;
  log: ServerLog;
}

export interface EventSocket {
  /** Takes over an upgrade already routed to EVENTS_PATH: checks Origin, token and offer, then shakes hands. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Stops the keepalive and cuts every client; their subscriptions end with them. */
  close(): void;
}

interface Refusal {
  status: number;
  code: ErrorCode;
  message: string;
}

/**
 * Why an upgrade is refused, or null to let it through. The Origin comes first and the token
 * before the protocol offer, so a caller without the token learns nothing about the rest.
 */
function refusal(req: IncomingMessage, token: string): Refusal | null {
  if (!originAllowed(req.headers)) return { status: 403, code: 'FORBIDDEN', message: FOREIGN_ORIGIN_MESSAGE };
  const offer = webSocketCredentials(req.url ?? '/', req.headers);
  if (offer.tokenInUrl) {
    return {
      status: 401,
      code: 'UNAUTHORIZED',
      message:
        'token in the URL refused (URLs end up in logs and history): ' +
        `offer it as the subprotocols "${EVENTS_PROTOCOL}", "bearer.<token>"`,
    };
  }
  if (!offer.tokens.some((t) => tokensEqual(t, token))) {
    return { status: 401, code: 'UNAUTHORIZED', message: 'missing or invalid token' };
  }
  if (!offer.offersProtocol) {
    // Selecting nothing would fail the client's side of the handshake (browsers and ws alike), and
    // selecting bearer.<token> would echo the token: say what to offer instead.
    return {
      status: 400,
      code: 'BAD_INPUT',
      message:
        `subprotocols: offer "${EVENTS_PROTOCOL}" beside "bearer.<token>"; ` +
        `the server selects "${EVENTS_PROTOCOL}" and never echoes the token`,
    };
  }
  return null;
}

export function createEventSocket({ api, token, log }: EventSocketOptions): EventSocket {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: WS_MAX_INCOMING_BYTES,
    perMessageDeflate: false,
    // Never the bearer protocol, which would echo the token. refusal() already turned away an
    // offer without "tickr", so the false (select none) is only a fallback that echoes nothing.
    handleProtocols: (protocols: Set<string>) => (protocols.has(EVENTS_PROTOCOL) ? EVENTS_PROTOCOL : false),
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
      const refused = refusal(req, token);
      if (refused !== null) return rejectUpgrade(socket, refused.status, refused.code, refused.message);
      wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
    },
    close() {
      clearInterval(pingTimer);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
