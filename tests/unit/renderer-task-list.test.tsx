// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyEvent, rereadAfterReconnect } from '../../src/renderer/src/app/events';
import { resetStore, useTickrStore } from '../../src/renderer/src/app/store';
import { TasksView } from '../../src/renderer/src/views/Tasks';
import type { RecentRun, Task } from '../../src/shared/types';
import { installFakeApi, job } from './renderer-fixtures';

/** The Tasks list (views/Tasks): rows, filters, the actions, and live updates from engine events. */

const NOW = Date.parse('2030-06-01T12:00:00.000Z');

function task(id: string, overrides: Partial<Task> = {}): Task {
  return {
    id,
    name: `task ${id}`,
    type: 'shell',
    command: `echo ${id}`,
    cwd: null,
    env: {},
    http: null,
    schedule: { type: 'cron', expr: '0 9 * * 1-5', timezone: 'Europe/Berlin' },
    maxAttempts: 3,
    retryDelayMs: 1000,
    timeoutMs: 3_600_000,
    overlap: 'skip',
    catchUp: 'once',
    target: 'any',
    nodeId: null,
    enabled: true,
    nextRunAt: new Date(NOW + 65_000).toISOString(),
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    deletedAt: null,
    ...overrides,
  };
}

const run = (id: string, status: RecentRun['status'], durationMs: number | null = 1000): RecentRun => ({
  id,
  status,
  durationMs,
  finishedAt: durationMs === null ? null : '2030-06-01T11:00:00.000Z',
});

const TASKS = [
  task('3', { name: 'backup', command: 'pg_dump shop' }),
  task('2', {
    name: 'ping',
    type: 'http',
    command: null,
    http: { method: 'GET', url: 'https://example.com/health', headers: {} },
    schedule: { type: 'interval', everyMs: 300_000 },
  }),
  task('1', { name: 'report', enabled: false, schedule: { type: 'once', delayMs: 600_000 } }),
];

let api: Record<string, ReturnType<typeof vi.fn>>;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  resetStore();
  useTickrStore.setState({ route: { view: 'tasks', id: null }, jobsLoaded: true, jobs: [job('9')] });
  api = {
    'tasks.list': vi.fn(async () => ({ items: TASKS, nextCursor: null })),
    'tasks.recentRuns': vi.fn(async () => ({
      items: [
        { taskId: '3', runs: [run('12', 'failed', 4000), run('11', 'succeeded', 2000)] },
        { taskId: '2', runs: [run('10', 'succeeded', 100)] },
        { taskId: '1', runs: [] },
      ],
    })),
    'tasks.pause': vi.fn(async ({ id }: { id: string }) => ({ ...TASKS.find((t) => t.id === id)!, enabled: false })),
    'tasks.resume': vi.fn(async ({ id }: { id: string }) => ({ ...TASKS.find((t) => t.id === id)!, enabled: true })),
    'tasks.runNow': vi.fn(async () => job('13', { taskId: '3' })),
    'tasks.delete': vi.fn(async ({ id }: { id: string }) => ({ id, deleted: true, cancelledJobs: 0 })),
    'tasks.get': vi.fn(async ({ id }: { id: string }) => ({
      ...TASKS.find((t) => t.id === id)!,
      nextRunAt: new Date(NOW + 3_600_000 * 3).toISOString(),
    })),
  };
  installFakeApi(api as never);
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

async function renderList(): Promise<void> {
  render(<TasksView />);
  await vi.waitFor(() => expect(screen.getAllByTestId('task-row')).toHaveLength(3));
}

const rowOf = (name: string) => screen.getAllByTestId('task-row').find((r) => r.textContent?.includes(name))!;
const names = () => screen.queryAllByTestId('task-row').map((r) => r.querySelector('th a')?.textContent);

describe('the task list', () => {
  it('shows each task’s name, type, schedule in words with its zone, countdown, last result and strip', async () => {
    await renderList();
    const backup = rowOf('backup');
    expect(within(backup).getByRole('link', { name: 'backup' }).getAttribute('href')).toBe('#/tasks/3');
    expect(backup.textContent).toContain('pg_dump shop');
    expect(backup.textContent).toContain('shell');
    expect(backup.textContent).toContain('At 09:00, Monday through Friday (Europe/Berlin)');
    expect(within(backup).getByTestId('task-next-run').textContent).toBe('in 1 min 05 s');
    expect(within(backup).getByTestId('task-last-result').textContent).toBe('failed');
    // The strip: oldest left, colour by status, height by duration against the longest.
    const bars = [...backup.querySelectorAll<HTMLElement>('.run-bar[data-status]')];
    expect(bars.map((b) => [b.dataset.status, b.style.height])).toEqual([
      ['succeeded', '50%'],
      ['failed', '100%'],
    ]);
    expect(within(backup).getByRole('img').getAttribute('aria-label')).toBe('backup: last 2 runs, 1 failed');

    expect(rowOf('ping').textContent).toContain('Every 5 minutes');
    expect(rowOf('ping').textContent).toContain('GET https://example.com/health');
    expect(within(rowOf('report')).getByTestId('task-next-run').textContent).toBe('paused');
    expect(within(rowOf('report')).getByTestId('task-last-result').textContent).toBe('not run yet');
    expect(rowOf('report').textContent).toContain('Once, after 10 minutes');
    // The strips came in one call for the listed tasks.
    expect(api['tasks.recentRuns']).toHaveBeenCalledTimes(1);
    expect(api['tasks.recentRuns']).toHaveBeenCalledWith({ taskIds: ['3', '2', '1'] });
  });

  it('searches name and command, and filters by type, enabled and last result', async () => {
    await renderList();
    const search = screen.getByRole('searchbox', { name: /search tasks/i });
    fireEvent.change(search, { target: { value: 'PG_DUMP' } });
    expect(names()).toEqual(['backup']);
    fireEvent.change(search, { target: { value: 'example.com' } });
    expect(names()).toEqual(['ping']);
    fireEvent.change(search, { target: { value: '' } });

    fireEvent.change(screen.getByRole('combobox', { name: 'Type' }), { target: { value: 'http' } });
    expect(names()).toEqual(['ping']);
    fireEvent.change(screen.getByRole('combobox', { name: 'Type' }), { target: { value: 'all' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'State' }), { target: { value: 'paused' } });
    expect(names()).toEqual(['report']);
    fireEvent.change(screen.getByRole('combobox', { name: 'State' }), { target: { value: 'all' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Last result' }), { target: { value: 'succeeded' } });
    expect(names()).toEqual(['ping']);
    fireEvent.change(screen.getByRole('combobox', { name: 'Last result' }), { target: { value: 'never' } });
    expect(names()).toEqual(['report']);
    fireEvent.change(search, { target: { value: 'nothing like it' } });
    expect(screen.getByText('No task matches these filters.')).toBeDefined();
  });

  it('pauses and resumes with the switch, and runs now', async () => {
    await renderList();
    const toggle = within(rowOf('backup')).getByRole('switch', { name: 'Enabled: backup' });
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    await act(async () => fireEvent.click(toggle));
    expect(api['tasks.pause']).toHaveBeenCalledWith({ id: '3' });
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    expect(within(rowOf('backup')).getByTestId('task-next-run').textContent).toBe('paused');

    await act(async () => fireEvent.click(toggle));
    expect(api['tasks.resume']).toHaveBeenCalledWith({ id: '3' });
    expect(toggle.getAttribute('aria-checked')).toBe('true');

    await act(async () => fireEvent.click(within(rowOf('backup')).getByRole('button', { name: 'Run now: backup' })));
    expect(api['tasks.runNow']).toHaveBeenCalledWith({ id: '3' });
  });

  it('shows a failed action’s reason', async () => {
    api['tasks.pause']!.mockRejectedValueOnce(new Error('MySQL is unavailable'));
    await renderList();
    await act(async () => fireEvent.click(within(rowOf('ping')).getByRole('switch', { name: 'Enabled: ping' })));
    expect(screen.getByRole('alert').textContent).toBe('MySQL is unavailable');
    expect(within(rowOf('ping')).getByRole('switch').getAttribute('aria-checked')).toBe('true');
  });

  it('deletes after a confirmation that offers to delete the history too; Cancel and Esc change nothing', async () => {
    await renderList();
    fireEvent.click(within(rowOf('ping')).getByRole('button', { name: 'Delete: ping' }));
    let dialog = screen.getByRole('alertdialog', { name: 'Delete “ping”?' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();

    fireEvent.click(within(rowOf('ping')).getByRole('button', { name: 'Delete: ping' }));
    fireEvent.keyDown(screen.getByRole('alertdialog'), { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(api['tasks.delete']).not.toHaveBeenCalled();

    fireEvent.click(within(rowOf('ping')).getByRole('button', { name: 'Delete: ping' }));
    dialog = screen.getByRole('alertdialog');
    fireEvent.click(within(dialog).getByRole('checkbox', { name: /also delete its history/i }));
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Delete task and history' })));
    expect(api['tasks.delete']).toHaveBeenCalledWith({ id: '2', purge: true });
    expect(names()).toEqual(['backup', 'report']);
  });

  it('a plain delete keeps the history (purge: false)', async () => {
    await renderList();
    fireEvent.click(within(rowOf('report')).getByRole('button', { name: 'Delete: report' }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Delete task' })));
    expect(api['tasks.delete']).toHaveBeenCalledWith({ id: '1', purge: false });
  });
});

describe('the task list, live', () => {
  it('puts a job.updated into its task’s strip and re-reads the task once for a new job (its next run moved)', async () => {
    await renderList();
    act(() => applyEvent({ event: 'job.updated', data: job('13', { taskId: '3', status: 'running' }) }));
    await vi.waitFor(() =>
      expect(within(rowOf('backup')).getByTestId('task-next-run').textContent).toBe('in 3 h 0 min'),
    );
    expect(api['tasks.get']).toHaveBeenCalledTimes(1);
    expect(api['tasks.get']).toHaveBeenCalledWith({ id: '3' });
    const statuses = () =>
      [...rowOf('backup').querySelectorAll<HTMLElement>('.run-bar[data-status]')].map((b) => b.dataset.status);
    expect(statuses()).toEqual(['succeeded', 'failed', 'running']);

    act(() =>
      applyEvent({
        event: 'job.updated',
        data: job('13', {
          taskId: '3',
          status: 'succeeded',
          startedAt: '2030-06-01T12:00:00.000Z',
          finishedAt: '2030-06-01T12:00:08.000Z',
        }),
      }),
    );
    expect(statuses()).toEqual(['succeeded', 'failed', 'succeeded']);
    expect(within(rowOf('backup')).getByTestId('task-last-result').textContent).toBe('succeeded');
    // The same job again is no new occurrence: no second read.
    expect(api['tasks.get']).toHaveBeenCalledTimes(1);
    // 8 s is now the longest run: the tallest bar.
    const last = [...rowOf('backup').querySelectorAll<HTMLElement>('.run-bar[data-status]')].at(-1)!;
    expect(last.style.height).toBe('100%');
  });

  it('a job of a task not in the list changes nothing and reads nothing', async () => {
    await renderList();
    act(() => applyEvent({ event: 'job.updated', data: job('99', { taskId: '42' }) }));
    expect(api['tasks.get']).not.toHaveBeenCalled();
  });

  it('re-reads the list and its strips after the event stream reconnects', async () => {
    await renderList();
    api['tasks.list']!.mockResolvedValueOnce({ items: [TASKS[0]], nextCursor: null });
    installFakeApi({
      ...api,
      'health.get': vi.fn(async () => ({})),
      'jobs.list': vi.fn(async () => ({ items: [], nextCursor: null })),
    } as never);
    await act(async () => rereadAfterReconnect());
    await vi.waitFor(() => expect(names()).toEqual(['backup']));
    expect(api['tasks.recentRuns']).toHaveBeenCalledTimes(2);
  });
});
