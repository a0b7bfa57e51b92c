import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindowConstructorOptions, HandlerDetails } from 'electron';

/** The main window's security settings and guards, against a mocked `electron`. */

type Listener = (...args: unknown[]) => void;

const electron = vi.hoisted(() => {
  class FakeWebContents {
    readonly listeners = new Map<string, Listener>();
    openHandler: ((details: { url: string }) => { action: string }) | null = null;
    readonly session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
    readonly loadURL = vi.fn(() => Promise.resolve());
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
      this.openHandler = handler;
    }
    on(event: string, listener: Listener): this {
      this.listeners.set(event, listener);
      return this;
    }
  }
  class FakeBrowserWindow {
    static created: FakeBrowserWindow[] = [];
    readonly webContents = new FakeWebContents();
    readonly loadFile = vi.fn(() => Promise.resolve());
    readonly loadURL = vi.fn(() => Promise.resolve());
    readonly once = vi.fn();
    readonly show = vi.fn();
    readonly maximize = vi.fn();
    constructor(readonly options: Record<string, unknown>) {
      FakeBrowserWindow.created.push(this);
    }
  }
  return { FakeBrowserWindow, shell: { openExternal: vi.fn(() => Promise.resolve()) } };
});

vi.mock('electron', () => ({ BrowserWindow: electron.FakeBrowserWindow, shell: electron.shell }));

const { createMainWindow, openRoute } = await import('../../src/main/app/window');
const { APP_INDEX_URL, appPaths } = await import('../../src/main/app/renderer-source');

const paths = appPaths('file:///opt/tickr/out/main/index.js');
const source = { kind: 'app-protocol', url: APP_INDEX_URL, dir: paths.rendererDir } as const;

function openWindow() {
  createMainWindow({ preloadPath: paths.preload, source });
  const window = electron.FakeBrowserWindow.created.at(-1);
  if (window === undefined) throw new Error('no window created');
  return window;
}

describe('main window', () => {
  beforeEach(() => {
    electron.FakeBrowserWindow.created = [];
    vi.clearAllMocks();
  });

  it('runs the page sandboxed and isolated, without Node, with the CommonJS preload', () => {
    const window = openWindow();
    const prefs = (window.options as BrowserWindowConstructorOptions).webPreferences;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
    expect(prefs?.preload).toMatch(/[/\\]out[/\\]preload[/\\]index\.cjs$/);
    // The built page comes over app://, never file:// (app-protocol.ts serves it).
    expect(window.loadURL).toHaveBeenCalledWith('app://tickr/index.html');
    expect(window.loadFile).not.toHaveBeenCalled();
  });

  it('denies every new window and sends web links to the system browser', () => {
    const handler = openWindow().webContents.openHandler;
    if (handler === null) throw new Error('setWindowOpenHandler was not called');

    expect(handler({ url: 'https://example.com/docs' } as HandlerDetails)).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledExactlyOnceWith('https://example.com/docs');

    // Anything that is not http(s) is denied and not handed to the OS either.
    expect(handler({ url: 'file:///etc/passwd' } as HandlerDetails)).toEqual({ action: 'deny' });
    expect(handler({ url: 'smb://host/share' } as HandlerDetails)).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledOnce();
  });

  it('blocks navigation away from our page, but not within it', () => {
    const willNavigate = openWindow().webContents.listeners.get('will-navigate');
    if (willNavigate === undefined) throw new Error('no will-navigate listener');

    const away = { url: 'https://evil.example/', preventDefault: vi.fn() };
    willNavigate(away);
    expect(away.preventDefault).toHaveBeenCalled();

    const within = { url: `${APP_INDEX_URL}#/jobs`, preventDefault: vi.fn() };
    willNavigate(within);
    expect(within.preventDefault).not.toHaveBeenCalled();
  });

  it('refuses every permission request', () => {
    const window = openWindow();
    const [handler] = window.webContents.session.setPermissionRequestHandler.mock.calls[0] as [
      (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
    ];
    const callback = vi.fn();
    handler({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
  });

  it('loads the dev server URL when given one', () => {
    createMainWindow({ preloadPath: paths.preload, source: { kind: 'dev-server', url: 'http://localhost:5173' } });
    const window = electron.FakeBrowserWindow.created.at(-1);
    expect(window?.loadURL).toHaveBeenCalledWith('http://localhost:5173');
  });

  it('opens at the remembered place, maximised after the first paint when it was', () => {
    const state = { bounds: { x: 50, y: 60, width: 900, height: 700 }, maximized: true };
    createMainWindow({ preloadPath: paths.preload, source, state });
    const window = electron.FakeBrowserWindow.created.at(-1);
    expect(window?.options).toMatchObject({ x: 50, y: 60, width: 900, height: 700, minWidth: 640, minHeight: 480 });
    const [event, onReady] = (window?.once.mock.calls[0] ?? []) as unknown as [string, () => void];
    expect(event).toBe('ready-to-show');
    expect(window?.maximize).not.toHaveBeenCalled();
    onReady();
    expect(window?.maximize).toHaveBeenCalledOnce();
    expect(window?.show).toHaveBeenCalledOnce();
  });

  it("opens a job's page by its hash route, replacing any route the page is on", () => {
    const window = openWindow();
    openRoute(window as never, `${APP_INDEX_URL}#/tasks`, '/jobs/7');
    expect(window.webContents.loadURL).toHaveBeenCalledWith(`${APP_INDEX_URL}#/jobs/7`);
  });

  it('opens a new window straight on a route (a notification clicked while it was closed)', () => {
    createMainWindow({ preloadPath: paths.preload, source, route: '/jobs/9' });
    expect(electron.FakeBrowserWindow.created.at(-1)?.loadURL).toHaveBeenCalledWith(`${APP_INDEX_URL}#/jobs/9`);
  });
});
