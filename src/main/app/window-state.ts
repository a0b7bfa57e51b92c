import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The main window's size and position, remembered in the data dir (window-state.json) and
 * brought back on a display that is still there: a monitor unplugged since, or a smaller
 * resolution, must not open the window off screen. No electron import: the shell passes the
 * displays' work areas (screen.getAllDisplays()) and the window's bounds.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_SIZE = { width: 1100, height: 760 };
export const MIN_SIZE = { width: 640, height: 480 };
/** How much of the title bar must be on a display for the window to count as visible there. */
const MIN_VISIBLE = 100;

function isRect(v: unknown): v is Rect {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return ['x', 'y', 'width', 'height'].every((k) => typeof r[k] === 'number' && Number.isFinite(r[k]));
}

/** The saved state, or null when there is none or it is unreadable (the defaults then apply). */
export function loadWindowState(dataDir: string): WindowState | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, WINDOW_STATE_FILE), 'utf8')) as Record<string, unknown>;
    if (!isRect(parsed['bounds'])) return null;
    return { bounds: parsed['bounds'], maximized: parsed['maximized'] === true };
  } catch {
    return null;
  }
}

export function saveWindowState(dataDir: string, state: WindowState): void {
  const file = join(dataDir, WINDOW_STATE_FILE);
  // Written aside and renamed: a crash mid-write leaves the previous state, never half a file.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state)}\n`);
  renameSync(`${file}.tmp`, file);
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

function centred(size: { width: number; height: number }, area: Rect): Rect {
  const width = Math.min(size.width, area.width);
  const height = Math.min(size.height, area.height);
  return {
    x: Math.round(area.x + (area.width - width) / 2),
    y: Math.round(area.y + (area.height - height) / 2),
    width,
    height,
  };
}

/**
 * Where to open the window: the saved bounds when their title bar is on a display (shrunk to
 * fit that display and moved inside it), else the saved size centred on the primary display.
 * Without a saved state, the default size centred, which lets the platform decide nothing odd.
 */
export function placeWindow(saved: WindowState | null, workAreas: Rect[], primary: Rect): WindowState {
  if (saved === null) return { bounds: centred(DEFAULT_SIZE, primary), maximized: false };
  const size = {
    width: Math.max(MIN_SIZE.width, Math.round(saved.bounds.width)),
    height: Math.max(MIN_SIZE.height, Math.round(saved.bounds.height)),
  };
  const titleBar: Rect = { ...saved.bounds, height: Math.min(40, saved.bounds.height) };
  const home = workAreas.find((area) => {
    const o = overlap(titleBar, area);
    return o.width >= Math.min(MIN_VISIBLE, titleBar.width) && o.height > 0;
  });
  if (home === undefined) return { bounds: centred(size, primary), maximized: saved.maximized };
  const width = Math.min(size.width, home.width);
  const height = Math.min(size.height, home.height);
  const x = Math.min(Math.max(Math.round(saved.bounds.x), home.x), home.x + home.width - width);
  const y = Math.min(Math.max(Math.round(saved.bounds.y), home.y), home.y + home.height - height);
  return { bounds: { x, y, width, height }, maximized: saved.maximized };
}

/** What is saved of a window: its normal (not maximised) bounds, so un-maximising restores them. */
export interface TrackedWindow {
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  isDestroyed(): boolean;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
}

const SAVE_DEBOUNCE_MS = 500;

/** Saves the window's state on every move or resize (debounced) and when it closes. */
export function rememberWindowState(
  window: TrackedWindow,
  save: (state: WindowState) => void,
  timers: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout } = { setTimeout, clearTimeout },
): void {
  let pending: ReturnType<typeof setTimeout> | null = null;
  const saveNow = (): void => {
    if (pending !== null) timers.clearTimeout(pending);
    pending = null;
    if (window.isDestroyed()) return;
    try {
      save({ bounds: window.getNormalBounds(), maximized: window.isMaximized() });
    } catch (err) {
      console.error('[tickr] window state not saved:', err);
    }
  };
  const later = (): void => {
    if (pending !== null) timers.clearTimeout(pending);
    pending = timers.setTimeout(saveNow, SAVE_DEBOUNCE_MS);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event, later);
  window.on('close', saveNow);
}
