// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyEvent, rereadAfterReconnect } from '../../src/renderer/src/app/events';
import { startRouter } from '../../src/renderer/src/app/routing/router';
import { resetStore, useTickrStore } from '../../src/renderer/src/app/store';
import { JobsView } from '../../src/renderer/src/views/Jobs';
import { FIRST_PAGE, NEXT_PAGE } from '../../src/renderer/src/views/Jobs/slice';
import type { Job, NodeInfo, Page, Task } from '../../src/shared/types';
import { stubLayoutApis } from './renderer-dom-stubs';
import { installFakeApi, job } from './renderer-fixtures';

/** The Jobs view's filters (views/Jobs/components/JobFilters): what jobs.list is asked, the URL, clearing. */

const state = () => useTickrStore.getState();
const stops: (() => void)[] = [];

function task(id: string, name: string): Task {
  return { id, name } as Task;
}

const NODE: NodeInfo = {
  id: 'node-aaaa-1111',
  name: 'build-box',
  host: 'localhost',
  pid: 1,
  concurrency: 2,
  startedAt: '2025-01-01T00:00:00.000Z',
  heartbeatAt: '2025-01-01T00:00:00.000Z',
  stoppedAt: null,
} as NodeInfo;

let list: ReturnType<typeof vi.fn<(input: Record<string, unknown>) => Promise<Page<Job>>>>;
let stats: ReturnType<typeof vi.fn>;

function lastListCall(): Record<string, unknown> {
  return list.mock.calls.at(-1)?.[0] ?? {};
}

function open(hash: string): void {
  history.replaceState(null, '', hash);
  stops.push(startRouter(window));
  render(<JobsView />);
}

beforeEach(() => {
  stubLayoutApis();
  resetStore();
  history.replaceState(null, '', '/');
  list = vi.fn(async () => ({ items: [job('9', { taskId: '3', status: 'failed' })], nextCursor: null }));
  stats = vi.fn(async () => ({ items: [] }));
  installFakeApi({
    'jobs.list': list,
    'tasks.list': async () => ({ items: [task('3', 'backup'), task('4', 'report')], nextCursor: null }),
    'tasks.recentRuns': async () => ({ items: [] }),
    'tasks.durationStats': stats,
    'nodes.list': async () => ({ items: [NODE] }),
    'jobs.bulkList': async () => ({ items: [] }),
  } as never);
});

afterEach(() => {
  cleanup();
  for (const stop of stops.splice(0)) stop();
  vi.unstubAllGlobals();
});

describe('the job filters', () => {
  it('reads the filter from the URL and asks the server for exactly it', async () => {
    open('#/jobs?task=3&status=failed');

    await vi.waitFor(() => expect(list).toHaveBeenCalled());
    expect(lastListCall()).toEqual({ limit: FIRST_PAGE, taskId: '3', status: 'failed' });
    await screen.findByRole('option', { name: 'backup' });
    expect((screen.getByRole('combobox', { name: 'Task' }) as HTMLSelectElement).value).toBe('3');
    expect((screen.getByRole('combobox', { name: 'Status' }) as HTMLSelectElement).value).toBe('failed');
    // The rows name their task.
    await vi.waitFor(() => expect(screen.getByRole('link', { name: 'backup' })).toBeDefined());
  });

  it('a change of task, status or node goes to the URL and to the next jobs.list', async () => {
    open('#/jobs');
    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(1));
    expect(lastListCall()).toEqual({ limit: FIRST_PAGE });
    await screen.findByRole('option', { name: 'report' });
    await screen.findByRole('option', { name: 'build-box' });

    fireEvent.change(screen.getByRole('combobox', { name: 'Task' }), { target: { value: '4' } });
    await vi.waitFor(() => expect(lastListCall()).toEqual({ limit: FIRST_PAGE, taskId: '4' }));
    expect(location.hash).toBe('#/jobs?task=4');

    fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), { target: { value: 'succeeded' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Node' }), { target: { value: NODE.id } });
    await vi.waitFor(() =>
      expect(lastListCall()).toEqual({ limit: FIRST_PAGE, taskId: '4', status: 'succeeded', nodeId: NODE.id }),
    );
    expect(location.hash).toBe(`#/jobs?task=4&status=succeeded&node=${NODE.id}`);
  });

  it('takes a time range as UTC instants and an exact id only once it is a whole id', async () => {
    open('#/jobs');
    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(1));

    const from = screen.getByLabelText('Due from');
    fireEvent.change(from, { target: { value: '2026-03-01T08:30' } });
    await vi.waitFor(() =>
      expect(lastListCall()).toEqual({ limit: FIRST_PAGE, from: new Date('2026-03-01T08:30').toISOString() }),
    );

    const id = screen.getByRole('searchbox', { name: /job id/i });
    fireEvent.change(id, { target: { value: '0x' } });
    expect(id.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/id must be a positive decimal id/)).toBeDefined();
    const calls = list.mock.calls.length;
    fireEvent.change(id, { target: { value: '42' } });
    await vi.waitFor(() => expect(lastListCall()).toMatchObject({ id: '42' }));
    expect(list.mock.calls.length).toBe(calls + 1);
    expect(location.hash).toContain('job=42');
  });

  it('survives a reload: the same URL gives the same call and the same controls', async () => {
    open('#/jobs?status=waiting&job=12');
    await vi.waitFor(() => expect(lastListCall()).toEqual({ limit: FIRST_PAGE, status: 'waiting', id: '12' }));
    expect((screen.getByRole('searchbox', { name: /job id/i }) as HTMLInputElement).value).toBe('12');

    cleanup();
    for (const stop of stops.splice(0)) stop();
    resetStore();
    list.mockClear();
    open(location.hash);
    await vi.waitFor(() => expect(lastListCall()).toEqual({ limit: FIRST_PAGE, status: 'waiting', id: '12' }));
  });

  it('with nothing matching, says so and clears the filters in one click', async () => {
    list.mockImplementation(async (input) => ({
      items: input.status === undefined ? [job('1')] : [],
      nextCursor: null,
    }));
    open('#/jobs?status=skipped');

    const empty = await screen.findByText('No job matches these filters.');
    fireEvent.click(within(empty.parentElement as HTMLElement).getByRole('button', { name: 'Clear filters' }));

    await vi.waitFor(() => expect(lastListCall()).toEqual({ limit: FIRST_PAGE }));
    expect(location.hash).toBe('#/jobs');
    await vi.waitFor(() => expect(screen.getAllByTestId('job-row')).toHaveLength(1));
    expect(screen.queryByRole('button', { name: 'Clear filters' })).toBeNull();
  });

  it('with no job at all, teaches what a job is instead', async () => {
    list.mockResolvedValue({ items: [], nextCursor: null });
    open('#/jobs');
    expect(await screen.findByText('No jobs yet.')).toBeDefined();
    expect(screen.queryByText('No job matches these filters.')).toBeNull();
  });

  it('reads the next page with the cursor and the same filter, and says whether more exist', async () => {
    list.mockImplementation(async (input) =>
      input.cursor === undefined
        ? { items: [job('30', { status: 'failed' }), job('29', { status: 'failed' })], nextCursor: '29' }
        : { items: [job('12', { status: 'failed' })], nextCursor: null },
    );
    open('#/jobs?status=failed');

    // The rows drawn reach the end of the loaded ones: the next page is read at once.
    await vi.waitFor(() => expect(lastListCall()).toEqual({ limit: NEXT_PAGE, cursor: '29', status: 'failed' }));
    await vi.waitFor(() =>
      expect(screen.getAllByTestId('job-row').map((r) => r.dataset.jobId)).toEqual(['30', '29', '12']),
    );
    expect(screen.getByTestId('jobs-count').textContent).toBe('All 3 matching jobs loaded');
  });

  it('a new job of the filter appears at the top; one of another task does not', async () => {
    list.mockResolvedValue({ items: [job('5', { taskId: '3', status: 'failed' })], nextCursor: null });
    open('#/jobs?task=3&status=failed');
    await vi.waitFor(() => expect(screen.getAllByTestId('job-row')).toHaveLength(1));

    act(() => applyEvent({ event: 'job.updated', data: job('6', { taskId: '4', status: 'failed' }) }));
    act(() => applyEvent({ event: 'job.updated', data: job('7', { taskId: '3', status: 'failed' }) }));
    act(() => applyEvent({ event: 'job.updated', data: job('5', { taskId: '3', status: 'waiting' }) }));

    const rows = screen.getAllByTestId('job-row');
    expect(rows.map((r) => r.dataset.jobId)).toEqual(['7', '5']);
    expect(rows[1]?.dataset.status).toBe('waiting');
  });

  it('after a reconnect, reads the first page again under the same filter', async () => {
    open('#/jobs?task=3&status=failed');
    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(1));
    list.mockResolvedValue({ items: [job('11', { taskId: '3', status: 'failed' })], nextCursor: null });
    installFakeApi({
      'jobs.list': list,
      'health.get': async () => ({}),
      'jobs.bulkList': async () => ({ items: [] }),
      'tasks.durationStats': stats,
      'tasks.list': async () => ({ items: [], nextCursor: null }),
    } as never);

    act(() => rereadAfterReconnect());

    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(2));
    expect(lastListCall()).toEqual({ limit: FIRST_PAGE, taskId: '3', status: 'failed' });
    await vi.waitFor(() => expect(screen.getAllByTestId('job-row').map((r) => r.dataset.jobId)).toEqual(['11']));
  });

  it('flags a duration over twice the task’s p95, in words for a screen reader', async () => {
    const ran = (id: string, ms: number) =>
      job(id, {
        taskId: '3',
        status: 'succeeded',
        startedAt: '2025-01-01T00:00:00.000Z',
        finishedAt: new Date(Date.parse('2025-01-01T00:00:00.000Z') + ms).toISOString(),
      });
    list.mockResolvedValue({ items: [ran('2', 5000), ran('1', 1500)], nextCursor: null });
    stats.mockResolvedValue({ items: [{ taskId: '3', count: 100, medianMs: 800, p95Ms: 2000 }] });
    open('#/jobs');

    await vi.waitFor(() => expect(stats).toHaveBeenCalledWith({ taskIds: ['3'] }));
    const slow = await vi.waitFor(() => {
      const cell = document.querySelector('[data-job-id="2"] .job-duration-slow');
      if (cell === null) throw new Error('not flagged yet');
      return cell;
    });
    expect(slow.textContent).toContain('slow: more than 2 times this task');
    expect(slow.textContent).toContain('p95 of 2.00 s');
    expect(document.querySelector('[data-job-id="1"] .job-duration-slow')).toBeNull();
  });

  it('shows the server’s refusal of a filter', async () => {
    list.mockRejectedValue(new Error('to: must not be before from'));
    open('#/jobs?status=failed');
    expect((await screen.findByRole('alert')).textContent).toBe('to: must not be before from');
    expect(state().jobsLoaded).toBe(false);
  });
});
