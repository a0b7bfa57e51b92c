import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningHttpServer } from '../../src/main/server/http-server';
import {
  AUTH_PROTOCOLS,
  FakeApi,
  makeSite,
  openSocket,
  rawRequest,
  removeSites,
  startTestServer,
  TOKEN,
} from '../helpers/http-server';

/**
 * The server as a whole (http-server.ts): listening, the Host check in front of every route, the
 * choice of routes, close(), and its options. The routes have their own files: server-api-route,
 * server-event-socket and server-static-files.
 */

afterAll(removeSites);

describe('http server: composition', () => {
  const api = new FakeApi();
  let server: RunningHttpServer;

  beforeAll(async () => {
    server = await startTestServer({ api, staticDir: makeSite() });
  });
  afterAll(async () => {
    await server.close();
  });

  it('listens on an ephemeral port and reports a loopback url', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
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

  it('serves nothing but the API when staticDir is null', async () => {
    const apiOnly = await startTestServer({ api, staticDir: null });
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

  it('close() terminates open sockets, unsubscribes and stops the server', async () => {
    const local = new FakeApi();
    const s = await startTestServer({ api: local });
    const opened = await openSocket(`${s.url.replace(/^http/, 'ws')}/api/events`, AUTH_PROTOCOLS);
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
    const first = await startTestServer();
    try {
      await expect(
        startHttpServer({ api: new FakeApi(), host: '127.0.0.1', port: first.port, token: TOKEN, staticDir: null }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
