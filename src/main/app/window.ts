import { BrowserWindow, shell, type WebContents } from 'electron';
import { isAppUrl, type RendererSource } from './renderer-source';

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

/** Only web links leave the app, and they go to the user's browser, never into an Electron window. */
function openExternalIfWeb(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return;
  }
  if (protocol === 'http:' || protocol === 'https:') void shell.openExternal(url);
}

/**
 * New windows are always denied, and the page may only navigate within our own renderer. A link
 * to the web opens in the system browser instead, so the page cannot end up hosting foreign
 * content next to the preload's API.
 */
export function guardWebContents(contents: WebContents, isOwnUrl: (url: string) => boolean): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfWeb(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (isOwnUrl(event.url)) return;
    event.preventDefault();
    openExternalIfWeb(event.url);
  });
  // webviewTag is off; this also refuses a <webview> if something ever turns it back on.
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // The UI needs no camera, location, notifications permission …: refuse every request.
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
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
  guardWebContents(window.webContents, (url) => isAppUrl(url, options.source));

  const onLoadError = options.onLoadError ?? ((err: unknown) => console.error('[tickr] window failed to load:', err));
  const loading =
    options.source.kind === 'dev-server' ? window.loadURL(options.source.url) : window.loadFile(options.source.path);
  loading.catch(onLoadError);
  return window;
}

/** Brings the window back from the tray or a second launch: restores, shows and focuses it. */
export function revealWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
