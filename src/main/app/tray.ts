import { Menu, Tray, nativeImage } from 'electron';

/**
 * The tray icon keeps Tickr reachable while its window is closed: the scheduler keeps running
 * in the background until the user picks Quit.
 */

/**
 * A 16×16 clock face, inlined so the main bundle needs no resources folder at run time.
 * Generated once from a few lines of zlib code; replace it with a designed icon later.
 */
const TRAY_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAe0lEQVR42q2TwQ3AIAhFuXUBBmEexyHxxorOYi/StFUIEUn+xXxeJHwAhcEQoXAZIsu3eqwo3A1VD3ChcHOaVW14J8DUrGVAPoDltx3AM44C+gagK4ASAIKxJhfwrp+nHAFQYHXuCJAAQCR9oTVCMIVmkI5EOX1MW+d8A1f97lZ+JLuuAAAAAElFTkSuQmCC';

export interface TrayActions {
  show(): void;
  quit(): void;
}

/** The caller must keep the returned Tray referenced: a collected Tray disappears from the bar. */
export function createTray(actions: TrayActions): Tray {
  const tray = new Tray(nativeImage.createFromDataURL(TRAY_ICON));
  tray.setToolTip('Tickr');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show Tickr', click: () => actions.show() },
      { type: 'separator' },
      { label: 'Quit', click: () => actions.quit() },
    ]),
  );
  // Windows and most Linux trays send a click; macOS opens the menu instead.
  tray.on('click', () => actions.show());
  return tray;
}
