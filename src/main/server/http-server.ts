import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import type { ApiHandler } from '../api/types';
import { isMethodName, type EventMessage, type Result } from '../../shared/contract';
import { ERROR_CODES } from '../../shared/errors';
import { bearerToken, createHostCheck, tokensEqual, webSocketTokens, WS_BEARER_PREFIX } from './auth';
import { createStaticFiles, type StaticFiles } from './static-files';

/**
 * The headless node's transport: the API contract over HTTP (`POST /api/<method>`), engine
 * events over a WebSocket (`/api/events`), and the renderer build as static files. It knows
 * nothing of the engine: everything goes through an ApiHandler, which also validates input.
 */

export interface HttpServerOptions {
  api: ApiHandler;
  host: string;
  /** 0 picks an ephemeral port. */
  port: number;
  token: string;
  /** Directory of the renderer build, or null to serve the API only. */
  staticDir: string | null;
  log?: (line: string) => void;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** A client this far behind is not keeping up; buffering more would grow memory without bound. */
export const MAX_WS_BUFFERED_BYTES = 4 * 1024 * 1024;
const WS_PING_INTERVAL_MS = 30_000;
/** Clients never send anything meaningful; a small cap stops them from making us buffer much. */
const WS_MAX_INCOMING_BYTES = 64 * 1024;
/** How long close() lets in-flight requests finish before cutting their connections. */
const CLOSE_GRACE_MS = 3_000;
/** How long a client that sent an oversized body may keep sending before its connection is cut. */
const OVERSIZE_DRAIN_MS = 5_000;
/** WebSocket close code "try again later", used for slow consumers. */
const WS_CLOSE_TRY_AGAIN_LATER = 1013;
/** Subprotocol a browser client may offer beside `bearer.<token>`, so the server can select it rather than echo the token. */
const WS_PROTOCOL = 'tickr';

const JSON_TYPE = 'application/json; charset=utf-8';
const API_PREFIX = '/api/';
const EVENTS_PATH = '/api/events';
/** Method names are `area.verb`; anything else is not worth a lookup or an echo in a message. */
const METHOD_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;

type ErrorBody = { ok: false; error: { code: string; message: string } };

function errorBody(code: string, message: string): ErrorBody {
  return { ok: false, error: { code, message } };
}

/** HTTP status for an error code of the contract; codes it does not know are server faults. */
export function statusForCode(code: string): number {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, code) ? ERROR_CODES[code as keyof typeof ERROR_CODES] : 500;
}

function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  // Nothing here is meant to be framed; refuse clickjacking in browsers that ignore CSP.
  res.setHeader('X-Frame-Options', 'DENY');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', JSON_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, errorBody(code, message), headers);
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

type BodyResult = { kind: 'ok'; bytes: Buffer } | { kind: 'too-large' } | { kind: 'aborted' };

/**
 * Reads the request body up to `limit` bytes. It stops keeping data at the limit, so an
 * oversized body never sits in memory; the caller answers 413 and the rest is discarded.
 */
function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        settle({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => settle({ kind: 'ok', bytes: Buffer.concat(chunks) }));
    req.on('aborted', () => settle({ kind: 'aborted' }));
    req.on('error', () => settle({ kind: 'aborted' }));
    req.on('close', () => settle({ kind: 'aborted' }));
  });
}

type ParsedBody = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

function parseBody(bytes: Buffer): ParsedBody {
  let text: string;
  try {
    // Invalid UTF-8 is not JSON text either; a lenient decode would hand the API replacement characters.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, message: 'body: not valid JSON' };
  }
  // An empty body means "no parameters", which is how parameterless methods are usually called.
  if (text.trim() === '') return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'body: not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'body: must be a JSON object' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { ok?: unknown; error?: unknown };
  if (r.ok === true) return true;
  if (r.ok !== false || typeof r.error !== 'object' || r.error === null) return false;
  const e = r.error as { code?: unknown; message?: unknown };
  return typeof e.code === 'string' && typeof e.message === 'string';
}

/** Writes a bare HTTP answer on a socket whose upgrade is refused, then closes it. */
function rejectUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify(errorBody(code, message));
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    `Content-Type: ${JSON_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'X-Content-Type-Options: nosniff',
    'Referrer-Policy: no-referrer',
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

function urlHost(host: string): string {
  // A wildcard bind is reachable on loopback; a URL needs a concrete address.
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { api, token } = options;
  const log = options.log ?? (() => undefined);
  if (token.length === 0) throw new Error('startHttpServer: token must not be empty');

  const hostAllowed = createHostCheck(options.host);
  const staticFiles: StaticFiles | null = options.staticDir === null ? null : createStaticFiles(options.staticDir);
  let closing = false;

  async function handleApi(req: IncomingMessage, res: ServerResponse, urlPath: string): Promise<void> {
    const name = urlPath.startsWith(API_PREFIX) ? urlPath.slice(API_PREFIX.length) : '';
    const allow = { Allow: 'POST, OPTIONS' };

    // Same-origin only: the preflight is answered, but without Access-Control-Allow-Origin,
    // so a browser on another origin never gets to send the real request.
    if (req.method === 'OPTIONS') {
      res.statusCode = 204;
      res.setHeader('Allow', allow.Allow);
      res.end();
      return;
    }
    if (urlPath === EVENTS_PATH) {
      sendError(res, 426, 'BAD_INPUT', 'events: connect with a WebSocket upgrade', { Upgrade: 'websocket' });
      return;
    }
    if (req.method !== 'POST') {
      sendError(res, 405, 'BAD_INPUT', `method not allowed: use POST`, allow);
      return;
    }
    // Authenticate before looking at the method name or the body, so an anonymous caller learns nothing.
    const presented = bearerToken(req.headers.authorization);
    if (presented === null || !tokensEqual(presented, token)) {
      sendError(res, 401, 'UNAUTHORIZED', 'missing or invalid token', { 'WWW-Authenticate': 'Bearer' });
      return;
    }
    if (!METHOD_NAME_PATTERN.test(name) || !isMethodName(name)) {
      const shown = METHOD_NAME_PATTERN.test(name) ? `: ${name}` : '';
      sendError(res, 404, 'UNKNOWN_METHOD', `unknown method${shown}`);
      return;
    }

    const body = await readBody(req, MAX_BODY_BYTES);
    if (body.kind === 'aborted') {
      res.destroy();
      return;
    }
    if (body.kind === 'too-large') {
      rejectOversized(req, res);
      return;
    }
    const parsed = parseBody(body.bytes);
    if (!parsed.ok) {
      sendError(res, 400, 'BAD_INPUT', parsed.message);
      return;
    }

    let result: unknown;
    try {
      result = await api.call(name, parsed.value);
    } catch (err) {
      // A throw is a bug behind the API; the caller gets a generic message, the log the detail.
      log(`http: ${name} threw ${describeError(err)}`);
      sendError(res, 500, 'INTERNAL', 'internal error');
      return;
    }
    if (!isResult(result)) {
      log(`http: ${name} returned something that is not a result envelope`);
      sendError(res, 500, 'INTERNAL', 'internal error');
      return;
    }
    if (!result.ok) {
      sendError(res, statusForCode(result.error.code), result.error.code, result.error.message);
      return;
    }
    let text: string;
    try {
      // `data: undefined` would vanish from the JSON; null keeps the envelope's shape.
      text = JSON.stringify({ ok: true, data: result.data ?? null });
    } catch (err) {
      log(`http: ${name} returned data that cannot be serialized: ${describeError(err)}`);
      sendError(res, 500, 'INTERNAL', 'internal error');
      return;
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', JSON_TYPE);
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.end(text);
  }

  /**
   * Answers 413 and discards the rest of the body. Cutting the connection at once would make the
   * client's TCP stack reset it while it is still sending, and it would often see a reset rather
   * than our answer; so it may finish sending for a while (into the void), then is cut off.
   */
  function rejectOversized(req: IncomingMessage, res: ServerResponse): void {
    sendError(res, 413, 'BAD_INPUT', `body: larger than ${MAX_BODY_BYTES} bytes`, { Connection: 'close' });
    if (req.complete) return;
    const timer = setTimeout(() => req.socket.destroy(), OVERSIZE_DRAIN_MS);
    timer.unref();
    req.on('end', () => clearTimeout(timer));
    req.on('close', () => clearTimeout(timer));
    req.resume();
  }

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    if (!hostAllowed(req.headers.host)) {
      sendError(res, 421, 'BAD_INPUT', 'host not allowed');
      return;
    }
    const url = req.url ?? '/';
    // Only origin-form targets ("/path"); absolute-form and "*" have no business here.
    if (!url.startsWith('/')) {
      sendError(res, 400, 'BAD_INPUT', 'bad request target');
      return;
    }
    if (closing) {
      sendError(res, 503, 'SHUTTING_DOWN', 'server is shutting down', { Connection: 'close' });
      return;
    }
    const urlPath = pathOf(url);
    if (urlPath === '/api' || urlPath.startsWith(API_PREFIX)) {
      await handleApi(req, res, urlPath);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      res.statusCode = 405;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('Method not allowed\n');
      return;
    }
    if (staticFiles === null) {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('Not found\n');
      return;
    }
    await staticFiles.serve(req, res, urlPath);
  }

  const server: Server = createServer((req, res) => {
    handleRequest(req, res).catch((err: unknown) => {
      // Only the path is logged: the query may carry a token, the body is the caller's business.
      log(`http: ${req.method ?? '?'} ${pathOf(req.url ?? '')} failed: ${describeError(err)}`);
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'internal error');
      else res.destroy();
    });
  });

  // ---- WebSocket: engine events ----

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

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A reset during the handshake must not become an unhandled 'error' event.
    socket.on('error', () => undefined);
    if (!hostAllowed(req.headers.host)) return rejectUpgrade(socket, 421, 'BAD_INPUT', 'host not allowed');
    if (closing) return rejectUpgrade(socket, 503, 'SHUTTING_DOWN', 'server is shutting down');
    const url = req.url ?? '/';
    if (pathOf(url) !== EVENTS_PATH) return rejectUpgrade(socket, 404, 'NOT_FOUND', 'no WebSocket here');
    const authorized = webSocketTokens(url, req.headers).some((t) => tokensEqual(t, token));
    if (!authorized) return rejectUpgrade(socket, 401, 'UNAUTHORIZED', 'missing or invalid token');
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

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

  // ---- listen ----

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => {
      clearInterval(pingTimer);
      reject(err);
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => log(`http: server error ${describeError(err)}`));
  server.on('clientError', (_err: Error, socket: Duplex) => {
    // Malformed requests: answer 400 if the socket is still usable, never echo the request.
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  const port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(options.host)}:${port}`;

  let closed: Promise<void> | null = null;
  function close(): Promise<void> {
    closed ??= new Promise<void>((resolve) => {
      closing = true;
      clearInterval(pingTimer);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      // Idle keep-alive connections would otherwise hold close() open until they time out.
      server.closeIdleConnections();
    });
    return closed;
  }

  return { url, port, close };
}
