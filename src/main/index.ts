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
import { desktopSettings } from './app/desktop-settings';
import { EngineSwitch } from './app/engine-switch';
import { SettingsStore } from './app/settings-store';
import { swappableApi } from './app/swappable-api';
import type { EngineConfig } from './engine/config';
import { Engine } from './engine/engine';
import type { DesktopSettings } from '../shared/types';
import { installHintLines } from './services/install-hints';
import { forwardServiceEvents } from './services/event-forwarder';
import { startManagedServices, type ManagedServices } from './services/managed-services';
import { utilitySpawnerHost } from './app/utility-spawner';

/**
 * Electron entry: composes the app shell around the engine. The engine knows nothing of
 * Electron; everything Electron-specific lives in ./app.
 */

/** Added to the engine's own drain and kill budget before the shell gives up waiting on stop(). */
const STOP_MARGIN_MS = 15_000;
/** The managed servers' SIGTERM-to-SIGKILL grace (managed-services.ts's default), after the drain. */
const SERVICES_STOP_MS = 10_000;

/** The running engine; a settings change swaps it for one with the new settings. */
let engines: EngineSwitch<Engine> | null = null;
/** The local Redis and MariaDB the app runs when they are the default, down and installed. */
let services: ManagedServices | null = null;
let starting: Promise<unknown> | null = null;
let config: EngineConfig | null = null;
let desktop: DesktopSettings | null = null;
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
  if (engines !== null) {
    await starting?.catch(() => undefined);
    await engines.stop();
  }
  await services?.stop();
}

/** The engine running now, or null before the first start. */
function currentEngine(): Engine | null {
  try {
    return engines?.engine ?? null;
  } catch {
    return null;
  }
}

/** The window preferences that act on the shell: the login item; the rest is read where used. */
function applyDesktop(next: DesktopSettings): void {
  desktop = next;
  loginItem({ app }).set(next.launchAtLogin);
}

/** Before the engine, which connects to them whenever they answer; restarts become system events. */
async function startServices(cfg: EngineConfig): Promise<void> {
  services = await startManagedServices({
    redisUrl: cfg.redisUrl,
    mysqlUrl: cfg.mysqlUrl,
    dataDir: cfg.dataDir,
    log: (line) => console.log(`[tickr] ${line}`),
    onEvent: forwardServiceEvents(currentEngine),
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
    create: (c) => new Engine(c, { keyProtector, spawnerHost: utilitySpawnerHost(paths.spawnerHost) }),
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
    // The managed servers come first (only for the local defaults); a change to remote servers in
    // Settings leaves them running until quit.
    await startServices(config);
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
  // Timers sleep with the machine: on wake, missed occurrences get their catch-up policy.
  reevaluateOnResume({
    reevaluate: () => switcher.engine.reevaluateSchedules(),
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
    notify: {
      jobFailed: () => desktop?.notifications.jobFailed !== false,
      service: () => desktop?.notifications.serviceDown !== false,
    },
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
        running: () => currentEngine()?.runningCount ?? 0,
        showMessageBox: (options) => dialog.showMessageBox(options),
        drainTimeoutMs: () => config?.drainTimeoutMs ?? 0,
      }),
    stopRunning: async () => {
      const engine = currentEngine();
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
  // Closing the window does not stop the scheduler: Tickr keeps running in the tray until Quit,
  // unless the user chose "quit on close" in Settings. (Without a listener, Electron would quit.)
  app.on('window-all-closed', () => {
    if (desktop?.closeToTray === false) app.quit();
  });
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
