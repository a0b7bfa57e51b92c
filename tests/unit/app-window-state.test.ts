import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_SIZE,
  WINDOW_STATE_FILE,
  loadWindowState,
  placeWindow,
  rememberWindowState,
  saveWindowState,
  type Rect,
  type TrackedWindow,
} from '../../src/main/app/window-state';

/** The window's remembered size and place: the file, the clamp to the displays, the saving. */

const laptop: Rect = { x: 0, y: 0, width: 1440, height: 900 };
const external: Rect = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('window placement', () => {
  it('opens at the default size, centred, the first time', () => {
    expect(placeWindow(null, [laptop], laptop)).toEqual({
      bounds: { x: 170, y: 70, width: DEFAULT_SIZE.width, height: DEFAULT_SIZE.height },
      maximized: false,
    });
  });

  it('brings back a place that is on a display', () => {
    const saved = { bounds: { x: 2000, y: 100, width: 1200, height: 800 }, maximized: true };
    expect(placeWindow(saved, [laptop, external], laptop)).toEqual(saved);
  });

  it('centres the window on the primary display when its display is gone', () => {
    const saved = { bounds: { x: 2000, y: 100, width: 1200, height: 800 }, maximized: false };
    expect(placeWindow(saved, [laptop], laptop)).toEqual({
      bounds: { x: 120, y: 50, width: 1200, height: 800 },
      maximized: false,
    });
  });

  it('shrinks and moves a window that hangs over the edge of a smaller display', () => {
    const saved = { bounds: { x: 1300, y: -20, width: 2000, height: 1200 }, maximized: false };
    expect(placeWindow(saved, [laptop], laptop)).toEqual({
      bounds: { x: 0, y: 0, width: 1440, height: 900 },
      maximized: false,
    });
  });

  it('does not count a sliver of title bar as visible', () => {
    const saved = { bounds: { x: 1400, y: 10, width: 800, height: 600 }, maximized: false };
    // 40 px of it on the laptop, none on any other display: centred instead.
    expect(placeWindow(saved, [laptop], laptop).bounds).toEqual({ x: 320, y: 150, width: 800, height: 600 });
  });

  it('keeps the minimum size', () => {
    const saved = { bounds: { x: 10, y: 10, width: 100, height: 50 }, maximized: false };
    expect(placeWindow(saved, [laptop], laptop).bounds).toMatchObject({ width: 640, height: 480 });
  });
});

describe('window state file', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tickr-window-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips through the data dir, leaving no temporary file', () => {
    const state = { bounds: { x: 1, y: 2, width: 900, height: 700 }, maximized: true };
    saveWindowState(dir, state);
    expect(loadWindowState(dir)).toEqual(state);
    expect(existsSync(join(dir, `${WINDOW_STATE_FILE}.tmp`))).toBe(false);
  });

  it('reads a missing, broken or ill-shaped file as no state', () => {
    expect(loadWindowState(dir)).toBeNull();
    writeFileSync(join(dir, WINDOW_STATE_FILE), '{"bounds": {"x": 1');
    expect(loadWindowState(dir)).toBeNull();
    writeFileSync(join(dir, WINDOW_STATE_FILE), '{"bounds": {"x": "1", "y": 0, "width": 10, "height": 10}}');
    expect(loadWindowState(dir)).toBeNull();
  });

  it('saves the normal bounds after moves settle, and at once on close', () => {
    vi.useFakeTimers();
    try {
      const listeners = new Map<string, () => void>();
      let bounds: Rect = { x: 0, y: 0, width: 800, height: 600 };
      const window: TrackedWindow = {
        getNormalBounds: () => bounds,
        isMaximized: () => false,
        isDestroyed: () => false,
        on: (event, listener) => listeners.set(event, listener),
      };
      const save = vi.fn();
      rememberWindowState(window, save);
      for (let x = 0; x < 50; x++) {
        bounds = { ...bounds, x };
        listeners.get('move')?.();
      }
      expect(save).not.toHaveBeenCalled();
      vi.advanceTimersByTime(500);
      expect(save).toHaveBeenCalledOnce();
      expect(save).toHaveBeenLastCalledWith({ bounds: { x: 49, y: 0, width: 800, height: 600 }, maximized: false });
      bounds = { ...bounds, width: 1000 };
      listeners.get('resize')?.();
      listeners.get('close')?.();
      expect(save).toHaveBeenCalledTimes(2);
      vi.advanceTimersByTime(1000);
      expect(save).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
