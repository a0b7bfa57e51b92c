import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REDIRECTS, runHttp } from '../../src/main/engine/execution/workers/http-executor';
import type { ExecutionContext } from '../../src/main/engine/execution/workers/types';
import type { HttpRequest } from '../../src/main/engine/secrets/task-http';
import { HTTP_BODY_HEAD_BYTES } from '../../src/shared/types';

/**
 * The HTTP executor against real local servers: what it sends, how it follows redirects, what it
 * keeps of the response, and how it ends. Two servers, so that a redirect can change origin.
 */

type Route = (req: IncomingMessage, body: string, res: ServerResponse) => void;

async function serve(routes: Record<string, Route>): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      const route =
        routes[path] ?? Object.entries(routes).find(([p]) => p.endsWith('*') && path.startsWith(p.slice(0, -1)))?.[1];
      if (route) route(req, body, res);
      else res.writeHead(404).end('no such route');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const echo: Route = (req, body, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
};

function redirect(status: number, to: () => string): Route {
  return (_req, _body, res) => res.writeHead(status, { location: to() }).end();
}

let main: { server: Server; base: string };
let other: { server: Server; base: string };

beforeAll(async () => {
  other = await serve({ '/echo': echo });
  main = await serve({
    '/echo': echo,
    '/headers': (_req, _body, res) => {
      res.setHeader('x-zeta', '1');
      res.setHeader('x-alpha', '2');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.end('ok');
    },
    '/found': redirect(302, () => '/echo'),
    '/see-other': redirect(303, () => '/echo'),
    '/temporary': redirect(307, () => '/echo'),
    '/elsewhere': redirect(302, () => `${other.base}/echo`),
    '/loop/*': (req, _body, res) => {
      const n = Number((req.url ?? '').split('/')[2]);
      res.writeHead(302, { location: `/loop/${n + 1}` }).end();
    },
    '/big': (_req, _body, res) => res.end('x'.repeat(HTTP_BODY_HEAD_BYTES * 4)),
    '/teapot': (_req, _body, res) => res.writeHead(418, 'Short And Stout').end('no coffee'),
    '/never': () => undefined,
  });
});

afterAll(async () => {
  for (const s of [main, other]) {
    s.server.closeAllConnections();
    await new Promise((resolve) => s.server.close(resolve));
  }
});

function req(path: string, over: Partial<HttpRequest> = {}): HttpRequest {
  const url = path.startsWith('http') ? path : `${main.base}${path}`;
  return { method: 'GET', url, shownUrl: url, headers: {}, shownHeaders: {}, ...over };
}

function context(over: Partial<ExecutionContext> = {}): { ctx: ExecutionContext; lines: string[] } {
  const lines: string[] = [];
  const ctx: ExecutionContext = {
    timeoutMs: 5_000,
    killGraceMs: 100,
    stop: new AbortController().signal,
    log: { system: (text) => lines.push(text), write: (stream, data) => lines.push(`${stream}: ${data.toString()}`) },
    ...over,
  };
  return { ctx, lines };
}

/** What the echo route saw, from the body head of the exchange. */
function echoed(bodyHead: string | undefined): {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
} {
  return JSON.parse(bodyHead ?? '') as ReturnType<typeof echoed>;
}

describe('the HTTP executor sends', () => {
  it('a User-Agent, an Accept and a text Content-Type for a body, unless the task sets its own', async () => {
    const { ctx } = context();
    const plain = await runHttp(req('/echo', { method: 'POST', body: 'hello' }), ctx);
    expect(plain.outcome).toBe('succeeded');
    const seen = echoed(plain.exchange?.bodyHead);
    expect(seen).toMatchObject({ method: 'POST', body: 'hello' });
    expect(seen.headers).toMatchObject({
      'user-agent': 'Tickr',
      accept: '*/*',
      'content-type': 'text/plain;charset=UTF-8',
    });
    expect(seen.headers['accept-encoding']).toBeUndefined();

    const own = await runHttp(
      req('/echo', {
        method: 'PUT',
        body: '{}',
        headers: { 'User-Agent': 'mine/1', ACCEPT: 'application/json', 'Content-Type': 'application/json' },
      }),
      ctx,
    );
    expect(echoed(own.exchange?.bodyHead).headers).toMatchObject({
      'user-agent': 'mine/1',
      accept: 'application/json',
      'content-type': 'application/json',
    });
  });

  it('no body and no Content-Type with a GET', async () => {
    const { ctx } = context();
    const seen = echoed((await runHttp(req('/echo'), ctx)).exchange?.bodyHead);
    expect(seen.method).toBe('GET');
    expect(seen.headers['content-type']).toBeUndefined();
    expect(seen.body).toBe('');
  });
});

describe('the HTTP executor follows redirects as fetch did', () => {
  it('a 302 turns a POST into a GET without its body; a 307 keeps both', async () => {
    const { ctx } = context();
    const found = echoed((await runHttp(req('/found', { method: 'POST', body: 'b' }), ctx)).exchange?.bodyHead);
    expect(found).toMatchObject({ method: 'GET', url: '/echo', body: '' });
    const kept = echoed((await runHttp(req('/temporary', { method: 'POST', body: 'b' }), ctx)).exchange?.bodyHead);
    expect(kept).toMatchObject({ method: 'POST', url: '/echo', body: 'b' });
  });

  it('a 303 turns a PUT into a GET', async () => {
    const { ctx } = context();
    const seen = echoed((await runHttp(req('/see-other', { method: 'PUT', body: 'b' }), ctx)).exchange?.bodyHead);
    expect(seen).toMatchObject({ method: 'GET', body: '' });
  });

  it('drops Authorization and Cookie on a redirect to another origin, and keeps them on its own', async () => {
    const { ctx } = context();
    const headers = { Authorization: 'Bearer s3cret', Cookie: 'session=1', 'X-Kept': 'yes' };
    const away = echoed((await runHttp(req('/elsewhere', { headers }), ctx)).exchange?.bodyHead);
    expect(away.headers.authorization).toBeUndefined();
    expect(away.headers.cookie).toBeUndefined();
    expect(away.headers['x-kept']).toBe('yes');
    const home = echoed((await runHttp(req('/found', { headers }), ctx)).exchange?.bodyHead);
    expect(home.headers.authorization).toBe('Bearer s3cret');
  });

  it(`fails past ${MAX_REDIRECTS} redirects, and follows ${MAX_REDIRECTS}`, async () => {
    const { ctx } = context();
    const endless = await runHttp(req('/loop/0'), ctx);
    expect(endless.outcome).toBe('failed');
    expect(endless.error).toBe(`request to ${main.base}/loop/0 failed: more than ${MAX_REDIRECTS} redirects`);
    // /loop/1 … /loop/20 are followed from /loop/0; a route that stops at 20 hops succeeds.
    const finite = await serve({
      '/hop/*': (r, _b, res) => {
        const n = Number((r.url ?? '').split('/')[2]);
        if (n < MAX_REDIRECTS) res.writeHead(302, { location: `/hop/${n + 1}` }).end();
        else res.end(`arrived after ${n}`);
      },
    });
    try {
      const ok = await runHttp(req(`${finite.base}/hop/0`), ctx);
      expect(ok.outcome).toBe('succeeded');
      expect(ok.exchange?.bodyHead).toBe(`arrived after ${MAX_REDIRECTS}`);
    } finally {
      finite.server.closeAllConnections();
      await new Promise((resolve) => finite.server.close(resolve));
    }
  });
});

describe('the HTTP executor keeps of the response', () => {
  it('the status, its text, the headers sorted with repeated ones joined, and the log lines', async () => {
    const { ctx, lines } = context();
    const res = await runHttp(req('/headers'), ctx);
    expect(res.outcome).toBe('succeeded');
    expect(res.httpStatus).toBe(200);
    const headers = res.exchange?.responseHeaders ?? {};
    expect(headers['set-cookie']).toBe('a=1, b=2');
    const names = Object.keys(headers);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['x-alpha', 'x-zeta']));
    expect(lines[0]).toBe(`GET ${main.base}/headers`);
    expect(lines[1]).toMatch(/^HTTP 200 OK \(\d+ ms\)$/);
    expect(lines[2]).toBe('stdout: ok');
  });

  it("a failure for a status of 400 or more, with the server's own status text", async () => {
    const { ctx, lines } = context();
    const res = await runHttp(req('/teapot'), ctx);
    expect(res).toMatchObject({ outcome: 'failed', httpStatus: 418, error: 'HTTP status 418' });
    expect(res.exchange).toMatchObject({ status: 418, statusText: 'Short And Stout', bodyHead: 'no coffee' });
    expect(lines[1]).toMatch(/^HTTP 418 Short And Stout/);
  });

  it(`only the first ${HTTP_BODY_HEAD_BYTES} bytes of the body, and says so`, async () => {
    const { ctx, lines } = context();
    const res = await runHttp(req('/big'), ctx);
    expect(res.outcome).toBe('succeeded');
    expect(res.exchange?.bodyHead.length).toBe(HTTP_BODY_HEAD_BYTES);
    expect(res.exchange?.bodyTruncated).toBe(true);
    expect(lines.at(-1)).toBe(`response body truncated to its first ${HTTP_BODY_HEAD_BYTES} bytes`);
  });
});

describe('the HTTP executor ends', () => {
  it("at the task's timeout, whatever undici's own header timeout would be", async () => {
    const { ctx } = context({ timeoutMs: 300 });
    const started = Date.now();
    const res = await runHttp(req('/never'), ctx);
    expect(res).toMatchObject({ outcome: 'timed_out', error: 'timed out after 300 ms' });
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('when stopped: a cancel cancels, a shutdown interrupts', async () => {
    for (const [reason, outcome] of [
      ['cancel', 'cancelled'],
      ['shutdown', 'interrupted'],
    ] as const) {
      const stop = new AbortController();
      const { ctx } = context({ stop: stop.signal });
      const running = runHttp(req('/never'), ctx);
      setTimeout(() => stop.abort(reason), 50);
      expect((await running).outcome).toBe(outcome);
    }
  });

  it('with the refused connection named, as it may be shown', async () => {
    const closed = await serve({});
    const url = `${closed.base}/x`;
    await new Promise((resolve) => closed.server.close(resolve));
    const { ctx } = context();
    const res = await runHttp(req(url, { shownUrl: `${closed.base}/***` }), ctx);
    expect(res.outcome).toBe('failed');
    expect(res.error).toBe(`request to ${closed.base}/*** failed: connect ECONNREFUSED ${closed.base.slice(7)}`);
  });
});
