import { Notification, screen, type BrowserWindow } from 'electron';
import type { ApiHandler } from '../api/types';
import { callApi } from './api-call';
import { notifyJobFailures } from './notifications';
import { notifyServiceChanges } from './service-notifications';
import { createTray, type TrayActions, type TrayHandle } from './tray';
import { trackTrayStatus } from './tray-status';
import { loadWindowState, placeWindow, rememberWindowState, saveWindowState, type WindowState } from './window-state';

/**
 * The desktop habits around a running engine, composed in one place so the entry point stays
 * short: the tray with its live status, failure and service notifications, and the window's
 * remembered place. Each part is its own module, unit-tested against a mocked electron.
 */

export interface DesktopHabitsOptions {
  api: ApiHandler;
  showWindow(): void;
  openJob(id: string): void;
  quit(): void;
  launchAtLogin?: TrayActions['launchAtLogin'];
  /** Settings' per-kind switches (on when not given). */
  notify?: { jobFailed?(): boolean; service?(): boolean };
  onError?(err: unknown): void;
}

export interface DesktopHabits {
  readonly tray: TrayHandle;
  /** The user looked at the window: the tray's "failed since you last looked" starts again. */
  seen(): void;
  stop(): void;
}

export function installDesktopHabits(options: DesktopHabitsOptions): DesktopHabits {
  const onError = options.onError ?? ((err: unknown) => console.error('[tickr]', err));
  const { api } = options;
  const act = (what: string, work: () => Promise<unknown>) => (): void => {
    work().catch((err: unknown) => onError(new Error(`${what}: ${err instanceof Error ? err.message : String(err)}`)));
  };

  let tray: TrayHandle | null = null;
  const status = trackTrayStatus({ api, onChange: (s) => tray?.update(s), onError });
  tray = createTray(
    {
      show: options.showWindow,
      openJob: options.openJob,
      pauseAll: act('pause all', () => callApi(api, 'tasks.pauseAll', {})),
      resumeAll: act('resume all', () => callApi(api, 'tasks.resumeAll', {})),
      quit: options.quit,
      ...(options.launchAtLogin === undefined ? {} : { launchAtLogin: options.launchAtLogin }),
    },
    status.status,
  );

  const stopFailures = notifyJobFailures({
    api,
    onOpen: (job) => options.openJob(job.id),
    ...(options.notify?.jobFailed === undefined ? {} : { enabled: options.notify.jobFailed }),
  });
  const stopServices = notifyServiceChanges({
    api,
    show: (notice) => {
      if (!Notification.isSupported()) return;
      const n = new Notification({ title: notice.title, body: notice.body });
      n.on('click', options.showWindow);
      n.show();
    },
    ...(options.notify?.service === undefined ? {} : { enabled: options.notify.service }),
  });

  return {
    tray,
    seen: () => status.markSeen(),
    stop: () => {
      status.stop();
      stopFailures();
      stopServices();
    },
  };
}

/** Where the main window opens: its remembered place, on a display that is there now. */
export function windowPlacement(dataDir: string): WindowState {
  const displays = screen.getAllDisplays().map((d) => d.workArea);
  return placeWindow(loadWindowState(dataDir), displays, screen.getPrimaryDisplay().workArea);
}

/** Saves the window's place as it moves, and counts a shown or focused window as "looked". */
export function followWindow(window: BrowserWindow, dataDir: string, seen: () => void): void {
  rememberWindowState(window, (state) => saveWindowState(dataDir, state));
  window.on('focus', seen);
  window.on('show', seen);
}
