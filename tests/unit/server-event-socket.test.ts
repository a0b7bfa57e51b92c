import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import type { RunningHttpServer } from '../../src/main/server/http-server';
import { SECURITY_HEADERS } from '../../src/main/server/responses';
import { FakeApi, openSocket, rawRequest, startTestServer, TOKEN } from '../helpers/http-server';

/** Engine events over the WebSocket (event-socket.ts): the upgrade and its refusals, delivery, slow clients. */

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

/** The headers of a WebSocket handshake, for raw requests whose refusal is read as a plain HTTP answer. */
const UPGRADE_HEADERS = {
  Connection: 'Upgrade',
  Upgrade: 'websocket',
  'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
  'Sec-WebSocket-Version': '13',
};

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

  it('refuses the upgrade with the same security headers as a normal answer, X-Frame-Options included', async () => {
    // A token-less API call: an ordinary answer written through a ServerResponse.
    const normal = await rawRequest(server.port, { method: 'POST', path: '/api/health.get' });
    expect(normal.status).toBe(401);
    // Refusals written straight onto the socket: by the event socket (401) and by the server's routing (404, 421).
    const refusals = [
      await rawRequest(server.port, { path: '/api/events', headers: UPGRADE_HEADERS }),
      await rawRequest(server.port, { path: `/api/other?token=${TOKEN}`, headers: UPGRADE_HEADERS }),
      await rawRequest(server.port, {
        path: `/api/events?token=${TOKEN}`,
        headers: { ...UPGRADE_HEADERS, Host: 'evil.example' },
      }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([401, 404, 421]);
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
