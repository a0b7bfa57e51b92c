import { shell, type Session, type WebContents } from 'electron';

/**
 * The guards every WebContents gets (Electron's security checklist): no navigation away from our
 * own origin, no new windows, no <webview>, no permissions. They are installed for each contents
 * as it is created (`guardAllWebContents`), so one the app did not create itself — a devtools
 * page, something a future dependency opens — is held to the same rules as the main window.
 */

/** What a navigation event needs here; `will-navigate`, `will-redirect` and `will-frame-navigate` all carry it. */
interface NavigationEvent {
  url: string;
  preventDefault(): void;
}

/** What of `app` the global guard uses; the caller passes `app` (tests pass a fake). */
export interface WebContentsSource {
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContents) => void): unknown;
}

/**
 * Only web links leave the app, and they go to the user's browser, never into an Electron window.
 * Called only from the window-open handler, which is what a click on a target=_blank link (or
 * window.open) reaches: a script that merely sets `location` gets its navigation refused and
 * opens nothing. Electron tells the handler nothing about a user gesture, so this is the closest
 * to "the user clicked" the shell can get.
 */
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
 * The UI needs no camera, location, clipboard or notification permission (notifications are the
 * main process's): every request is refused, and every check answers "not granted" so that APIs
 * which only ask (without requesting) see a denial too.
 */
export function guardSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Contents already guarded, so the global hook and createMainWindow do not add the listeners twice. */
const guarded = new WeakSet<WebContents>();

/**
 * New windows are always denied, and the page and its frames may only navigate within our own
 * origin, also through a server redirect, so the page cannot end up hosting foreign content next
 * to the preload's API.
 */
export function guardWebContents(contents: WebContents, isOwnUrl: (url: string) => boolean): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);

  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfWeb(url);
    return { action: 'deny' };
  });
  const refuseForeign = (event: NavigationEvent): void => {
    if (!isOwnUrl(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', refuseForeign);
  contents.on('will-redirect', refuseForeign);
  // Fires for subframes too, which will-navigate does not.
  contents.on('will-frame-navigate', refuseForeign);
  // webviewTag is off; this also refuses a <webview> if something ever turns it back on.
  contents.on('will-attach-webview', (event) => event.preventDefault());
  guardSession(contents.session);
}

/** Guards every WebContents from its creation on. Install before 'ready', so none is missed. */
export function guardAllWebContents(app: WebContentsSource, isOwnUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, isOwnUrl));
}
