import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { ApiHandler } from '../../src/main/api/types';
import { isMethodName, type EventMessage, type Result } from '../../src/shared/contract';
import { startHttpServer, type RunningHttpServer } from '../../src/main/server/http-server';

/**
 * Transport tests: the engine is replaced by a fake ApiHandler that records calls and lets the
 * test emit events, so only the HTTP/WebSocket behaviour is under test.
 */

const TOKEN = 'test-token-0123456789abcdef';

class FakeApi implements ApiHandler {
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

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request with an exact, unnormalized path and arbitrary headers (fetch normalizes `..` and forbids Host). */
function rawRequest(
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

function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (check()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error('condition not met in time'));
      setTimeout(tick, 10);
    };
    tick();
  });
}

/** Connects a ws client and resolves with it once open, or with the refusal's HTTP status. */
function openSocket(
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

const tmpDirs: string[] = [];

function makeSite(): string {
  const base = mkdtempSync(path.join(os.tmpdir(), 'tickr-http-'));
  tmpDirs.push(base);
  // A secret beside the static dir: traversal attempts aim at it.
  writeFileSync(path.join(base, 'package.json'), '{"secret":true}');
  const dist = path.join(base, 'dist');
  mkdirSync(path.join(dist, 'assets'), { recursive: true });
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Tickr</title>');
  writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log("tickr")');
  writeFileSync(path.join(dist, 'assets', 'app.css'), 'body{}');
  writeFileSync(path.join(dist, 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(path.join(dist, '.env'), 'SECRET=1');
  return dist;
}

afterAll(() => {
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
});

describe('http server: API over HTTP', () => {
  const api = new FakeApi();
  let server: RunningHttpServer;
  const logs: string[] = [];

  beforeAll(async () => {
    server = await startHttpServer({
      api,
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      staticDir: makeSite(),
      log: (l) => logs.push(l),
    });
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => {
    api.calls.length = 0;
    api.next = null;
  });

  const post = (method: string, body: string | undefined, token: string | null = TOKEN): Promise<Response> =>
    fetch(`${server.url}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token === null ? {} : { Authorization: `Bearer ${token}` }) },
      body,
    });

  it('listens on an ephemeral port and reports a loopback url', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('answers 401 without a token and does not call the API', async () => {
    const res = await post('health.get', '{}', null);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    expect(api.calls).toHaveLength(0);
  });

  it('answers 401 with a wrong token (same or different length) and does not call the API', async () => {
    const sameLength = TOKEN.slice(0, -1) + (TOKEN.endsWith('x') ? 'y' : 'x');
    for (const token of [sameLength, 'short', `${TOKEN}extra`]) {
      const res = await post('health.get', '{}', token);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    }
    const basic = await fetch(`${server.url}/api/health.get`, {
      method: 'POST',
      headers: { Authorization: `Basic ${TOKEN}` },
      body: '{}',
    });
    expect(basic.status).toBe(401);
    expect(api.calls).toHaveLength(0);
  });

  it('calls the API and answers 200 with the data envelope and security headers', async () => {
    const res = await post('tasks.get', '{"id":"42"}');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await res.json()).toEqual({ ok: true, data: { method: 'tasks.get', echo: { id: '42' } } });
    expect(api.calls).toEqual([{ method: 'tasks.get', input: { id: '42' } }]);
  });

  it('treats an empty body as {}', async () => {
    const res = await post('health.get', undefined);
    expect(res.status).toBe(200);
    expect(api.calls).toEqual([{ method: 'health.get', input: {} }]);
  });

  it('passes a BAD_INPUT result through as 400 with the envelope', async () => {
    api.next = () => ({ ok: false, error: { code: 'BAD_INPUT', message: 'name: Required' } });
    const res = await post('tasks.create', '{"type":"shell"}');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ ok: false, error: { code: 'BAD_INPUT', message: 'name: Required' } });
  });

  it('maps other error codes to their status, unknown codes to 500', async () => {
    api.next = () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'task 9 not found' } });
    expect((await post('tasks.get', '{"id":"9"}')).status).toBe(404);
    api.next = () => ({ ok: false, error: { code: 'STORE_UNAVAILABLE', message: 'mysql down' } });
    expect((await post('tasks.get', '{"id":"9"}')).status).toBe(503);
    api.next = () => ({ ok: false, error: { code: 'WEIRD', message: 'odd' } });
    const res = await post('tasks.get', '{"id":"9"}');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ ok: false, error: { code: 'WEIRD', message: 'odd' } });
  });

  it('answers 500 without a stack trace when the API throws', async () => {
    api.next = () => {
      throw new Error('boom at /secret/path.ts:12');
    };
    const res = await post('health.get', '{}');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'internal error' } });
    expect(text).not.toContain('secret');
  });

  it('answers 400 naming body for malformed JSON and for a non-object', async () => {
    const bad = await post('tasks.create', '{"name": ');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ ok: false, error: { code: 'BAD_INPUT', message: 'body: not valid JSON' } });
    for (const body of ['[1,2]', '"text"', '42', 'null']) {
      const res = await post('tasks.create', body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        ok: false,
        error: { code: 'BAD_INPUT', message: 'body: must be a JSON object' },
      });
    }
    expect(api.calls).toHaveLength(0);
  });

  it('answers 413 for a body over 2 MiB without calling the API', async () => {
    const big = JSON.stringify({ command: 'x'.repeat(3 * 1024 * 1024) });
    const res = await post('tasks.create', big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_INPUT');
    expect(api.calls).toHaveLength(0);
  });

  it('answers 413 for an oversized chunked body (no Content-Length)', async () => {
    const res = await new Promise<RawResponse>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/api/tasks.create',
          headers: { Authorization: `Bearer ${TOKEN}` },
        },
        (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () =>
            resolve({ status: r.statusCode ?? 0, headers: r.headers, body: Buffer.concat(chunks).toString() }),
          );
        },
      );
      req.on('error', reject);
      const chunk = 'x'.repeat(256 * 1024);
      for (let i = 0; i < 12; i++) req.write(chunk);
      req.end();
    });
    expect(res.status).toBe(413);
    expect(api.calls).toHaveLength(0);
  });

  it('answers 404 UNKNOWN_METHOD for an unknown method', async () => {
    const res = await post('tasks.explode', '{}');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_METHOD', message: 'unknown method: tasks.explode' },
    });
    // Prototype keys are not methods either.
    expect((await post('constructor', '{}')).status).toBe(404);
    expect((await post('tasks.get/extra', '{}')).status).toBe(404);
    expect(api.calls).toHaveLength(0);
  });

  it('answers 405 for GET on an API method', async () => {
    const res = await fetch(`${server.url}/api/tasks.list`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, OPTIONS');
    expect(api.calls).toHaveLength(0);
  });

  it('answers OPTIONS with 204 and no CORS allowance', async () => {
    const res = await fetch(`${server.url}/api/tasks.list`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a foreign Host header with 421 (DNS rebinding), accepts loopback names', async () => {
    const evil = await rawRequest(server.port, {
      method: 'POST',
      path: '/api/health.get',
      headers: { Host: `evil.example:${server.port}`, Authorization: `Bearer ${TOKEN}` },
      body: '{}',
    });
    expect(evil.status).toBe(421);
    const evilStatic = await rawRequest(server.port, { path: '/', headers: { Host: 'evil.example' } });
    expect(evilStatic.status).toBe(421);
    expect(api.calls).toHaveLength(0);
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`, 'LOCALHOST']) {
      const ok = await rawRequest(server.port, {
        method: 'POST',
        path: '/api/health.get',
        headers: { Host: host, Authorization: `Bearer ${TOKEN}` },
        body: '{}',
      });
      expect(ok.status).toBe(200);
    }
  });

  it('never logs the token or a request body', async () => {
    api.next = () => {
      throw new Error('kaput');
    };
    await post('tasks.create', '{"command":"body-marker"}');
    await openSocket(`${server.url.replace('http', 'ws')}/api/events?token=${TOKEN}`).then((r) => r.ws?.close());
    const all = logs.join('\n');
    expect(all).toContain('kaput');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain('body-marker');
  });
});

describe('http server: static files', () => {
  const api = new FakeApi();
  let server: RunningHttpServer;

  beforeAll(async () => {
    server = await startHttpServer({ api, host: '127.0.0.1', port: 0, token: TOKEN, staticDir: makeSite() });
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves index.html for / without a token, with CSP and no-cache', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; img-src 'self' data:",
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await res.text()).toContain('<title>Tickr</title>');
  });

  it('serves assets with their content types', async () => {
    const js = await fetch(`${server.url}/assets/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBeNull();
    expect(await js.text()).toBe('console.log("tickr")');
    expect((await fetch(`${server.url}/assets/app.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${server.url}/icon.svg`)).headers.get('content-type')).toBe('image/svg+xml');
  });

  it('answers HEAD with headers and no body', async () => {
    const res = await fetch(`${server.url}/assets/app.js`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String('console.log("tickr")'.length));
    expect(await res.text()).toBe('');
  });

  it('falls back to index.html for client-side routes, 404 for missing files with an extension', async () => {
    const route = await fetch(`${server.url}/jobs/42?tab=logs`);
    expect(route.status).toBe(200);
    expect(route.headers.get('cache-control')).toBe('no-cache');
    expect(await route.text()).toContain('<title>Tickr</title>');
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
  });

  it('refuses path traversal and dot-files with 404', async () => {
    for (const p of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/%2E%2E/package.json',
      '/assets/..%2f..%2fpackage.json',
      '/..%5cpackage.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/.env',
      '/%00index.html',
    ]) {
      const res = await rawRequest(server.port, { path: p });
      expect(res.status, p).toBe(404);
      expect(res.body, p).not.toContain('secret');
    }
  });

  it('answers 405 for other methods on static paths', async () => {
    expect((await fetch(`${server.url}/index.html`, { method: 'POST' })).status).toBe(405);
  });

  it('serves nothing but the API when staticDir is null', async () => {
    const apiOnly = await startHttpServer({ api, host: '127.0.0.1', port: 0, token: TOKEN, staticDir: null });
    try {
      expect((await fetch(`${apiOnly.url}/`)).status).toBe(404);
      expect(
        (
          await fetch(`${apiOnly.url}/api/health.get`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${TOKEN}` },
          })
        ).status,
      ).toBe(200);
    } finally {
      await apiOnly.close();
    }
  });
});

describe('http server: WebSocket events', () => {
  const api = new FakeApi();
  let server: RunningHttpServer;
  let wsUrl: string;

  beforeAll(async () => {
    server = await startHttpServer({ api, host: '127.0.0.1', port: 0, token: TOKEN, staticDir: null });
    wsUrl = `${server.url.replace(/^http/, 'ws')}/api/events`;
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses the upgrade with 401 without a valid token', async () => {
    expect((await openSocket(wsUrl)).status).toBe(401);
    expect((await openSocket(`${wsUrl}?token=wrong`)).status).toBe(401);
    expect((await openSocket(wsUrl, ['bearer.wrong'])).status).toBe(401);
    expect(api.listeners.size).toBe(0);
  });

  it('refuses the upgrade with 421 for a foreign Host', async () => {
    const result = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${wsUrl}?token=${TOKEN}`, { headers: { Host: 'evil.example' } });
      ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.once('open', () => reject(new Error('should not open')));
      ws.once('error', reject);
    });
    expect(result).toBe(421);
  });

  it('sends events emitted after connecting (token in the query) and unsubscribes on close', async () => {
    const opened = await openSocket(`${wsUrl}?token=${encodeURIComponent(TOKEN)}`);
    const ws = opened.ws;
    if (ws === null) throw new Error(`refused with ${opened.status}`);
    await waitFor(() => api.listeners.size === 1);
    const received: unknown[] = [];
    ws.on('message', (data, isBinary) => {
      expect(isBinary).toBe(false);
      received.push(JSON.parse(String(data)));
    });
    api.emit({ event: 'queue.changed', data: { reason: 'test' } });
    api.emit({ event: 'job.log', data: { jobId: '7', entries: [] } });
    await waitFor(() => received.length === 2);
    expect(received).toEqual([
      { event: 'queue.changed', data: { reason: 'test' } },
      { event: 'job.log', data: { jobId: '7', entries: [] } },
    ]);
    ws.close();
    await waitFor(() => api.listeners.size === 0);
  });

  it('accepts the token as a bearer.<token> subprotocol and selects "tickr" when offered', async () => {
    const only = await openSocket(wsUrl, [`bearer.${TOKEN}`]);
    if (only.ws === null) throw new Error(`refused with ${only.status}`);
    expect(only.ws.protocol).toBe(`bearer.${TOKEN}`);
    const both = await openSocket(wsUrl, ['tickr', `bearer.${TOKEN}`]);
    if (both.ws === null) throw new Error(`refused with ${both.status}`);
    expect(both.ws.protocol).toBe('tickr');
    await waitFor(() => api.listeners.size === 2);
    only.ws.terminate();
    both.ws.terminate();
    await waitFor(() => api.listeners.size === 0);
  });

  it('drops a slow consumer (closes it and unsubscribes) instead of buffering without bound', async () => {
    // A raw client that completes the handshake and then never reads.
    const socket: Socket = await new Promise((resolve, reject) => {
      const s = connect(server.port, '127.0.0.1');
      s.once('error', reject);
      s.once('connect', () => {
        s.write(
          `GET /api/events?token=${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        );
      });
      s.once('data', (d: Buffer) => {
        expect(d.toString()).toMatch(/^HTTP\/1\.1 101/);
        s.pause();
        resolve(s);
      });
    });
    try {
      await waitFor(() => api.listeners.size === 1);
      const reason = 'x'.repeat(256 * 1024);
      // 64 MiB in one synchronous burst: far beyond any socket buffer, so bufferedAmount must pass 4 MiB.
      for (let i = 0; i < 256 && api.listeners.size > 0; i++) api.emit({ event: 'queue.changed', data: { reason } });
      expect(api.listeners.size).toBe(0);
    } finally {
      socket.destroy();
    }
  });

  it('close() terminates open sockets, unsubscribes and stops the server', async () => {
    const local = new FakeApi();
    const s = await startHttpServer({ api: local, host: '127.0.0.1', port: 0, token: TOKEN, staticDir: null });
    const opened = await openSocket(`${s.url.replace(/^http/, 'ws')}/api/events?token=${TOKEN}`);
    if (opened.ws === null) throw new Error('refused');
    const closedCode = new Promise<number>((resolve) => opened.ws?.once('close', (code) => resolve(code)));
    // A kept-alive HTTP connection must not hold close() open.
    expect(
      (await fetch(`${s.url}/api/health.get`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } }))
        .status,
    ).toBe(200);
    await s.close();
    await closedCode;
    expect(local.listeners.size).toBe(0);
    await expect(fetch(`${s.url}/api/health.get`, { method: 'POST' })).rejects.toThrow();
    await s.close(); // idempotent
  });
});

describe('http server: options', () => {
  it('refuses an empty token', async () => {
    await expect(
      startHttpServer({ api: new FakeApi(), host: '127.0.0.1', port: 0, token: '', staticDir: null }),
    ).rejects.toThrow(/token/);
  });

  it('rejects when the port is taken', async () => {
    const first = await startHttpServer({
      api: new FakeApi(),
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      staticDir: null,
    });
    try {
      await expect(
        startHttpServer({ api: new FakeApi(), host: '127.0.0.1', port: first.port, token: TOKEN, staticDir: null }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
