import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { isInside, safeSegments } from '../server/static-files';
import { APP_HOST, APP_SCHEME } from './renderer-source';

/**
 * Serves the built renderer as `app://tickr/…` (Electron's recommended replacement for file://):
 * the page gets an origin of its own, so 'self' in its CSP means our bundle and nothing else on
 * disk, and a URL can name only files inside the renderer folder.
 */

/**
 * Must run before app 'ready': Chromium reads scheme privileges once, at start-up. `standard`
 * gives the page a real origin (relative URLs, storage), `secure` a secure context, and
 * `supportFetchAPI` lets the page fetch its own assets. Not `corsEnabled` (it would let other
 * origins read these files) and not `bypassCSP`.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/**
 * The file a request URL names inside `rendererDir`, or null when it must not be served: another
 * scheme or host (a port counts), or a path `safeSegments` refuses (`..`, encoded separators, NUL,
 * dot-files). The root answers with index.html. No SPA fallback: the renderer's routes live in the
 * URL's fragment (`#/jobs/12`), which never reaches a request, and a missing file is a 404 rather
 * than a page.
 */
export function appFilePath(requestUrl: string, rendererDir: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  const segments = safeSegments(url.pathname);
  if (segments === null) return null;
  const root = path.resolve(rendererDir);
  const file = segments.length === 0 ? path.join(root, 'index.html') : path.resolve(root, ...segments);
  // safeSegments already refuses '..'; this keeps the folder boundary should that ever change.
  return isInside(root, file) ? file : null;
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * The answer to one app:// request. A directory is a 404 too, since Chromium would answer a
 * file:// directory with a listing. net.fetch reads the file (inside app.asar as well) and sets
 * its content type.
 */
export async function appProtocolResponse(requestUrl: string, rendererDir: string): Promise<Response> {
  const file = appFilePath(requestUrl, rendererDir);
  if (file === null || !(await isFile(file))) return notFound();
  try {
    return await net.fetch(pathToFileURL(file).href);
  } catch {
    // The file vanished between the check and the read (a rebuild during `electron-vite preview`).
    return notFound();
  }
}

/** Answers app:// from the built renderer folder. Call after app 'ready'. */
export function serveAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(request.url, rendererDir));
}
