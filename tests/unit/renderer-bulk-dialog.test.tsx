// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyEvent } from '../../src/renderer/src/app/events';
import { resetStore, useTickrStore } from '../../src/renderer/src/app/store';
import { JobsView } from '../../src/renderer/src/views/Jobs';
import type { BulkOperation, BulkPreview, Task } from '../../src/shared/types';
import { stubLayoutApis } from './renderer-dom-stubs';
import { installFakeApi, job } from './renderer-fixtures';

/** The bulk dialog of the Jobs view (views/Jobs/components/BulkDialog): dry run, start once, progress, stop, summary. */

const FILTER = { taskId: '3', status: 'failed' as const };

function op(overrides: Partial<BulkOperation> = {}): BulkOperation {
  return {
    id: 'bulk-0000aaaa-1111',
    action: 'retry',
    filter: FILTER,
    state: 'running',
    total: 300,
    done: 0,
    skipped: 0,
    failed: 0,
    firstError: null,
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: null,
    ...overrides,
  };
}

let preview: ReturnType<typeof vi.fn>;
let start: ReturnType<typeof vi.fn>;
let stop: ReturnType<typeof vi.fn>;
let bulkList: ReturnType<typeof vi.fn>;

function progress(data: BulkOperation): void {
  act(() => applyEvent({ event: 'bulk.progress', data }));
}

function dialog(): HTMLElement {
  return screen.getByRole('dialog', { name: /retry failed jobs/i });
}

async function openRetry(): Promise<HTMLElement> {
  render(<JobsView />);
  fireEvent.click(await screen.findByRole('button', { name: 'Retry failed…' }));
  return dialog();
}

beforeEach(() => {
  stubLayoutApis();
  resetStore();
  preview = vi.fn(async (): Promise<BulkPreview> => ({ action: 'retry', filter: FILTER, matching: 300 }));
  start = vi.fn(async () => op());
  stop = vi.fn(async () => op({ state: 'stopping', done: 120 }));
  bulkList = vi.fn(async () => ({ items: [] }));
  installFakeApi({
    'jobs.list': async () => ({ items: [job('9', { taskId: '3', status: 'failed' })], nextCursor: null }),
    'tasks.list': async () => ({ items: [{ id: '3', name: 'backup' } as Task], nextCursor: null }),
    'tasks.durationStats': async () => ({ items: [] }),
    'nodes.list': async () => ({ items: [] }),
    'jobs.bulkList': bulkList,
    'jobs.bulkPreview': preview,
    'jobs.bulkStart': start,
    'jobs.bulkStop': stop,
  } as never);
  useTickrStore.setState({ route: { view: 'jobs', id: null, filter: FILTER } });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the bulk dialog', () => {
  it('first says, from the dry run, how many jobs of the whole filter it will touch', async () => {
    const box = await openRetry();

    expect(preview).toHaveBeenCalledWith({ action: 'retry', filter: FILTER });
    await vi.waitFor(() => expect(box.textContent).toContain('This retries 300 jobs: task “backup”, status failed'));
    expect(within(box).getByRole('button', { name: 'Retry 300 jobs' })).toBeDefined();
    expect(start).not.toHaveBeenCalled();
  });

  it('with no status in the filter, retries the failed ones', async () => {
    useTickrStore.setState({ route: { view: 'jobs', id: null, filter: { taskId: '3' } } });
    await openRetry();
    expect(preview).toHaveBeenCalledWith({ action: 'retry', filter: { taskId: '3', status: 'failed' } });
  });

  it('starts once on a double click: the button is disabled until the answer', async () => {
    let answer: (value: BulkOperation) => void = () => {};
    start.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    const box = await openRetry();
    const confirm = await within(box).findByRole('button', { name: 'Retry 300 jobs' });

    fireEvent.click(confirm);
    fireEvent.click(confirm);
    expect(within(box).getByRole('button', { name: 'Starting…' }).hasAttribute('disabled')).toBe(true);
    await act(async () => answer(op()));

    expect(start).toHaveBeenCalledTimes(1);
    expect(start).toHaveBeenCalledWith({ action: 'retry', filter: FILTER });
    // Once running, there is no start button left to click.
    expect(within(box).queryByRole('button', { name: /^Retry/ })).toBeNull();
  });

  it('follows bulk.progress events with its progress bar, then shows the summary', async () => {
    const box = await openRetry();
    fireEvent.click(await within(box).findByRole('button', { name: 'Retry 300 jobs' }));
    const bar = await within(box).findByRole('progressbar', { name: 'Retrying jobs' });
    expect(bar.getAttribute('value')).toBe('0');

    progress(op({ done: 100 }));
    expect(bar.getAttribute('value')).toBe('100');
    expect(box.textContent).toContain('100 of 300');
    // An event of another operation does not move this one.
    progress(op({ id: 'bulk-ffffffff-2222', done: 5 }));
    expect(bar.getAttribute('value')).toBe('100');

    progress(op({ state: 'finished', done: 298, skipped: 2, finishedAt: '2025-01-01T00:00:09.000Z' }));
    expect(within(box).queryByRole('progressbar')).toBeNull();
    expect(within(box).getByRole('status').textContent).toBe(
      'Retried 298 jobs; 2 skipped (they had changed state meanwhile). Done.',
    );
  });

  it('an operation of another window does not take over a dialog waiting for its confirm', async () => {
    const box = await openRetry();
    await within(box).findByRole('button', { name: 'Retry 300 jobs' });
    progress(op({ id: 'bulk-ffffffff-2222', action: 'cancel', done: 5 }));
    expect(within(box).queryByRole('progressbar')).toBeNull();
    expect(within(box).getByRole('button', { name: 'Retry 300 jobs' })).toBeDefined();
  });

  it('an answer that arrives after newer events does not move the bar back', async () => {
    let answer: (value: BulkOperation) => void = () => {};
    start.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    const box = await openRetry();
    fireEvent.click(await within(box).findByRole('button', { name: 'Retry 300 jobs' }));
    progress(op({ done: 50 }));
    await act(async () => answer(op({ done: 0 })));
    expect(within(box).getByRole('progressbar').getAttribute('value')).toBe('50');
  });

  it('Stop stops it half-way, and the summary says where', async () => {
    const box = await openRetry();
    fireEvent.click(await within(box).findByRole('button', { name: 'Retry 300 jobs' }));
    progress(op({ done: 120 }));

    fireEvent.click(within(box).getByRole('button', { name: 'Stop' }));
    await vi.waitFor(() => expect(stop).toHaveBeenCalledWith({ id: 'bulk-0000aaaa-1111' }));
    expect((await within(box).findByRole('button', { name: 'Stopping…' })).hasAttribute('disabled')).toBe(true);

    progress(op({ state: 'stopped', done: 124, finishedAt: '2025-01-01T00:00:03.000Z' }));
    expect(within(box).getByRole('status').textContent).toBe('Retried 124 jobs. Stopped after 124 of 300.');
  });

  it('shows the error when the node refuses, and stays ready to try again', async () => {
    start.mockRejectedValueOnce(new Error('MySQL is down: nothing was changed'));
    const box = await openRetry();
    fireEvent.click(await within(box).findByRole('button', { name: 'Retry 300 jobs' }));

    expect((await within(box).findByRole('alert')).textContent).toBe('MySQL is down: nothing was changed');
    expect(within(box).getByRole('button', { name: 'Retry 300 jobs' }).hasAttribute('disabled')).toBe(false);
  });

  it('says there is nothing to do when the dry run finds no job', async () => {
    preview.mockResolvedValue({ action: 'retry', filter: FILTER, matching: 0 });
    const box = await openRetry();
    await vi.waitFor(() => expect(box.textContent).toContain('No job matches'));
    expect(within(box).queryByRole('button', { name: /^Retry/ })).toBeNull();
  });

  it('Esc closes the dialog; the running operation stays shown above the list, with Stop', async () => {
    const box = await openRetry();
    fireEvent.click(await within(box).findByRole('button', { name: 'Retry 300 jobs' }));
    await within(box).findByRole('progressbar');

    fireEvent.keyDown(box, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    const bar = screen.getByRole('group', { name: 'Bulk actions' });
    expect(within(bar).getByRole('progressbar', { name: 'Retrying jobs' })).toBeDefined();
    expect(within(bar).getByRole('button', { name: 'Retry failed…' }).hasAttribute('disabled')).toBe(true);
  });

  it('shows an operation already running when the view opens', async () => {
    bulkList.mockResolvedValue({ items: [op({ done: 40 }), op({ id: 'bulk-old00000-0000', state: 'finished' })] });
    render(<JobsView />);

    const bar = await screen.findByRole('progressbar', { name: 'Retrying jobs' });
    expect(bar.getAttribute('value')).toBe('40');
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    await vi.waitFor(() => expect(stop).toHaveBeenCalledWith({ id: 'bulk-0000aaaa-1111' }));
  });

  it('cancels waiting jobs of the filter; a status it cannot cancel disables the button, saying why', async () => {
    useTickrStore.setState({ route: { view: 'jobs', id: null, filter: { taskId: '3' } } });
    preview.mockResolvedValue({ action: 'cancel', filter: { taskId: '3', status: 'waiting' }, matching: 7 });
    render(<JobsView />);
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel waiting…' }));
    expect(preview).toHaveBeenCalledWith({ action: 'cancel', filter: { taskId: '3', status: 'waiting' } });
    const box = screen.getByRole('dialog', { name: /cancel waiting jobs/i });
    await vi.waitFor(() => expect(box.textContent).toContain('This cancels 7 jobs'));
    fireEvent.click(within(box).getByRole('button', { name: 'Close' }));

    act(() => useTickrStore.setState({ route: { view: 'jobs', id: null, filter: FILTER } }));
    const cancel = screen.getByRole('button', { name: 'Cancel waiting…' });
    expect(cancel.hasAttribute('disabled')).toBe(true);
    expect(cancel.getAttribute('title')).toMatch(/only waiting, ready, running jobs can be cancelled/i);
  });
});
