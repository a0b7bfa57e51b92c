import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { TrayStatus } from './tray-status';

/**
 * The tray icon keeps Tickr reachable while its window is closed: the scheduler keeps running
 * in the background until the user picks Quit. Its menu shows what runs, what failed since the
 * user last looked and the next run, with pause all / resume all.
 */

/**
 * A 16×16 clock face, inlined so the main bundle needs no resources folder at run time.
 * (resources/icons/16x16.png is the packaged icon at that size.)
 */
const TRAY_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAe0lEQVR42q2TwQ3AIAhFuXUBBmEexyHxxorOYi/StFUIEUn+xXxeJHwAhcEQoXAZIsu3eqwo3A1VD3ChcHOaVW14J8DUrGVAPoDltx3AM44C+gagK4ASAIKxJhfwrp+nHAFQYHXuCJAAQCR9oTVCMIVmkI5EOX1MW+d8A1f97lZ+JLuuAAAAAElFTkSuQmCC';

export interface TrayActions {
  show(): void;
  openJob(id: string): void;
  pauseAll(): void;
  resumeAll(): void;
  quit(): void;
  /** Launch at login: shown as a checkbox when given. */
  launchAtLogin?: { enabled(): boolean; set(enabled: boolean): void };
}

/** "in 5 min", "at 14:05", "on 3 Jan, 09:00": short, for a menu line. */
export function whenText(at: string, now: Date): string {
  const then = new Date(at);
  const minutes = Math.round((then.getTime() - now.getTime()) / 60_000);
  if (minutes <= 0) return 'now';
  if (minutes < 60) return `in ${minutes} min`;
  const time = then.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (then.toDateString() === now.toDateString()) return `at ${time}`;
  return `on ${then.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })}, ${time}`;
}

export function trayTooltip(status: TrayStatus): string {
  const parts = [`${status.running} running`];
  if (status.failedCount > 0) parts.push(`${status.failedCount} failed`);
  return `Tickr: ${parts.join(', ')}`;
}

/** The menu for a status: pure, so its content is unit-tested without a tray. */
export function trayMenuTemplate(
  status: TrayStatus,
  actions: TrayActions,
  now = new Date(),
): MenuItemConstructorOptions[] {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const items: MenuItemConstructorOptions[] = [
    { label: status.running === 0 ? 'No job running' : `${plural(status.running, 'job')} running`, enabled: false },
  ];
  if (status.failedCount > 0) {
    items.push({ label: `${plural(status.failedCount, 'job')} failed since you last looked`, enabled: false });
    for (const job of status.failedSinceSeen) {
      items.push({ label: `    Open failed job ${job.id} (task ${job.taskId})`, click: () => actions.openJob(job.id) });
    }
  }
  items.push({
    label:
      status.nextRun === null
        ? 'No run scheduled'
        : `Next: ${status.nextRun.taskName} ${whenText(status.nextRun.at, now)}`,
    enabled: false,
  });
  items.push(
    { type: 'separator' },
    { label: 'Open Tickr', click: () => actions.show() },
    { label: 'Pause all tasks', click: () => actions.pauseAll() },
    { label: 'Resume all tasks', click: () => actions.resumeAll() },
  );
  if (actions.launchAtLogin !== undefined) {
    const login = actions.launchAtLogin;
    items.push({
      label: 'Launch at login',
      type: 'checkbox',
      checked: login.enabled(),
      click: (item) => login.set(item.checked),
    });
  }
  items.push({ type: 'separator' }, { label: 'Quit Tickr', click: () => actions.quit() });
  return items;
}

export interface TrayHandle {
  readonly tray: Tray;
  update(status: TrayStatus): void;
}

/** The caller must keep the returned handle referenced: a collected Tray disappears from the bar. */
export function createTray(actions: TrayActions, initial: TrayStatus): TrayHandle {
  const tray = new Tray(nativeImage.createFromDataURL(TRAY_ICON));
  const update = (status: TrayStatus): void => {
    tray.setToolTip(trayTooltip(status));
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(status, actions)));
  };
  update(initial);
  // Windows and most Linux trays send a click; macOS opens the menu instead.
  tray.on('click', () => actions.show());
  return { tray, update };
}
