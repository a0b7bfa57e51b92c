import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import WebSocket, { type ClientOptions } from 'ws';
import type { ApiHandler } from '../../src/main/api/types';
import {
  EVENTS_BEARER_PREFIX,
  EVENTS_PROTOCOL,
  isMethodName,
  type EventMessage,
  type Result,
} from '../../src/shared/contract';
import { startHttpServer, type HttpServerOptions, type RunningHttpServer } from '../../src/main/server/http-server';

export { makeSite, removeSites } from './renderer-site';

/**
 * Fixtures of the transport tests (tests/unit/http-server.test.ts and tests/unit/server-*.test.ts):
 * the engine is replaced by a fake ApiHandler that records calls and lets the test emit events,
 * so only the HTTP/WebSocket behaviour is under test.
 */

export const TOKEN = 'test-token-0123456789abcdef';
/** The subprotocols a client authenticates the event socket with, as the browser client offers them. */
export const AUTH_PROTOCOLS = [EVENTS_PROTOCOL, `${EVENTS_BEARER_PREFIX}${TOKEN}`];

export class FakeApi implements ApiHandler {
  readonly calls: Array<{ method: string; input: unknown }> = [];
  readonly listeners = new Set<(message: EventMessage) => void>();
  /** Lets a test make the next call answer (or throw) something specific. */
  next: ((method: string, input: unknown) => Result<unknown>) | null = null;

  async call(method: string, input: unknown): Promise<Result<unknown>> {
    this.calls.push({ method, input });
    if (this.next) return this.next(method, input);
    if (!isMethodName(method))
      return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `unknown method: ${method}` } };
    return { ok: true, data: { method, echo: input } };
  }

  subscribe(listener: (message: EventMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(message: EventMessage): void {
    for (const l of this.listeners) l(message);
  }
}

/** A server on an ephemeral loopback port with TOKEN, a fresh FakeApi and no static files, unless overridden. */
export function startTestServer(overrides: Partial<HttpServerOptions> = {}): Promise<RunningHttpServer> {
  return startHttpServer({
    api: new FakeApi(),
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    staticDir: null,
    ...overrides,
  });
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A request with an exact, unnormalized path and arbitrary headers (fetch normalizes `..` and forbids Host).
 * A WebSocket handshake that the server accepts resolves too, as status 101 with its headers; the socket is cut.
 */
export function rawRequest(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/**
 * Connects a ws client and resolves with it once open, or with the refusal's HTTP status. Like a
 * browser, ws fails a handshake that selects none of the protocols it offered; `options` can add
 * what a browser sends besides (`origin`) or override headers (Host).
 */
export function openSocket(
  url: string,
  protocols?: string[],
  options?: ClientOptions,
): Promise<{ ws: WebSocket; status: null } | { ws: null; status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, options);
    ws.once('open', () => resolve({ ws, status: null }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ ws: null, status: res.statusCode ?? 0 });
      res.resume();
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

/** The headers of a WebSocket handshake, for raw requests whose answer is read as plain HTTP. */
export const UPGRADE_HEADERS: Readonly<Record<string, string>> = {
  Connection: 'Upgrade',
  Upgrade: 'websocket',
  'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
  'Sec-WebSocket-Version': '13',
};

/**
 * Completes a WebSocket handshake to /api/events on a bare TCP socket and leaves it paused: a
 * connected client that never reads. Resolves with the socket and the answer's status.
 */
export function rawUpgrade(port: number, headers: Record<string, string>): Promise<{ socket: Socket; status: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const onData = (chunk: Buffer): void => {
      received += chunk.toString('latin1');
      if (!received.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.pause();
      resolve({ socket, status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(received)?.[1] ?? 0) });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('end', () => reject(new Error(`connection closed before a full answer: ${received}`)));
    socket.once('connect', () => {
      const lines = Object.entries({ Host: `127.0.0.1:${port}`, ...UPGRADE_HEADERS, ...headers });
      socket.write(`GET /api/events HTTP/1.1\r\n${lines.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`);
    });
  });
}
