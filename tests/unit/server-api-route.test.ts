import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import type { RunningHttpServer } from '../../src/main/server/http-server';
import {
  AUTH_PROTOCOLS,
  FakeApi,
  openSocket,
  rawRequest,
  startTestServer,
  TOKEN,
  type RawResponse,
} from '../helpers/http-server';

/** The API route (api-route.ts): auth, body reading and parsing, the envelope and its statuses. */

describe('http server: API over HTTP', () => {
  const api = new FakeApi();
  let server: RunningHttpServer;
  const logs: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ api, log: (l) => logs.push(l) });
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

  it('refuses a POST from a foreign Origin with 403 FORBIDDEN, valid token or not, and calls nothing', async () => {
    for (const origin of ['http://evil.example', `http://localhost:${server.port}`, 'null']) {
      const res = await rawRequest(server.port, {
        method: 'POST',
        path: '/api/health.get',
        headers: { Origin: origin, Authorization: `Bearer ${TOKEN}` },
        body: '{}',
      });
      expect(res.status, origin).toBe(403);
      expect(JSON.parse(res.body), origin).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: expect.stringMatching(/origin not allowed: .*own web UI/) },
      });
    }
    expect(api.calls).toHaveLength(0);
  });

  it("accepts a POST from its own UI's Origin, and one without an Origin (curl, scripts)", async () => {
    for (const origin of [{ Origin: server.url }, {}] as Array<Record<string, string>>) {
      const res = await rawRequest(server.port, {
        method: 'POST',
        path: '/api/health.get',
        headers: { ...origin, Authorization: `Bearer ${TOKEN}` },
        body: '{}',
      });
      expect(res.status).toBe(200);
    }
    expect(api.calls).toHaveLength(2);
  });

  it('answers OPTIONS with 204 and no CORS allowance', async () => {
    const res = await fetch(`${server.url}/api/tasks.list`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('never logs the token or a request body', async () => {
    api.next = () => {
      throw new Error('kaput');
    };
    await post('tasks.create', '{"command":"body-marker"}');
    const wsUrl = `${server.url.replace('http', 'ws')}/api/events`;
    // An old client's token in the URL (refused) and the subprotocol pair (accepted): neither is logged.
    await openSocket(`${wsUrl}?token=${TOKEN}`).then((r) => r.ws?.close());
    await openSocket(wsUrl, AUTH_PROTOCOLS).then((r) => r.ws?.close());
    const all = logs.join('\n');
    expect(all).toContain('kaput');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain('body-marker');
  });
});
