import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ApiHandler } from '../api/types';
import { createApiRoute, isApiPath } from './api-route';
import { createHostCheck } from './auth';
import { createEventSocket, EVENTS_PATH } from './event-socket';
import { rejectMalformedRequest, rejectUpgrade, sendError, sendText, setSecurityHeaders } from './responses';
import { describeError, type ServerLog } from './server-log';
import { createStaticFiles, type StaticFiles } from './static-files';

/**
 * The headless node's transport: the API contract over HTTP (`POST /api/<method>`, api-route.ts),
 * engine events over a WebSocket (`/api/events`, event-socket.ts), and the renderer build as
 * static files (static-files.ts). This module only composes them: it checks what every request
 * must pass (Host, request target, shutdown), routes by path, listens and closes. It knows
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
  log?: ServerLog;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** How long close() lets in-flight requests finish before cutting their connections. */
const CLOSE_GRACE_MS = 3_000;

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
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
  const handleApi = createApiRoute({ api, token, log });
  const events = createEventSocket({ api, token, log });
  let closing = false;

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
    if (isApiPath(urlPath)) {
      await handleApi(req, res, urlPath);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
      return;
    }
    if (staticFiles === null) {
      sendText(res, 404, 'Not found\n');
      return;
    }
    await staticFiles.serve(req, res, urlPath);
  }

  const server: Server = createServer((req, res) => {
    handleRequest(req, res).catch((err: unknown) => {
      // Only the path is logged: an old client's query may carry a token, the body is the caller's business.
      log(`http: ${req.method ?? '?'} ${pathOf(req.url ?? '')} failed: ${describeError(err)}`);
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'internal error');
      else res.destroy();
    });
  });

  // Upgrades pass the same Host and shutdown checks as requests; only the events path takes one.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A reset during the handshake must not become an unhandled 'error' event.
    socket.on('error', () => undefined);
    if (!hostAllowed(req.headers.host)) return rejectUpgrade(socket, 421, 'BAD_INPUT', 'host not allowed');
    if (closing) return rejectUpgrade(socket, 503, 'SHUTTING_DOWN', 'server is shutting down');
    if (pathOf(req.url ?? '/') !== EVENTS_PATH) return rejectUpgrade(socket, 404, 'NOT_FOUND', 'no WebSocket here');
    events.handleUpgrade(req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => {
      // The event socket's keepalive timer would otherwise outlive a server that never started.
      events.close();
      reject(err);
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => log(`http: server error ${describeError(err)}`));
  // Malformed requests: answer 400 if the socket is still usable, never echo the request.
  server.on('clientError', (_err: Error, socket: Duplex) => rejectMalformedRequest(socket));

  const port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(options.host)}:${port}`;

  let closed: Promise<void> | null = null;
  function close(): Promise<void> {
    closed ??= new Promise<void>((resolve) => {
      closing = true;
      events.close();
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
