import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import WebSocket from 'ws';
import type { ApiHandler } from '../../src/main/api/types';
import { isMethodName, type EventMessage, type Result } from '../../src/shared/contract';
import { startHttpServer, type HttpServerOptions, type RunningHttpServer } from '../../src/main/server/http-server';

export { makeSite, removeSites } from './renderer-site';

/**
 * Fixtures of the transport tests (tests/unit/http-server.test.ts and tests/unit/server-*.test.ts):
 * the engine is replaced by a fake ApiHandler that records calls and lets the test emit events,
 * so only the HTTP/WebSocket behaviour is under test.
 */

export const TOKEN = 'test-token-0123456789abcdef';

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

/** A request with an exact, unnormalized path and arbitrary headers (fetch normalizes `..` and forbids Host). */
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
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Connects a ws client and resolves with it once open, or with the refusal's HTTP status. */
export function openSocket(
  url: string,
  protocols?: string[],
): Promise<{ ws: WebSocket; status: null } | { ws: null; status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.once('open', () => resolve({ ws, status: null }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ ws: null, status: res.statusCode ?? 0 });
      res.resume();
      ws.terminate();
    });
    ws.once('error', reject);
  });
}
