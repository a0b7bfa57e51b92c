import { BrowserWindow } from 'electron';
import { isAppUrl, type RendererSource } from './renderer-source';
import { guardWebContents } from './web-guards';

/**
 * The main window, locked down: the page gets no Node, runs sandboxed in its own context and
 * reaches the engine only through the preload's `window.tickr`.
 */

export interface MainWindowOptions {
  /** Absolute path of out/preload/index.cjs. */
  preloadPath: string;
  source: RendererSource;
  onLoadError?(err: unknown): void;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 640,
    minHeight: 480,
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

  window.once('ready-to-show', () => window.show());
  // Already guarded by the global 'web-contents-created' hook in the app; this keeps the window
  // safe on its own (and is a no-op when the hook ran).
  guardWebContents(window.webContents, (url) => isAppUrl(url, options.source));

  const onLoadError = options.onLoadError ?? ((err: unknown) => console.error('[tickr] window failed to load:', err));
  window.loadURL(options.source.url).catch(onLoadError);
  return window;
}

/** Brings the window back from the tray or a second launch: restores, shows and focuses it. */
export function revealWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
