import { fileURLToPath } from 'node:url';

/**
 * Where the window's page comes from, and the one test of "is this URL our own page" that the
 * IPC transport and the navigation guards both rely on. No electron import: app-protocol.ts
 * serves the files, this module only names them.
 */

/**
 * The built renderer is served from `app://tickr/` (app-protocol.ts) rather than file://: a
 * file:// page shares its origin with every local file, a custom standard scheme gives it one
 * of its own.
 */
export const APP_SCHEME = 'app';
/** The one host the scheme answers for; any other host is foreign and gets a 404. */
export const APP_HOST = 'tickr';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

export type RendererSource =
  | { kind: 'dev-server'; url: string }
  /** `dir` is the built renderer folder that `app://tickr/` maps onto. */
  | { kind: 'app-protocol'; url: string; dir: string };

export interface AppPaths {
  preload: string;
  rendererDir: string;
  /** The job spawner's script, beside the main bundle (electron.vite.config.ts emits it). */
  spawnerHost: string;
}

/**
 * Paths of the built preload, renderer and job spawner, relative to the main bundle. The caller passes its own
 * `import.meta.url` (out/main/index.js) because this module may be bundled into another chunk.
 */
export function appPaths(mainModuleUrl: string): AppPaths {
  return {
    preload: fileURLToPath(new URL('../preload/index.cjs', mainModuleUrl)),
    rendererDir: fileURLToPath(new URL('../renderer', mainModuleUrl)),
    spawnerHost: fileURLToPath(new URL('./spawner-host.cjs', mainModuleUrl)),
  };
}

/**
 * The electron-vite dev server in development, the built renderer over `app://` otherwise. The dev
 * URL is honoured only in an unpackaged app: a packaged app must never trust a URL from its
 * environment.
 */
export function rendererSource(options: {
  devServerUrl: string | undefined;
  isPackaged: boolean;
  rendererDir: string;
}): RendererSource {
  if (!options.isPackaged && options.devServerUrl !== undefined && options.devServerUrl !== '') {
    return { kind: 'dev-server', url: options.devServerUrl };
  }
  return { kind: 'app-protocol', url: APP_INDEX_URL, dir: options.rendererDir };
}

/**
 * True when `url` has our page's origin: the dev server's, or exactly `app://tickr` (no port).
 * Node gives non-special schemes an opaque "null" origin, so scheme and host are compared
 * instead; Chromium reports the canonical, lower-case form, so the comparison is exact.
 */
export function isAppUrl(url: string, source: RendererSource): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (source.kind === 'app-protocol') return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  try {
    return parsed.origin === new URL(source.url).origin;
  } catch {
    return false;
  }
}
