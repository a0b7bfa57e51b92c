import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebContents } from 'electron';
import { APP_INDEX_URL, isAppUrl, type RendererSource } from '../../src/main/app/renderer-source';

/**
 * The guards every WebContents gets (web-guards.ts), against a mocked `electron`: navigation
 * kept to our own origin, new windows denied, web links to the browser on a click only, no
 * <webview>, no permissions — and all of it for contents the app did not create itself.
 */

type Listener = (...args: unknown[]) => void;
type OpenHandler = (details: { url: string }) => { action: string };

const electron = vi.hoisted(() => ({ shell: { openExternal: vi.fn(() => Promise.resolve()) } }));

vi.mock('electron', () => ({ shell: electron.shell }));

const { guardAllWebContents, guardWebContents } = await import('../../src/main/app/web-guards');

class FakeWebContents {
  readonly listeners = new Map<string, Listener[]>();
  readonly setWindowOpenHandler = vi.fn();
  readonly session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  /** Emits `event` as Electron would and says whether a listener prevented it. */
  emit(event: string, url: string): boolean {
    const listeners = this.listeners.get(event) ?? [];
    if (listeners.length === 0) throw new Error(`no ${event} listener`);
    const details = { url, preventDefault: vi.fn() };
    for (const listener of listeners) listener(details);
    return details.preventDefault.mock.calls.length > 0;
  }
  get openHandler(): OpenHandler {
    const handler = this.setWindowOpenHandler.mock.calls.at(-1)?.[0] as OpenHandler | undefined;
    if (handler === undefined) throw new Error('setWindowOpenHandler was not called');
    return handler;
  }
}

type ContentsCreated = (event: unknown, contents: WebContents) => void;

class FakeApp {
  readonly listeners: ContentsCreated[] = [];
  on(event: string, listener: ContentsCreated): this {
    if (event === 'web-contents-created') this.listeners.push(listener);
    return this;
  }
  /** What Electron does for every new WebContents, whoever created it. */
  createWebContents(): FakeWebContents {
    const contents = new FakeWebContents();
    for (const listener of this.listeners) listener({}, contents as unknown as WebContents);
    return contents;
  }
}

const bundled: RendererSource = { kind: 'app-protocol', url: APP_INDEX_URL, dir: '/opt/tickr/out/renderer' };
const dev: RendererSource = { kind: 'dev-server', url: 'http://localhost:5173/' };

function guarded(source: RendererSource = bundled): FakeWebContents {
  const contents = new FakeWebContents();
  guardWebContents(contents as unknown as WebContents, (url) => isAppUrl(url, source));
  return contents;
}

const NAVIGATION_EVENTS = ['will-navigate', 'will-redirect', 'will-frame-navigate'] as const;

describe('web contents guards', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  describe.each(NAVIGATION_EVENTS)('%s', (event) => {
    it('is prevented for a foreign URL and allowed for our app:// page', () => {
      const contents = guarded();
      expect(contents.emit(event, 'https://evil.example/')).toBe(true);
      expect(contents.emit(event, 'file:///opt/tickr/out/renderer/index.html')).toBe(true);
      expect(contents.emit(event, 'app://evil/index.html')).toBe(true);
      expect(contents.emit(event, `${APP_INDEX_URL}#/jobs`)).toBe(false);
    });

    it('in development, allows the dev server origin only', () => {
      const contents = guarded(dev);
      expect(contents.emit(event, 'http://localhost:5173/index.html')).toBe(false);
      expect(contents.emit(event, 'http://localhost:5174/')).toBe(true);
      expect(contents.emit(event, APP_INDEX_URL)).toBe(true);
    });

    it('opens nothing externally: a refused navigation is not a click', () => {
      guarded().emit(event, 'https://example.com/docs');
      expect(electron.shell.openExternal).not.toHaveBeenCalled();
    });
  });

  it('denies every new window and opens only http(s) links in the browser', () => {
    const handler = guarded().openHandler;

    expect(handler({ url: 'https://example.com/docs' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'http://example.com/' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(2);
    expect(electron.shell.openExternal).toHaveBeenNthCalledWith(1, 'https://example.com/docs');
    expect(electron.shell.openExternal).toHaveBeenNthCalledWith(2, 'http://example.com/');
  });

  it('denies and does not open file:, javascript:, custom schemes or our own page', () => {
    const handler = guarded().openHandler;
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'vscode://extension/x',
      'ms-settings:',
      APP_INDEX_URL,
      'not a url',
    ]) {
      expect(handler({ url }), url).toEqual({ action: 'deny' });
    }
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('refuses to attach a <webview>', () => {
    expect(guarded().emit('will-attach-webview', 'app://tickr/index.html')).toBe(true);
  });

  it('denies every permission request', () => {
    const contents = guarded();
    const [handler] = contents.session.setPermissionRequestHandler.mock.calls[0] as [
      (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
    ];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      const callback = vi.fn();
      handler(contents, permission, callback);
      expect(callback, permission).toHaveBeenCalledExactlyOnceWith(false);
    }
  });

  it('denies every permission check', () => {
    const contents = guarded();
    const [handler] = contents.session.setPermissionCheckHandler.mock.calls[0] as [
      (contents: unknown, permission: string, origin: string, details: object) => boolean,
    ];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-sanitized-write', 'hid']) {
      expect(handler(contents, permission, 'app://tickr', {}), permission).toBe(false);
    }
  });

  it('guards a contents once, however often it is asked to', () => {
    const contents = guarded();
    guardWebContents(contents as unknown as WebContents, () => true);
    expect(contents.listeners.get('will-navigate')).toHaveLength(1);
    expect(contents.setWindowOpenHandler).toHaveBeenCalledOnce();
    // The first guard's own-URL test still holds: the second call changed nothing.
    expect(contents.emit('will-navigate', 'https://evil.example/')).toBe(true);
  });

  describe('the global web-contents-created guard', () => {
    it('guards a WebContents the app did not create itself', () => {
      const app = new FakeApp();
      guardAllWebContents(app, (url) => isAppUrl(url, bundled));
      const contents = app.createWebContents();

      for (const event of NAVIGATION_EVENTS) {
        expect(contents.emit(event, 'https://evil.example/'), event).toBe(true);
        expect(contents.emit(event, APP_INDEX_URL), event).toBe(false);
      }
      expect(contents.openHandler({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
      expect(contents.openHandler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
      expect(electron.shell.openExternal).toHaveBeenCalledExactlyOnceWith('https://example.com/');
      expect(contents.emit('will-attach-webview', APP_INDEX_URL)).toBe(true);
      expect(contents.session.setPermissionRequestHandler).toHaveBeenCalledOnce();
      expect(contents.session.setPermissionCheckHandler).toHaveBeenCalledOnce();
    });

    it('guards every contents created later, each on its own', () => {
      const app = new FakeApp();
      guardAllWebContents(app, (url) => isAppUrl(url, bundled));
      const first = app.createWebContents();
      const second = app.createWebContents();
      expect(first.emit('will-redirect', 'https://evil.example/')).toBe(true);
      expect(second.emit('will-frame-navigate', 'https://evil.example/')).toBe(true);
      expect(second.setWindowOpenHandler).toHaveBeenCalledOnce();
    });
  });
});
