import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventMessage, Result } from '../../src/shared/contract';
import type { Job } from '../../src/shared/types';

/** The tray: its live status from the engine's events, and its menu, against a mocked `electron`. */

const electron = vi.hoisted(() => {
  class FakeTray {
    static created: FakeTray[] = [];
    tooltip = '';
    menu: MenuItemConstructorOptions[] = [];
    readonly listeners = new Map<string, () => void>();
    constructor(readonly image: unknown) {
      FakeTray.created.push(this);
    }
    setToolTip(text: string): void {
      this.tooltip = text;
    }
    setContextMenu(menu: { template: MenuItemConstructorOptions[] }): void {
      this.menu = menu.template;
    }
    on(event: string, listener: () => void): this {
      this.listeners.set(event, listener);
      return this;
    }
  }
  return {
    FakeTray,
    Menu: { buildFromTemplate: (template: MenuItemConstructorOptions[]) => ({ template }) },
    nativeImage: { createFromDataURL: (url: string) => ({ url }) },
  };
});

vi.mock('electron', () => ({ Tray: electron.FakeTray, Menu: electron.Menu, nativeImage: electron.nativeImage }));

const { createTray, trayMenuTemplate, trayTooltip, whenText } = await import('../../src/main/app/tray');
const { trackTrayStatus } = await import('../../src/main/app/tray-status');

const failedJob = (id: string): Job => ({
  id,
  taskId: '3',
  status: 'failed',
  attempt: 1,
  maxAttempts: 1,
  scheduledFor: '2026-01-01T00:00:00.000Z',
  dueAt: '2026-01-01T00:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  exitCode: 1,
  error: null,
  nodeId: 'n1',
});

const labels = (menu: MenuItemConstructorOptions[]) => menu.map((i) => (i.type === 'separator' ? '—' : i.label));

function actions() {
  return { show: vi.fn(), openJob: vi.fn(), pauseAll: vi.fn(), resumeAll: vi.fn(), quit: vi.fn() };
}

describe('tray status', () => {
  let emit: (message: EventMessage) => void = () => undefined;
  let running = 2;
  const api = {
    subscribe: (listener: (message: EventMessage) => void) => {
      emit = listener;
      return () => undefined;
    },
    call: (method: string): Promise<Result<unknown>> => {
      if (method === 'jobs.counts') return Promise.resolve({ ok: true, data: { counts: { running } } });
      return Promise.resolve({
        ok: true,
        data: { items: [{ taskId: '3', taskName: 'backup', at: '2026-01-01T01:00:00Z' }] },
      });
    },
  };

  beforeEach(() => {
    vi.useFakeTimers();
    running = 2;
  });
  afterEach(() => vi.useRealTimers());

  it('shows running jobs and the next run, and refreshes once per burst of events', async () => {
    const onChange = vi.fn();
    const tracker = trackTrayStatus({ api, onChange });
    await vi.advanceTimersByTimeAsync(0);
    expect(tracker.status).toMatchObject({ running: 2, nextRun: { taskName: 'backup', at: '2026-01-01T01:00:00Z' } });

    running = 0;
    const calls = onChange.mock.calls.length;
    for (let i = 0; i < 10; i++) emit({ event: 'queue.changed', data: { reason: 'x' } });
    await vi.advanceTimersByTimeAsync(600);
    expect(onChange.mock.calls.length).toBe(calls + 1);
    expect(tracker.status.running).toBe(0);
    tracker.stop();
  });

  it('counts the jobs failed since the user last looked, once each, newest first', async () => {
    const tracker = trackTrayStatus({ api, onChange: () => undefined });
    for (const id of ['1', '2', '2', '3']) emit({ event: 'job.updated', data: failedJob(id) });
    expect(tracker.status.failedCount).toBe(3);
    expect(tracker.status.failedSinceSeen.map((j) => j.id)).toEqual(['3', '2', '1']);
    tracker.markSeen();
    expect(tracker.status.failedCount).toBe(0);
    emit({ event: 'job.updated', data: { ...failedJob('4'), status: 'succeeded' } });
    expect(tracker.status.failedCount).toBe(0);
    tracker.stop();
  });

  it('keeps its last figures when the engine cannot answer', async () => {
    const onError = vi.fn();
    const broken = {
      ...api,
      call: () => Promise.resolve({ ok: false, error: { code: 'STORE_UNAVAILABLE', message: 'x' } }),
    };
    const tracker = trackTrayStatus({ api: broken as typeof api, onChange: () => undefined, onError });
    await vi.advanceTimersByTimeAsync(0);
    expect(onError).toHaveBeenCalled();
    expect(tracker.status).toMatchObject({ running: 0, nextRun: null });
    tracker.stop();
  });
});

describe('tray menu', () => {
  const now = new Date('2026-01-01T00:00:00Z');

  it('lists running, failed since last looked (each opens its job), next run and the actions', () => {
    const a = actions();
    const menu = trayMenuTemplate(
      {
        running: 1,
        failedCount: 2,
        failedSinceSeen: [
          { id: '9', taskId: '3' },
          { id: '8', taskId: '4' },
        ],
        nextRun: { taskName: 'backup', at: '2026-01-01T00:05:00Z' },
      },
      a,
      now,
    );
    expect(labels(menu)).toEqual([
      '1 job running',
      '2 jobs failed since you last looked',
      '    Open failed job 9 (task 3)',
      '    Open failed job 8 (task 4)',
      'Next: backup in 5 min',
      '—',
      'Open Tickr',
      'Pause all tasks',
      'Resume all tasks',
      '—',
      'Quit Tickr',
    ]);
    const click = (label: string) => (menu.find((i) => i.label === label)?.click as (() => void) | undefined)?.();
    click('    Open failed job 8 (task 4)');
    expect(a.openJob).toHaveBeenCalledWith('8');
    click('Pause all tasks');
    click('Resume all tasks');
    click('Open Tickr');
    click('Quit Tickr');
    expect([a.pauseAll, a.resumeAll, a.show, a.quit].map((f) => f.mock.calls.length)).toEqual([1, 1, 1, 1]);
  });

  it('says when nothing runs or is scheduled, and offers launch at login as a checkbox', () => {
    const login = { enabled: vi.fn(() => false), set: vi.fn() };
    const menu = trayMenuTemplate(
      { running: 0, failedCount: 0, failedSinceSeen: [], nextRun: null },
      { ...actions(), launchAtLogin: login },
      now,
    );
    expect(labels(menu).slice(0, 2)).toEqual(['No job running', 'No run scheduled']);
    const item = menu.find((i) => i.label === 'Launch at login');
    expect(item).toMatchObject({ type: 'checkbox', checked: false });
    (item?.click as (i: { checked: boolean }) => void)({ checked: true });
    expect(login.set).toHaveBeenCalledWith(true);
  });

  it('words the next run by how far it is', () => {
    expect(whenText('2025-12-31T23:00:00Z', now)).toBe('now');
    expect(whenText('2026-01-01T00:59:00Z', now)).toBe('in 59 min');
    expect(whenText('2026-01-03T09:00:00Z', now)).toMatch(/^on /);
  });

  it('puts the status in the tooltip and updates the live tray', () => {
    const status = { running: 3, failedCount: 1, failedSinceSeen: [{ id: '1', taskId: '2' }], nextRun: null };
    expect(trayTooltip(status)).toBe('Tickr: 3 running, 1 failed');
    const a = actions();
    const handle = createTray(a, { running: 0, failedCount: 0, failedSinceSeen: [], nextRun: null });
    const tray = electron.FakeTray.created.at(-1);
    expect(tray?.tooltip).toBe('Tickr: 0 running');
    handle.update(status);
    expect(tray?.tooltip).toBe('Tickr: 3 running, 1 failed');
    expect(labels(tray?.menu ?? [])[0]).toBe('3 jobs running');
    tray?.listeners.get('click')?.();
    expect(a.show).toHaveBeenCalledOnce();
  });
});
