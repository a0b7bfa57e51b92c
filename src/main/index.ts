import { app, BrowserWindow, dialog } from 'electron';
import { createApi } from './api';
import { registerAppScheme, serveAppProtocol } from './app/app-protocol';
import { registerIpcTransport, type IpcTransport } from './app/ipc-transport';
import { followWindow, installDesktopHabits, windowPlacement, type DesktopHabits } from './app/desktop-habits';
import { HIDDEN_ARG, loginItem } from './app/login-item';
import { askHowToQuit, cancelRunningJobs } from './app/quit-confirm';
import { keychainProtector } from './app/key-protector';
import { reevaluateOnResume } from './app/power-resume';
import { installQuitDrain, type QuitDrain } from './app/quit-drain';
import { appPaths, isAppUrl, rendererSource } from './app/renderer-source';
import { guardAllWebContents } from './app/web-guards';
import { createMainWindow, openRoute, revealWindow } from './app/window';
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
let shellApi: ReturnType<typeof createApi> | null = null;
// Module-level so the tray is never garbage-collected (it would vanish from the bar).
let habits: DesktopHabits | null = null;

const paths = appPaths(import.meta.url);
const source = rendererSource({
  devServerUrl: process.env['ELECTRON_RENDERER_URL'],
  isPackaged: app.isPackaged,
  rendererDir: paths.rendererDir,
});
const isOwnUrl = (url: string): boolean => isAppUrl(url, source);

/** Shows the window, opening it (on `route`, when given) if it is closed; true when it was open. */
function showWindow(route?: string): boolean {
  if (mainWindow !== null && !mainWindow.isDestroyed()) {
    revealWindow(mainWindow);
    return true;
  }
  const dataDir = app.getPath('userData');
  mainWindow = createMainWindow({
    preloadPath: paths.preload,
    source,
    state: windowPlacement(dataDir),
    ...(route === undefined ? {} : { route }),
  });
  followWindow(mainWindow, dataDir, () => habits?.seen());
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  return false;
}

/** A notification's or the tray's "open job": the window, on that job's page. */
function openJob(id: string): void {
  const route = `/jobs/${id}`;
  // A window opened now loads on the route; one already open moves to it in place.
  if (showWindow(route) && mainWindow !== null) openRoute(mainWindow, source.url, route);
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
  // Timers sleep with the machine: on wake, missed occurrences get their catch-up policy.
  const started = engine;
  reevaluateOnResume({
    reevaluate: () => started.reevaluateSchedules(),
    onError: (err) => console.error('[tickr] schedules not re-evaluated after sleep:', err),
  });
  // Started at login: to the tray only, the window opens from there.
  if (!process.argv.includes(HIDDEN_ARG)) showWindow();
  habits = installDesktopHabits({
    api,
    showWindow: () => void showWindow(),
    openJob,
    quit: () => app.quit(),
    launchAtLogin: loginItem({ app }),
  });
  shellApi = api;
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
    // With jobs running, a quit asks: wait for them, or stop them.
    confirm: () =>
      askHowToQuit({
        running: () => engine?.runningCount ?? 0,
        showMessageBox: (options) => dialog.showMessageBox(options),
        drainTimeoutMs: () => config?.drainTimeoutMs ?? 0,
      }),
    stopRunning: async () => {
      if (shellApi !== null && engine !== null) await cancelRunningJobs(shellApi, engine.context.nodeId);
    },
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
  app.on('will-quit', () => {
    habits?.stop();
    habits?.tray.tray.destroy();
  });

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
