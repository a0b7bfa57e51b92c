import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventMessage, Result } from '../../src/shared/contract';
import type { Health } from '../../src/shared/types';

/** The habits composed as the entry point uses them, against a mocked `electron`. */

const electron = vi.hoisted(() => {
  class FakeTray {
    static last: FakeTray | null = null;
    menu: MenuItemConstructorOptions[] = [];
    constructor() {
      FakeTray.last = this;
    }
    setToolTip(): void {}
    setContextMenu(menu: { template: MenuItemConstructorOptions[] }): void {
      this.menu = menu.template;
    }
    on(): this {
      return this;
    }
  }
  class FakeNotification {
    static shown: Array<{ title: string; body: string }> = [];
    static isSupported = () => true;
    constructor(readonly options: { title: string; body: string }) {}
    on(): this {
      return this;
    }
    show(): void {
      FakeNotification.shown.push(this.options);
    }
  }
  const area = (x: number, width: number) => ({ workArea: { x, y: 0, width, height: 1000 } });
  return {
    FakeTray,
    FakeNotification,
    screen: { getAllDisplays: () => [area(0, 1600)], getPrimaryDisplay: () => area(0, 1600) },
  };
});

vi.mock('electron', () => ({
  Tray: electron.FakeTray,
  Notification: electron.FakeNotification,
  Menu: { buildFromTemplate: (template: MenuItemConstructorOptions[]) => ({ template }) },
  nativeImage: { createFromDataURL: () => ({}) },
  screen: electron.screen,
}));

const { installDesktopHabits, windowPlacement } = await import('../../src/main/app/desktop-habits');

describe('desktop habits', () => {
  let listeners: Array<(message: EventMessage) => void> = [];
  let calls: string[] = [];
  const api = {
    subscribe: (listener: (message: EventMessage) => void) => {
      listeners.push(listener);
      return () => undefined;
    },
    call: (method: string): Promise<Result<unknown>> => {
      calls.push(method);
      if (method === 'jobs.counts') return Promise.resolve({ ok: true, data: { counts: { running: 0 } } });
      if (method === 'tasks.upcoming') return Promise.resolve({ ok: true, data: { items: [] } });
      return Promise.resolve({ ok: true, data: { paused: ['1'], resumed: ['1'] } });
    },
  };
  const emit = (message: EventMessage) => listeners.forEach((l) => l(message));

  beforeEach(() => {
    vi.useFakeTimers();
    listeners = [];
    calls = [];
    electron.FakeNotification.shown = [];
  });
  afterEach(() => vi.useRealTimers());

  it("wires the tray's pause all / resume all to the contract and tells a Redis outage", async () => {
    const habits = installDesktopHabits({ api, showWindow: vi.fn(), openJob: vi.fn(), quit: vi.fn() });
    const click = (label: string) =>
      (electron.FakeTray.last?.menu.find((i) => i.label === label)?.click as (() => void) | undefined)?.();
    click('Pause all tasks');
    click('Resume all tasks');
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toContain('tasks.pauseAll');
    expect(calls).toContain('tasks.resumeAll');

    const down = {
      redis: { status: 'down', latencyMs: null, error: 'refused', since: '', runId: null },
      mysql: { status: 'up', latencyMs: 1, error: null, since: '', journalPending: 0 },
      node: { id: 'n', name: 'n', concurrency: 1, running: 0, draining: false },
    } as Health;
    emit({ event: 'health.changed', data: down });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(electron.FakeNotification.shown.map((n) => n.title)).toEqual(['Redis is unreachable']);
    habits.stop();
  });

  it('places the first window centred on the primary display', () => {
    const dir = `/nonexistent/tickr-${process.pid}`;
    expect(windowPlacement(dir)).toEqual({ bounds: { x: 250, y: 120, width: 1100, height: 760 }, maximized: false });
  });
});
