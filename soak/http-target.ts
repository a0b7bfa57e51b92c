import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Prng } from './prng';
import type { RunLog } from './run-log';

export interface HttpTarget {
  url: string;
  /** Requests received per path, and how many carried the planted header. */
  hits: Map<string, number>;
  secretHeaderSeen: number;
  close(): Promise<void>;
}

/**
 * The local server the HTTP tasks call. `/stall/...` sometimes (seeded) answers only after
 * `stallMs`, past the tasks' timeout; everything else answers 200 at once. Each request is a line
 * of http-requests.log: the HTTP tasks' side effect.
 */
export async function startHttpTarget(
  rand: Prng,
  log: RunLog,
  secretHeader: string,
  stallMs = 3_000,
): Promise<HttpTarget> {
  const hits = new Map<string, number>();
  const target = { hits, secretHeaderSeen: 0 } as HttpTarget;
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (req.headers['x-soak-token'] === secretHeader) target.secretHeaderSeen += 1;
    const stall = path.startsWith('/stall/') && rand.chance(0.3);
    log.append('http-requests.log', `${Date.now()} ${req.method} ${path}${stall ? ' stalled' : ''}\n`);
    const answer = (): void => {
      if (!res.destroyed) res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    };
    if (stall) setTimeout(answer, stallMs).unref();
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  target.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return target;
}
