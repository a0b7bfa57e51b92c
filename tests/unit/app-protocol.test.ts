import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeSite, removeSites, TRAVERSAL_PATHS } from '../helpers/renderer-site';

/**
 * The app:// protocol (app-protocol.ts) against a mocked `electron` whose net.fetch reads real
 * files, as Electron's does for file:// URLs: a missing file rejects.
 */

type ProtocolHandler = (request: Request) => Promise<Response>;

const electron = vi.hoisted(() => ({
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
  net: { fetch: vi.fn() },
}));

vi.mock('electron', () => ({ protocol: electron.protocol, net: electron.net }));

const { appFilePath, registerAppScheme, serveAppProtocol } = await import('../../src/main/app/app-protocol');

/** The renderer build, with a package.json beside it that must stay unreachable. */
let rendererDir: string;

beforeAll(() => {
  rendererDir = makeSite();
});
afterAll(removeSites);

beforeEach(() => {
  vi.clearAllMocks();
  electron.net.fetch.mockImplementation(async (url: string) => new Response(readFileSync(fileURLToPath(url))));
});

function handler(): ProtocolHandler {
  serveAppProtocol(rendererDir);
  const [scheme, handle] = electron.protocol.handle.mock.calls.at(-1) as [string, ProtocolHandler];
  expect(scheme).toBe('app');
  return handle;
}

async function get(url: string): Promise<Response> {
  return handler()(new Request(url));
}

/** Every file net.fetch was asked for, as a path. */
function fetchedPaths(): string[] {
  return electron.net.fetch.mock.calls.map(([url]) => fileURLToPath(url as string));
}

describe('app:// protocol', () => {
  it('is registered as a standard, secure scheme with fetch, and nothing more', () => {
    registerAppScheme();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledExactlyOnceWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('serves an asset from inside the renderer folder, through net.fetch of its file:// URL', async () => {
    const res = await get('app://tickr/assets/app.js');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('console.log("tickr")');
    expect(electron.net.fetch).toHaveBeenCalledExactlyOnceWith(
      pathToFileURL(path.join(rendererDir, 'assets', 'app.js')).href,
    );
  });

  it('serves index.html for the page URL and for the root, with any query or fragment', async () => {
    for (const url of ['app://tickr/index.html', 'app://tickr/', 'app://tickr/index.html?x=1#/jobs']) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(await res.text(), url).toContain('<title>Tickr</title>');
    }
  });

  it('refuses path traversal and dot-files with 404, and never reads outside the folder', async () => {
    // The same attempts `tickr serve`'s static files refuse (tests/unit/server-static-files.test.ts).
    for (const urlPath of TRAVERSAL_PATHS) {
      const url = `app://tickr${urlPath}`;
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect((await res.text()).toLowerCase(), url).not.toContain('secret');
    }
    for (const file of fetchedPaths()) expect(file.startsWith(rendererDir + path.sep), file).toBe(true);
  });

  it('answers 404 for another host or a port', async () => {
    for (const url of ['app://evil/index.html', 'app://tickr:8080/index.html', 'app://TICKR.example/index.html']) {
      expect((await get(url)).status, url).toBe(404);
    }
    expect(electron.net.fetch).not.toHaveBeenCalled();
  });

  it('answers 404 for a missing file, a directory and a route: no SPA fallback', async () => {
    for (const url of ['app://tickr/assets/missing.js', 'app://tickr/assets/', 'app://tickr/jobs/42']) {
      expect((await get(url)).status, url).toBe(404);
    }
    expect(electron.net.fetch).not.toHaveBeenCalled();
  });

  it('answers 404 when the file vanishes before net.fetch reads it', async () => {
    electron.net.fetch.mockRejectedValueOnce(new Error('net::ERR_FILE_NOT_FOUND'));
    expect((await get('app://tickr/index.html')).status).toBe(404);
  });

  it('maps a URL to a path inside the folder, or to nothing', () => {
    expect(appFilePath('app://tickr/assets/app.js', rendererDir)).toBe(path.join(rendererDir, 'assets', 'app.js'));
    expect(appFilePath('app://tickr/', rendererDir)).toBe(path.join(rendererDir, 'index.html'));
    expect(appFilePath('file:///etc/passwd', rendererDir)).toBeNull();
    expect(appFilePath('https://tickr/index.html', rendererDir)).toBeNull();
    expect(appFilePath('not a url', rendererDir)).toBeNull();
  });
});
