import { BrowserWindow } from 'electron';
import { isAppUrl, type RendererSource } from './renderer-source';
import { guardWebContents } from './web-guards';
import { DEFAULT_SIZE, MIN_SIZE, type WindowState } from './window-state';

/**
 * The main window, locked down: the page gets no Node, runs sandboxed in its own context and
 * reaches the engine only through the preload's `window.tickr`.
 */

export interface MainWindowOptions {
  /** Absolute path of out/preload/index.cjs. */
  preloadPath: string;
  source: RendererSource;
  onLoadError?(err: unknown): void;
  /** Where it opens (window-state.ts placeWindow); without it, the default size, centred. */
  state?: WindowState;
  /** A hash route to open on (`/jobs/7`), for a window opened by a notification's click. */
  route?: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const bounds = options.state?.bounds;
  const window = new BrowserWindow({
    ...(bounds === undefined ? DEFAULT_SIZE : bounds),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Tickr',
    // Shown once painted, so the user never sees a blank white frame.
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });

  window.once('ready-to-show', () => {
    if (options.state?.maximized === true) window.maximize();
    window.show();
  });
  // Already guarded by the global 'web-contents-created' hook in the app; this keeps the window
  // safe on its own (and is a no-op when the hook ran).
  guardWebContents(window.webContents, (url) => isAppUrl(url, options.source));

  const onLoadError = options.onLoadError ?? ((err: unknown) => console.error('[tickr] window failed to load:', err));
  window.loadURL(withRoute(options.source.url, options.route)).catch(onLoadError);
  return window;
}

/** Brings the window back from the tray or a second launch: restores, shows and focuses it. */
export function revealWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/**
 * Opens a page of the UI by its hash route (`#/jobs/7`): a same-document navigation, so the page
 * keeps its state and its hash router takes it from there.
 */
export function openRoute(window: BrowserWindow, appUrl: string, route: string): void {
  window.webContents
    .loadURL(withRoute(appUrl, route))
    .catch((err: unknown) => console.error('[tickr] route not opened:', err));
}

function withRoute(appUrl: string, route: string | undefined): string {
  if (route === undefined) return appUrl;
  return `${appUrl.split('#')[0] ?? appUrl}#${route}`;
}
