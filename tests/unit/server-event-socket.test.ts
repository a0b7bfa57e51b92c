import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHttpServer } from '../../src/main/server/http-server';
import { SECURITY_HEADERS } from '../../src/main/server/responses';
import {
  AUTH_PROTOCOLS,
  FakeApi,
  openSocket,
  rawRequest,
  rawUpgrade,
  startTestServer,
  TOKEN,
  UPGRADE_HEADERS,
} from '../helpers/http-server';

/**
 * Engine events over the WebSocket (event-socket.ts): the upgrade and its refusals (Origin, token,
 * subprotocol offer), delivery, slow clients.
 */

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

/** A valid authentication offer, as the Sec-WebSocket-Protocol header of a raw handshake. */
const AUTH_HEADER = { 'Sec-WebSocket-Protocol': AUTH_PROTOCOLS.join(', ') };

describe('http server: WebSocket events', () => {
  const api = new FakeApi();
  let server: RunningHttpServer;
  let wsUrl: string;

  beforeAll(async () => {
    server = await startTestServer({ api });
    wsUrl = `${server.url.replace(/^http/, 'ws')}/api/events`;
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses the upgrade with 401 without a valid token', async () => {
    expect((await openSocket(wsUrl)).status).toBe(401);
    expect((await openSocket(wsUrl, ['tickr', 'bearer.wrong'])).status).toBe(401);
    expect((await openSocket(wsUrl, ['bearer.wrong'])).status).toBe(401);
    expect(api.listeners.size).toBe(0);
  });

  it('refuses the upgrade with 421 for a foreign Host', async () => {
    expect((await openSocket(wsUrl, AUTH_PROTOCOLS, { headers: { Host: 'evil.example' } })).status).toBe(421);
  });

  it('sends events emitted after connecting (the subprotocol pair, no Origin) and unsubscribes on close', async () => {
    const opened = await openSocket(wsUrl, AUTH_PROTOCOLS);
    const ws = opened.ws;
    if (ws === null) throw new Error(`refused with ${opened.status}`);
    expect(ws.protocol).toBe('tickr');
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

  it('refuses a foreign Origin with 403 FORBIDDEN and the envelope, even with a valid token', async () => {
    const port = server.port;
    const foreign = [
      'http://evil.example',
      `http://127.0.0.1:${port + 1}`, // another service on the same machine
      `https://127.0.0.1:${port}`, // the node serves plain HTTP only
      `http://localhost:${port}`, // a loopback alias, but not the host this request was sent to
      'null', // sandboxed frames, file: pages
      `http://127.0.0.1:${port}, http://evil.example`, // a list, as duplicate Origin headers arrive
    ];
    for (const origin of foreign) {
      const res = await rawRequest(port, {
        path: '/api/events',
        headers: { ...UPGRADE_HEADERS, ...AUTH_HEADER, Origin: origin },
      });
      expect(res.status, origin).toBe(403);
      expect(JSON.parse(res.body), origin).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: expect.stringMatching(/origin not allowed: .*own web UI/) },
      });
    }
    expect(api.listeners.size).toBe(0);
  });

  it("accepts its own UI's Origin, for whichever loopback name the page was loaded from", async () => {
    const own = await openSocket(wsUrl, AUTH_PROTOCOLS, { origin: server.url });
    if (own.ws === null) throw new Error(`refused with ${own.status}`);
    const host = `localhost:${server.port}`;
    const alias = await openSocket(wsUrl, AUTH_PROTOCOLS, { origin: `http://${host}`, headers: { Host: host } });
    if (alias.ws === null) throw new Error(`refused with ${alias.status}`);
    await waitFor(() => api.listeners.size === 2);
    own.ws.terminate();
    alias.ws.terminate();
    await waitFor(() => api.listeners.size === 0);
  });

  it('refuses a token in the URL with 401, valid or not, and says to send it as a subprotocol', async () => {
    for (const headers of [UPGRADE_HEADERS, { ...UPGRADE_HEADERS, ...AUTH_HEADER }]) {
      const res = await rawRequest(server.port, { path: `/api/events?token=${TOKEN}`, headers });
      expect(res.status).toBe(401);
      const body = JSON.parse(res.body) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('UNAUTHORIZED');
      expect(body.error.message).toMatch(/token in the URL refused .*subprotocols "tickr", "bearer\.<token>"/);
      expect(res.body).not.toContain(TOKEN);
    }
    expect(api.listeners.size).toBe(0);
  });

  it('never echoes the token: a bearer-only offer is refused with 400, the pair gets "tickr" back', async () => {
    const offer = (protocols: string) =>
      rawRequest(server.port, {
        path: '/api/events',
        headers: { ...UPGRADE_HEADERS, 'Sec-WebSocket-Protocol': protocols },
      });
    const bearerOnly = await offer(`bearer.${TOKEN}`);
    expect(JSON.stringify(bearerOnly.headers)).not.toContain(TOKEN);
    expect(bearerOnly.headers['sec-websocket-protocol']).toBeUndefined();
    expect(bearerOnly.status).toBe(400);
    expect(JSON.parse(bearerOnly.body)).toEqual({
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringMatching(/offer "tickr" beside "bearer\.<token>"/) },
    });
    expect(bearerOnly.body).not.toContain(TOKEN);

    const pair = await offer(AUTH_PROTOCOLS.join(', '));
    expect(pair.status).toBe(101);
    expect(pair.headers['sec-websocket-protocol']).toBe('tickr');
    expect(JSON.stringify(pair.headers)).not.toContain(TOKEN);
    await waitFor(() => api.listeners.size === 0);
  });

  it('drops a slow consumer (closes it and unsubscribes) instead of buffering without bound', async () => {
    // A raw client that completes the handshake and then never reads.
    const { socket, status } = await rawUpgrade(server.port, AUTH_HEADER);
    expect(status).toBe(101);
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

  it('refuses the upgrade with the same security headers as a normal answer, X-Frame-Options included', async () => {
    // A token-less API call: an ordinary answer written through a ServerResponse.
    const normal = await rawRequest(server.port, { method: 'POST', path: '/api/health.get' });
    expect(normal.status).toBe(401);
    // Refusals written straight onto the socket: by the event socket (401, 403, 400) and by the server's routing (404, 421).
    const upgrade = (path: string, headers: Record<string, string>) =>
      rawRequest(server.port, { path, headers: { ...UPGRADE_HEADERS, ...headers } });
    const refusals = [
      await upgrade('/api/events', {}),
      await upgrade('/api/events', { ...AUTH_HEADER, Origin: 'http://evil.example' }),
      await upgrade('/api/events', { 'Sec-WebSocket-Protocol': `bearer.${TOKEN}` }),
      await upgrade('/api/other', AUTH_HEADER),
      await upgrade('/api/events', { ...AUTH_HEADER, Host: 'evil.example' }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([401, 403, 400, 404, 421]);
    expect(normal.headers['x-frame-options']).toBe('DENY');
    for (const refusal of refusals) {
      expect(refusal.headers['x-frame-options']).toBe('DENY');
      for (const name of Object.keys(SECURITY_HEADERS)) {
        const header = name.toLowerCase();
        expect(normal.headers[header], name).toBeDefined();
        expect(refusal.headers[header], name).toBe(normal.headers[header]);
      }
    }
    expect(api.listeners.size).toBe(0);
  });
});
