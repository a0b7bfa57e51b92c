import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { appPaths, isAppUrl, rendererSource } from '../../src/main/app/renderer-source';

/** "Is this our own page?" — the check behind the IPC sender test and the navigation guard. */

const paths = appPaths(pathToFileURL('/opt/tickr/out/main/index.js').href);
const file = { kind: 'file', path: paths.rendererIndex } as const;
const dev = { kind: 'dev-server', url: 'http://localhost:5173/' } as const;

// The fixtures are POSIX paths; the Windows-specific case-folding is not covered here.
describe.skipIf(process.platform === 'win32')('renderer source', () => {
  it('places the preload and the page next to the main bundle', () => {
    expect(paths.preload).toBe('/opt/tickr/out/preload/index.cjs');
    expect(paths.rendererIndex).toBe('/opt/tickr/out/renderer/index.html');
  });

  it('accepts exactly our index.html, with any query or fragment', () => {
    const url = pathToFileURL(paths.rendererIndex).href;
    expect(isAppUrl(url, file)).toBe(true);
    expect(isAppUrl(`${url}?x=1#/jobs/7`, file)).toBe(true);
  });

  it('rejects other files, other hosts and other schemes', () => {
    expect(isAppUrl('file:///opt/tickr/out/renderer/other.html', file)).toBe(false);
    expect(isAppUrl('file:///tmp/index.html', file)).toBe(false);
    expect(isAppUrl('file://server/opt/tickr/out/renderer/index.html', file)).toBe(false);
    expect(isAppUrl('https://evil.example/index.html', file)).toBe(false);
    expect(isAppUrl('not a url', file)).toBe(false);
  });

  it('accepts the dev server origin only', () => {
    expect(isAppUrl('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', dev)).toBe(false);
  });

  it('ignores a dev server URL in a packaged app', () => {
    const options = { devServerUrl: 'http://localhost:5173', rendererIndex: paths.rendererIndex };
    expect(rendererSource({ ...options, isPackaged: false })).toEqual({
      kind: 'dev-server',
      url: 'http://localhost:5173',
    });
    expect(rendererSource({ ...options, isPackaged: true })).toEqual(file);
    expect(rendererSource({ ...options, devServerUrl: undefined, isPackaged: false })).toEqual(file);
  });
});
