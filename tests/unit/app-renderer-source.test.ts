import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { APP_INDEX_URL, appPaths, isAppUrl, rendererSource } from '../../src/main/app/renderer-source';

/** "Is this our own page?" — the check behind the IPC sender test and the navigation guards. */

const paths = appPaths(pathToFileURL('/opt/tickr/out/main/index.js').href);
const bundled = { kind: 'app-protocol', url: APP_INDEX_URL, dir: paths.rendererDir } as const;
const dev = { kind: 'dev-server', url: 'http://localhost:5173/' } as const;

// The fixtures are POSIX paths; the Windows-specific case-folding is not covered here.
describe.skipIf(process.platform === 'win32')('renderer source', () => {
  it('places the preload, the renderer folder and the job spawner next to the main bundle', () => {
    expect(paths.preload).toBe('/opt/tickr/out/preload/index.cjs');
    expect(paths.rendererDir).toBe('/opt/tickr/out/renderer');
    expect(paths.spawnerHost).toBe('/opt/tickr/out/main/spawner-host.cjs');
  });

  it('serves the built page from app://tickr, not file://', () => {
    expect(APP_INDEX_URL).toBe('app://tickr/index.html');
  });

  it('accepts our app:// origin, with any path, query or fragment', () => {
    expect(isAppUrl(APP_INDEX_URL, bundled)).toBe(true);
    expect(isAppUrl(`${APP_INDEX_URL}?x=1#/jobs/7`, bundled)).toBe(true);
    expect(isAppUrl('app://tickr/assets/index.js', bundled)).toBe(true);
  });

  it('rejects other hosts, ports and schemes, the built files over file:// included', () => {
    expect(isAppUrl(pathToFileURL('/opt/tickr/out/renderer/index.html').href, bundled)).toBe(false);
    expect(isAppUrl('file:///tmp/index.html', bundled)).toBe(false);
    expect(isAppUrl('app://evil/index.html', bundled)).toBe(false);
    expect(isAppUrl('app://tickr:8080/index.html', bundled)).toBe(false);
    expect(isAppUrl('https://tickr/index.html', bundled)).toBe(false);
    expect(isAppUrl('https://evil.example/index.html', bundled)).toBe(false);
    expect(isAppUrl('not a url', bundled)).toBe(false);
  });

  it('accepts the dev server origin only', () => {
    expect(isAppUrl('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isAppUrl(APP_INDEX_URL, dev)).toBe(false);
  });

  it('ignores a dev server URL in a packaged app', () => {
    const options = { devServerUrl: 'http://localhost:5173', rendererDir: paths.rendererDir };
    expect(rendererSource({ ...options, isPackaged: false })).toEqual({
      kind: 'dev-server',
      url: 'http://localhost:5173',
    });
    expect(rendererSource({ ...options, isPackaged: true })).toEqual(bundled);
    expect(rendererSource({ ...options, devServerUrl: undefined, isPackaged: false })).toEqual(bundled);
  });
});
