import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the window's page comes from, and the one test of "is this URL our own page" that the
 * IPC transport and the navigation guard both rely on.
 */

export type RendererSource = { kind: 'dev-server'; url: string } | { kind: 'file'; path: string };

export interface AppPaths {
  preload: string;
  rendererIndex: string;
}

/**
 * Paths of the built preload and renderer, relative to the main bundle. The caller passes its own
 * `import.meta.url` (out/main/index.js) because this module may be bundled into another chunk.
 */
export function appPaths(mainModuleUrl: string): AppPaths {
  return {
    preload: fileURLToPath(new URL('../preload/index.cjs', mainModuleUrl)),
    rendererIndex: fileURLToPath(new URL('../renderer/index.html', mainModuleUrl)),
  };
}

/**
 * The electron-vite dev server in development, the built index.html otherwise. The dev URL is
 * honoured only in an unpackaged app: a packaged app must never trust a URL from its environment.
 */
export function rendererSource(options: {
  devServerUrl: string | undefined;
  isPackaged: boolean;
  rendererIndex: string;
}): RendererSource {
  if (!options.isPackaged && options.devServerUrl !== undefined && options.devServerUrl !== '') {
    return { kind: 'dev-server', url: options.devServerUrl };
  }
  return { kind: 'file', path: options.rendererIndex };
}

function samePath(a: string, b: string): boolean {
  const ra = path.resolve(a);
  const rb = path.resolve(b);
  // Windows paths are case-insensitive and Chromium may report the drive letter in either case.
  return process.platform === 'win32' ? ra.toLowerCase() === rb.toLowerCase() : ra === rb;
}

/**
 * True when `url` is our renderer page: the same origin as the dev server, or exactly our
 * index.html on disk (any query or fragment). Any other file:// page is foreign, since a
 * file:// origin alone would admit every local file.
 */
export function isAppUrl(url: string, source: RendererSource): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (source.kind === 'dev-server') {
    try {
      return parsed.origin === new URL(source.url).origin;
    } catch {
      return false;
    }
  }
  if (parsed.protocol !== 'file:' || parsed.host !== '') return false;
  try {
    return samePath(fileURLToPath(parsed), source.path);
  } catch {
    return false;
  }
}
