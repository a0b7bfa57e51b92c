import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHttpServer } from '../../src/main/server/http-server';
import { makeSite, rawRequest, removeSites, startTestServer } from '../helpers/http-server';
import { TRAVERSAL_PATHS } from '../helpers/renderer-site';

/** The renderer build as static files (static-files.ts), as the server answers for it. */

afterAll(removeSites);

describe('http server: static files', () => {
  let server: RunningHttpServer;

  beforeAll(async () => {
    server = await startTestServer({ staticDir: makeSite() });
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
    for (const p of TRAVERSAL_PATHS) {
      const res = await rawRequest(server.port, { path: p });
      expect(res.status, p).toBe(404);
      expect(res.body, p).not.toContain('secret');
    }
  });

  it('answers 405 for other methods on static paths', async () => {
    expect((await fetch(`${server.url}/index.html`, { method: 'POST' })).status).toBe(405);
  });
});
