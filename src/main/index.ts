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
import { loadConfig, type EngineConfig } from './engine/config';
import { Engine } from './engine/engine';
import { installHintLines } from './services/install-hints';
import { forwardServiceEvents } from './services/event-forwarder';
import { startManagedServices, type ManagedServices } from './services/managed-services';

/**
 * Electron entry: composes the app shell around the engine. The engine knows nothing of
 * Electron; everything Electron-specific lives in ./app.
 */

/** Added to the engine's own drain and kill budget before the shell gives up waiting on stop(). */
const STOP_MARGIN_MS = 15_000;
/** The managed servers' SIGTERM-to-SIGKILL grace (managed-services.ts's default), after the drain. */
const SERVICES_STOP_MS = 10_000;

let engine: Engine | null = null;
/** The local Redis and MariaDB the app runs when they are the default, down and installed. */
let services: ManagedServices | null = null;
let starting: Promise<void> | null = null;
let config: EngineConfig | null = null;
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

/**
 * Stops the engine once its start has settled (stopping half-way through a start is undefined),
 * then the managed servers: the jobs that finish during the drain still write to them.
 */
async function stopEngine(): Promise<void> {
  if (engine !== null) {
    await starting?.catch(() => undefined);
    await engine.stop();
  }
  await services?.stop();
}

/** Before the engine, which connects to them whenever they answer; restarts become system events. */
async function startServices(cfg: EngineConfig): Promise<void> {
  services = await startManagedServices({
    redisUrl: cfg.redisUrl,
    mysqlUrl: cfg.mysqlUrl,
    dataDir: cfg.dataDir,
    log: (line) => console.log(`[tickr] ${line}`),
    onEvent: forwardServiceEvents(() => engine),
  });
  for (const { service } of services.missing) {
    for (const line of installHintLines(service)) console.warn(`[tickr] ${line}`);
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
  try {
    config = loadConfig({ dataDir: app.getPath('userData') });
  } catch (err) {
    failStart('Tickr: invalid configuration', err);
    return;
  }

  try {
    await startServices(config);
    // Inside the try: the constructor already touches the data dir (the node id file).
    engine = new Engine(config, { keyProtector: keychainProtector() });
    starting = engine.start();
    await starting;
  } catch (err) {
    failStart('Tickr could not start', err);
    return;
  }
  // A quit that arrived during the start is already draining: open nothing new.
  if (drain?.state !== 'running') return;

  const api = createApi(engine);
  transport = registerIpcTransport({
    api,
    isAppUrl: isOwnUrl,
    targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
  });
  notifyJobFailures({ api, onClick: showWindow });
  // Timers sleep with the machine: on wake, missed occurrences get their catch-up policy.
  const started = engine;
  reevaluateOnResume({
    reevaluate: () => started.reevaluateSchedules(),
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
    timeoutMs: () =>
      config === null ? undefined : config.drainTimeoutMs + config.killGraceMs + SERVICES_STOP_MS + STOP_MARGIN_MS,
  });

  app.on('second-instance', () => {
    if (transport !== null) showWindow();
  });
  // macOS: a click on the dock icon with no window open.
  app.on('activate', () => {
    if (transport !== null) showWindow();
  });
  // Closing the window does not stop the scheduler: Tickr keeps running in the tray until Quit.
  // (Without a listener, Electron would quit when the last window closes.)
  app.on('window-all-closed', () => undefined);
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
