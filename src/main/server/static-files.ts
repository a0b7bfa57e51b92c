import { createReadStream, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sendText } from './responses';

/**
 * Serves the renderer build (a single-page app) from a directory. No token is needed: the page
 * reads its token from the URL fragment, which browsers never send to the server.
 */

/** Applied to every HTML answer; the renderer bundle needs nothing beyond its own origin. */
export const HTML_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; img-src 'self' data:";

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/** Whether `candidate` (an absolute, resolved path) is `root` or lies under it. */
export function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * Turns a URL path into path segments, or null when the path must not be served: undecodable,
 * NUL or backslash (a separator on Windows), or any `.`/`..`/dot-file segment. Segments are
 * checked after percent-decoding, so `%2e%2e` and `..%2f` are caught like `..`.
 */
export function safeSegments(urlPath: string): string[] | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s.length > 0);
  // Dot-files too: nothing in a build output starts with a dot, and it keeps .git/.env out.
  if (segments.some((s) => s.startsWith('.'))) return null;
  return segments;
}

export interface StaticFiles {
  /** Answers a GET/HEAD for `urlPath` (already stripped of its query). */
  serve(req: IncomingMessage, res: ServerResponse, urlPath: string): Promise<void>;
}

export function createStaticFiles(dir: string): StaticFiles {
  const root = path.resolve(dir);
  // The real path is looked up lazily (the build may appear after start) and symlinks inside
  // the directory are then checked against it, so a link cannot lead outside.
  let realRoot: string | null = null;

  async function regularFile(filePath: string): Promise<{ path: string; stats: Stats } | null> {
    try {
      realRoot ??= await realpath(root);
      const real = await realpath(filePath);
      if (!isInside(realRoot, real)) return null;
      const stats = await stat(real);
      return stats.isFile() ? { path: real, stats } : null;
    } catch {
      return null;
    }
  }

  async function send(req: IncomingMessage, res: ServerResponse, file: { path: string; stats: Stats }): Promise<void> {
    const type = contentTypeFor(file.path);
    res.statusCode = 200;
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', file.stats.size);
    if (type.startsWith('text/html')) {
      // index.html names the hashed bundles of the current build, so it must always be revalidated.
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('Content-Security-Policy', HTML_CSP);
    }
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    try {
      await pipeline(createReadStream(file.path), res);
    } catch {
      // The client went away or the file vanished mid-read; headers are out, so just drop the connection.
      res.destroy();
    }
  }

  function notFound(res: ServerResponse): void {
    sendText(res, 404, 'Not found\n');
  }

  return {
    async serve(req, res, urlPath) {
      const segments = safeSegments(urlPath);
      if (segments === null) return notFound(res);
      const candidate = path.resolve(root, ...segments);
      if (!isInside(root, candidate)) return notFound(res);

      const wantsDirectory = segments.length === 0 || urlPath.endsWith('/');
      const direct = await regularFile(wantsDirectory ? path.join(candidate, 'index.html') : candidate);
      if (direct !== null) return send(req, res, direct);

      // Client-side routes (/jobs/42) have no file behind them: answer with the app shell.
      // Paths with an extension are real asset requests, and a missing asset is a 404.
      const last = segments[segments.length - 1];
      if (last === undefined || path.extname(last) === '') {
        const index = await regularFile(path.join(root, 'index.html'));
        if (index !== null) return send(req, res, index);
      }
      return notFound(res);
    },
  };
}
