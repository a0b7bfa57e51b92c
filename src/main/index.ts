import { app, BrowserWindow, dialog, type Tray } from 'electron';
import { createApi } from './api';
import { registerAppScheme, serveAppProtocol } from './app/app-protocol';
import { registerIpcTransport, type IpcTransport } from './app/ipc-transport';
import { notifyJobFailures } from './app/notifications';
import { keychainProtector } from './app/key-protector';
import { reevaluateOnResume } from './app/power-resume';
import { installQuitDrain, type QuitDrain } from './app/quit-drain';
import { appPaths, isAppUrl, rendererSource } from './app/renderer-source';
import { createTray } from './app/tray';
import { guardAllWebContents } from './app/web-guards';
import { createMainWindow, revealWindow } from './app/window';
import { desktopSettings } from './app/desktop-settings';
import { EngineSwitch } from './app/engine-switch';
import { SettingsStore } from './app/settings-store';
import { swappableApi } from './app/swappable-api';
import type { EngineConfig } from './engine/config';
import { Engine } from './engine/engine';
import type { DesktopSettings } from '../shared/types';

/**
 * Electron entry: composes the app shell around the engine. The engine knows nothing of
 * Electron; everything Electron-specific lives in ./app.
 */

/** Added to the engine's own drain and kill budget before the shell gives up waiting on stop(). */
const STOP_MARGIN_MS = 15_000;

let engines: EngineSwitch<Engine> | null = null;
let starting: Promise<unknown> | null = null;
let config: EngineConfig | null = null;
let desktop: DesktopSettings | null = null;
let transport: IpcTransport | null = null;
let drain: QuitDrain | null = null;
let mainWindow: BrowserWindow | null = null;
// Module-level so the tray is never garbage-collected (it would vanish from the bar).
let tray: Tray | null = null;

const paths = appPaths(import.meta.url);
const source = rendererSource({
  devServerUrl: process.env['ELECTRON_RENDERER_URL'],
  isPackaged: app.isPackaged,
  rendererDir: paths.rendererDir,
});
const isOwnUrl = (url: string): boolean => isAppUrl(url, source);

function showWindow(): void {
  if (mainWindow !== null && !mainWindow.isDestroyed()) {
    revealWindow(mainWindow);
    return;
  }
  mainWindow = createMainWindow({ preloadPath: paths.preload, source });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

/** Stops the engine once its start has settled: stopping half-way through a start is undefined. */
async function stopEngine(): Promise<void> {
  if (engines === null) return;
  await starting?.catch(() => undefined);
  await engines.stop();
}

/** The window preferences that act on the shell: the login item; the rest is read where used. */
function applyDesktop(next: DesktopSettings): void {
  desktop = next;
  if (process.platform === 'darwin' || process.platform === 'win32') {
    app.setLoginItemSettings({ openAtLogin: next.launchAtLogin });
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A start-up failure is shown (a modal box needs no window or IPC) and the app quits cleanly. */
function failStart(title: string, err: unknown): void {
  console.error(`[tickr] ${title}:`, err);
  dialog.showErrorBox(title, errorText(err));
  app.quit();
}

async function boot(): Promise<void> {
  const keyProtector = keychainProtector();
  const store = new SettingsStore(app.getPath('userData'), keyProtector);
  try {
    config = await store.engineConfig();
    desktop = store.readDesktop();
  } catch (err) {
    failStart('Tickr: invalid configuration', err);
    return;
  }

  // One API object for the whole run: a settings change swaps the engine behind it.
  const shared = swappableApi();
  const switcher = new EngineSwitch<Engine>({
    create: (c) => new Engine(c, { keyProtector }),
    onSwap: (next) => {
      config = next.config;
      shared.swap(createApi(next, settings));
    },
    onProgress: (progress) => shared.emit({ event: 'settings.progress', data: progress }),
    onError: (message) => console.error(`[tickr] ${message}`),
  });
  const settings = desktopSettings({ store, engines: switcher, applyDesktop });
  engines = switcher;

  try {
    // Inside the try: the constructor already touches the data dir (the node id file).
    starting = switcher.start(config);
    await starting;
  } catch (err) {
    failStart('Tickr could not start', err);
    return;
  }
  // A quit that arrived during the start is already draining: open nothing new.
  if (drain?.state !== 'running') return;

  const api = shared.api;
  transport = registerIpcTransport({
    api,
    isAppUrl: isOwnUrl,
    targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
  });
  notifyJobFailures({ api, onClick: showWindow, enabled: () => desktop?.notifications.jobFailed !== false });
  // Timers sleep with the machine: on wake, missed occurrences get their catch-up policy.
  reevaluateOnResume({
    reevaluate: () => switcher.engine.reevaluateSchedules(),
    onError: (err) => console.error('[tickr] schedules not re-evaluated after sleep:', err),
  });
  showWindow();
  tray = createTray({ show: showWindow, quit: () => app.quit() });
}

if (!app.requestSingleInstanceLock()) {
  // Another Tickr already runs against this data dir; it gets focus via 'second-instance'.
  app.quit();
} else {
  // Both before 'ready': scheme privileges are read at start-up, and every WebContents, from the
  // first one on, must get the navigation, window-open and permission guards.
  registerAppScheme();
  guardAllWebContents(app, isOwnUrl);

  drain = installQuitDrain({
    app,
    signals: process,
    stopAccepting: () => transport?.stopAccepting(),
    stop: stopEngine,
    timeoutMs: () => (config === null ? undefined : config.drainTimeoutMs + config.killGraceMs + STOP_MARGIN_MS),
  });

  app.on('second-instance', () => {
    if (transport !== null) showWindow();
  });
  // macOS: a click on the dock icon with no window open.
  app.on('activate', () => {
    if (transport !== null) showWindow();
  });
  // Closing the window does not stop the scheduler: Tickr keeps running in the tray until Quit,
  // unless the user chose "quit on close" in Settings. (Without a listener, Electron would quit.)
  app.on('window-all-closed', () => {
    if (desktop?.closeToTray === false) app.quit();
  });
  // Windows leaves a ghost icon in the notification area unless the tray is destroyed.
  app.on('will-quit', () => tray?.destroy());

  // Windows shows notifications only for an app with an AppUserModelID.
  if (process.platform === 'win32') app.setAppUserModelId('dev.tickr.app');

  app
    .whenReady()
    .then(() => {
      if (source.kind === 'app-protocol') serveAppProtocol(source.dir);
      return boot();
    })
    .catch((err: unknown) => failStart('Tickr could not start', err));
}
