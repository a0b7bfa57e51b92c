import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A renderer build on disk, for the two ways Tickr serves it: `tickr serve`'s static files
 * (tests/unit/server-static-files.test.ts) and the desktop app's app:// protocol
 * (tests/unit/app-protocol.test.ts). Both must refuse the same traversal attempts.
 */

const siteDirs: string[] = [];

/** A renderer build to serve, with a secret beside it; remove it with removeSites() in afterAll. */
export function makeSite(): string {
  const base = mkdtempSync(path.join(os.tmpdir(), 'tickr-http-'));
  siteDirs.push(base);
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

export function removeSites(): void {
  for (const dir of siteDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * URL paths that aim outside the site (at the package.json beside it) or at a dot-file: plain and
 * percent-encoded `..`, encoded separators (`%2f`, and `%5c`, a separator on Windows), and NUL.
 * Every one must be answered 404 without the secret.
 */
export const TRAVERSAL_PATHS: readonly string[] = [
  '/../package.json',
  '/%2e%2e/package.json',
  '/%2E%2E/package.json',
  '/assets/..%2f..%2fpackage.json',
  '/..%5cpackage.json',
  '/assets/%2e%2e/%2e%2e/package.json',
  '/.env',
  '/%00index.html',
];
