// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createHttpClient } from '../../src/renderer/src/api-client';
import { App } from '../../src/renderer/src/app/App';
import { applyEvent, rereadAfterReconnect } from '../../src/renderer/src/app/events';
import { startRouter } from '../../src/renderer/src/app/routing/router';
import { resetStore, useTickrStore } from '../../src/renderer/src/app/store';
import type { NodeQueues, QueueSnapshot, ReadyEntry, TaskDurationStats, WaitingEntry } from '../../src/shared/types';
import { stubLayoutApis } from './renderer-dom-stubs';
import { health, installFakeApi, job } from './renderer-fixtures';

/** The Queues view (views/Queues/): its three lanes, pinned queues, live refresh and row motion. */

const state = () => useTickrStore.getState();
const stops: (() => void)[] = [];

function waitingEntry(id: string, dueInMs: number, taskId = '1'): WaitingEntry {
  return { id, taskId, taskName: `task-${taskId}`, dueAt: new Date(Date.now() + dueInMs).toISOString() };
}

function readyEntries(ids: string[], taskId = '1'): ReadyEntry[] {
  return ids.map((id, i) => ({ id, taskId, taskName: `task-${taskId}`, position: i + 1 }));
}

function nodeQueues(overrides: Partial<NodeQueues> = {}): NodeQueues {
  return {
    nodeId: 'node-1',
    name: 'desk',
    concurrency: 2,
    alive: true,
    running: { count: 0, entries: [] },
    pinned: { waiting: { count: 0, next: [] }, ready: { count: 0, entries: [] } },
    ...overrides,
  };
}

function snapshot(overrides: Partial<QueueSnapshot> = {}): QueueSnapshot {
  return {
    waiting: { count: 0, next: [] },
    ready: { count: 0, ids: [], entries: [] },
    active: [],
    nodes: [nodeQueues()],
    limit: 100,
    at: new Date().toISOString(),
    ...overrides,
  };
}

function stats(taskId: string, medianMs: number | null): TaskDurationStats {
  return { taskId, count: medianMs === null ? 0 : 20, medianMs, p95Ms: medianMs };
}

/** A fake API whose snapshot is whatever `current` holds when it is asked; the calls are counted. */
function serve(initial: QueueSnapshot, medians: Record<string, number | null> = {}) {
  let current = initial;
  const snapshotCall = vi.fn(async () => current);
  const durationCall = vi.fn(async ({ taskIds }: { taskIds: string[] }) => ({
    items: taskIds.map((id) => stats(id, medians[id] ?? null)),
  }));
  installFakeApi({
    'queues.snapshot': snapshotCall,
    'tasks.durationStats': durationCall,
    'jobs.logs': async () => ({ items: [], nextSeq: 0 }),
  });
  return {
    snapshotCall,
    durationCall,
    set(next: QueueSnapshot) {
      current = next;
    },
  };
}

function lane(name: 'Waiting' | 'Ready' | 'Running'): HTMLElement {
  return screen.getByRole('region', { name });
}

function rowsOf(list: HTMLElement): string[] {
  return within(list)
    .getAllByRole('listitem')
    .map((li) => li.textContent ?? '');
}

async function showQueues(): Promise<void> {
  act(() => state().navigate({ view: 'queues', id: null }));
  render(<App />);
  await vi.waitFor(() => expect(screen.getByRole('region', { name: 'Waiting' })).toBeDefined());
}

beforeEach(() => {
  stubLayoutApis();
  resetStore();
  history.replaceState(null, '', '/');
  useTickrStore.setState({ health: health('up') });
  stops.push(startRouter(window));
});

afterEach(() => {
  cleanup();
  for (const stop of stops.splice(0)) stop();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the lanes', () => {
  it('list waiting jobs by due time with countdowns, each naming its task and linking to the job', async () => {
    // The clock stands still (timers do not), so the countdowns read exactly.
    vi.useFakeTimers({ toFake: ['Date'] });
    onTestFinished(() => void vi.useRealTimers());
    serve(
      snapshot({
        waiting: { count: 2, next: [waitingEntry('7', 30_000, '3'), waitingEntry('8', 2 * 3_600_000, '4')] },
      }),
    );
    await showQueues();

    const waiting = lane('Waiting');
    expect(within(waiting).getByText('2').closest('.lane-count')?.textContent).toBe('2 jobs');
    const list = within(waiting).getByRole('list', { name: 'Waiting jobs by due time' });
    expect(rowsOf(list)).toEqual(['#7 task-3in 30 s', '#8 task-4in 2 h']);
    const link = within(list).getByRole('link', { name: '#7 task-3' });
    expect(link.getAttribute('href')).toBe('#/jobs/7');
  });

  it('number ready jobs in queue order with an ETA from the medians and the free workers', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    onTestFinished(() => void vi.useRealTimers());
    // Two workers, one busy with a job of task 2 (median 10 s) started 4 s ago; task 1 takes 1 s.
    const running = {
      count: 1,
      entries: [
        {
          id: '20',
          taskId: '2',
          taskName: 'nightly backup',
          attempt: 2,
          maxAttempts: 3,
          startedAt: new Date(Date.now() - 4_000).toISOString(),
        },
      ],
    };
    serve(
      snapshot({
        ready: { count: 3, ids: ['11', '12', '13'], entries: readyEntries(['11', '12', '13']) },
        nodes: [nodeQueues({ running })],
      }),
      { '1': 1_000, '2': 10_000 },
    );
    await showQueues();

    const ready = lane('Ready');
    expect(within(ready).getByText(/1 of 2 workers free/)).toBeDefined();
    const list = within(ready).getByRole('list', { name: 'Ready jobs in queue order' });
    await vi.waitFor(() =>
      expect(rowsOf(list)).toEqual(['1#11 task-1next', '2#12 task-1in ~1.0 s', '3#13 task-1in ~2.0 s']),
    );

    const runningLane = lane('Running');
    const group = within(runningLane).getByRole('group', { name: /desk/ });
    expect(group.textContent).toContain('1/2 workers busy');
    const row = within(group).getByRole('listitem');
    expect(within(row).getByRole('link').textContent).toBe('#20 nightly backup');
    expect(within(row).getByText(/attempt/).textContent).toBe('attempt 2/3 · 4.0 s elapsed · ~6.0 s left');
  });

  it('say how many running jobs are finishing when a node lists more than its workers', async () => {
    // Workers are freed when a job's work ends, before its result is written: for a moment a
    // node of 2 workers can hold 3 running jobs, one of them finishing.
    const entries = ['30', '31', '32'].map((id) => ({
      id,
      taskId: '1',
      taskName: 'ping',
      attempt: 1,
      maxAttempts: 1,
      startedAt: new Date().toISOString(),
    }));
    serve(snapshot({ nodes: [nodeQueues({ running: { count: 3, entries } })] }), { '1': 1_000 });
    await showQueues();

    const group = within(lane('Running')).getByRole('group', { name: /desk/ });
    expect(group.textContent).toContain('2/2 workers busy · 1 finishing');
    expect(within(lane('Ready')).getByText(/0 of 2 workers free/)).toBeDefined();
  });

  it('say a job taken from the queue but not yet claimed is starting', async () => {
    const entry = { id: '21', taskId: '2', taskName: 'nightly backup', attempt: 1, maxAttempts: 3, startedAt: null };
    serve(snapshot({ nodes: [nodeQueues({ running: { count: 1, entries: [entry] } })] }), { '2': 10_000 });
    await showQueues();

    const row = within(lane('Running')).getByRole('listitem');
    expect(within(row).getByText(/attempt/).textContent).toBe('attempt 1/3 · starting');
  });

  it('render at most 100 rows a lane and say how many more there are', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => String(i + 1));
    serve(snapshot({ ready: { count: 1_234, ids, entries: readyEntries(ids) } }));
    await showQueues();

    const list = within(lane('Ready')).getByRole('list');
    expect(within(list).getAllByRole('listitem')).toHaveLength(100);
    expect(within(lane('Ready')).getByText('+1,134 more')).toBeDefined();
    // No task has finished a job yet: the two idle workers take the first two, the rest have no start time.
    expect(within(lane('Ready')).getByText(/start times once a job has finished/)).toBeDefined();
    expect(rowsOf(list).slice(0, 3)).toEqual(['1#1 task-1next', '2#2 task-1next', '3#3 task-1']);
  });

  it('teach what each lane holds when the queues are empty, and name the idle workers', async () => {
    serve(snapshot());
    await showQueues();

    expect(lane('Waiting').textContent).toMatch(/nothing waiting\. jobs due later wait here/i);
    expect(lane('Ready').textContent).toMatch(/nothing ready\. due jobs queue here until a worker is free/i);
    expect(lane('Running').textContent).toMatch(/no job running; 2 workers are idle/i);
    expect(screen.getByRole('region', { name: 'Pinned to a node' }).textContent).toMatch(/no job is pinned/i);
    const hint = within(screen.getByRole('main')).getByText(/nothing is queued now/i);
    expect(within(hint).getByRole('link', { name: 'Tasks' }).getAttribute('href')).toBe('#/tasks');
  });

  it('show each node’s pinned queues, apart from the shared lanes', async () => {
    serve(
      snapshot({
        nodes: [
          nodeQueues({
            pinned: {
              waiting: { count: 1, next: [waitingEntry('31', 60_000, '5')] },
              ready: { count: 2, entries: readyEntries(['32', '33'], '5') },
            },
          }),
        ],
      }),
    );
    await showQueues();

    const pinned = within(screen.getByRole('region', { name: 'Pinned to a node' })).getByRole('group', {
      name: 'Pinned to desk',
    });
    expect(rowsOf(within(pinned).getByRole('list', { name: 'Waiting for desk' }))).toEqual(['#31 task-5in 1 min']);
    expect(rowsOf(within(pinned).getByRole('list', { name: 'Ready for desk, in queue order' }))).toEqual([
      '1#32 task-5',
      '2#33 task-5',
    ]);
    expect(lane('Ready').textContent).toMatch(/nothing ready/i);
  });

  it('open the job’s page when an entry is clicked', async () => {
    serve(snapshot({ ready: { count: 1, ids: ['42'], entries: readyEntries(['42']) } }));
    await showQueues();

    fireEvent.click(within(lane('Ready')).getByRole('link', { name: '#42 task-1' }));

    await vi.waitFor(() => expect(state().route).toEqual({ view: 'jobs', id: '42' }));
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Jobs');
  });
});

describe('live from engine events', () => {
  it('re-reads on queue.changed and job.updated, one read at a time with one trailing read for a burst', async () => {
    const api = serve(snapshot());
    await showQueues();
    await vi.waitFor(() => expect(api.snapshotCall).toHaveBeenCalledTimes(1));

    // Answer the next read only when the test says so, to see what piles up behind it.
    let answer: () => void = () => undefined;
    api.snapshotCall.mockImplementation(
      () =>
        new Promise<QueueSnapshot>((resolve) => {
          answer = () => resolve(snapshot({ ready: { count: 1, ids: ['9'], entries: readyEntries(['9']) } }));
        }),
    );
    act(() => {
      applyEvent({ event: 'queue.changed', data: { reason: '1 job(s) became ready' } });
      for (let i = 0; i < 50; i++) applyEvent({ event: 'job.updated', data: job(String(i), { status: 'running' }) });
    });
    expect(api.snapshotCall).toHaveBeenCalledTimes(2);
    await act(async () => answer());
    await vi.waitFor(() => expect(api.snapshotCall).toHaveBeenCalledTimes(3));
    await act(async () => answer());

    await vi.waitFor(() => expect(within(lane('Ready')).getAllByRole('listitem')).toHaveLength(1));
    expect(api.snapshotCall).toHaveBeenCalledTimes(3);
  });

  it('does not read the queues while another view is shown', async () => {
    const api = serve(snapshot());
    act(() => state().navigate({ view: 'dashboard', id: null }));
    render(<App />);

    applyEvent({ event: 'queue.changed', data: { reason: 'promoted' } });
    applyEvent({ event: 'job.updated', data: job('1') });

    expect(api.snapshotCall).not.toHaveBeenCalled();
  });

  it('reads a task’s durations once, and again after one of its jobs finished', async () => {
    const api = serve(snapshot({ ready: { count: 1, ids: ['5'], entries: readyEntries(['5'], '7') } }), { '7': 2_000 });
    await showQueues();
    await vi.waitFor(() => expect(state().durations['7']?.medianMs).toBe(2_000));
    expect(api.durationCall).toHaveBeenCalledExactlyOnceWith({ taskIds: ['7'] });

    await act(async () => applyEvent({ event: 'job.updated', data: job('3', { taskId: '7', status: 'running' }) }));
    await vi.waitFor(() => expect(api.snapshotCall).toHaveBeenCalledTimes(2));
    expect(api.durationCall).toHaveBeenCalledTimes(1);

    await act(async () => applyEvent({ event: 'job.updated', data: job('3', { taskId: '7', status: 'succeeded' }) }));
    await vi.waitFor(() => expect(api.durationCall).toHaveBeenCalledTimes(2));
  });

  it('re-reads the queues after the event stream reconnects', async () => {
    const api = serve(snapshot());
    installFakeApi({
      'queues.snapshot': api.snapshotCall,
      'tasks.durationStats': api.durationCall,
      'health.get': async () => health('up'),
      'jobs.list': async () => ({ items: [], nextCursor: null }),
    });
    await showQueues();
    await vi.waitFor(() => expect(api.snapshotCall).toHaveBeenCalledTimes(1));

    await act(async () => rereadAfterReconnect());

    await vi.waitFor(() => expect(api.snapshotCall).toHaveBeenCalledTimes(2));
  });
});

/** The browser's WebSocket, reduced to what api-client's event stream uses. */
class FakeWebSocket {
  static opened: FakeWebSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.opened.push(this);
  }
  close(): void {}
}

describe('onReconnect', () => {
  it('fires when the event socket opens again after a drop, not on its first open', () => {
    vi.useFakeTimers();
    try {
      FakeWebSocket.opened = [];
      vi.stubGlobal('WebSocket', FakeWebSocket);
      const reconnected = vi.fn();
      const client = createHttpClient('token-0123456789', { protocol: 'http:', host: '127.0.0.1:1' } as Location);
      const stopListening = client.onReconnect!(reconnected);
      const stop = client.onEvent(() => undefined);

      FakeWebSocket.opened[0]?.onopen?.();
      expect(reconnected).not.toHaveBeenCalled();
      FakeWebSocket.opened[0]?.onclose?.();
      vi.advanceTimersByTime(1_000);
      expect(FakeWebSocket.opened).toHaveLength(2);
      FakeWebSocket.opened[1]?.onopen?.();
      expect(reconnected).toHaveBeenCalledTimes(1);

      stopListening();
      FakeWebSocket.opened[1]?.onclose?.();
      vi.advanceTimersByTime(2_000);
      FakeWebSocket.opened[2]?.onopen?.();
      expect(reconnected).toHaveBeenCalledTimes(1);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('row motion', () => {
  /** jsdom lays nothing out: each row's offsetTop is its index × 30 px, as a browser's would be. */
  function stubRowLayout(): void {
    vi.spyOn(HTMLElement.prototype, 'offsetTop', 'get').mockImplementation(function (this: HTMLElement) {
      return this.parentElement === null ? 0 : [...this.parentElement.children].indexOf(this) * 30;
    });
  }

  function stubMotionPreference(reduce: boolean): void {
    vi.stubGlobal('matchMedia', (query: string) => ({
      matches: reduce && query.includes('reduce'),
      media: query,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    }));
  }

  async function moveRows(): Promise<ReturnType<typeof vi.fn>> {
    const animate = vi.fn();
    Object.defineProperty(HTMLElement.prototype, 'animate', { value: animate, configurable: true, writable: true });
    const api = serve(snapshot({ ready: { count: 3, ids: ['1', '2', '3'], entries: readyEntries(['1', '2', '3']) } }));
    await showQueues();
    await vi.waitFor(() => expect(within(lane('Ready')).getAllByRole('listitem')).toHaveLength(3));
    expect(animate).not.toHaveBeenCalled();

    // Job 1 started: 2 and 3 move up a row, 4 arrives at the end.
    api.set(snapshot({ ready: { count: 3, ids: ['2', '3', '4'], entries: readyEntries(['2', '3', '4']) } }));
    await act(async () => state().refreshQueues());
    await vi.waitFor(() => expect(rowsOf(within(lane('Ready')).getByRole('list'))[0]).toContain('#2'));
    return animate;
  }

  afterEach(() => {
    delete (HTMLElement.prototype as { animate?: unknown }).animate;
  });

  it('slides moved rows from where they were with a transform, and fades new ones in', async () => {
    stubRowLayout();
    stubMotionPreference(false);
    const animate = await moveRows();

    const keyframes = animate.mock.calls.map((call) => call[0] as Keyframe[]);
    expect(keyframes).toContainEqual([{ transform: 'translateY(30px)' }, { transform: 'none' }]);
    expect(keyframes.filter((k) => k[0]?.transform === 'translateY(30px)')).toHaveLength(2);
    expect(keyframes).toContainEqual([{ opacity: 0 }, { opacity: 1 }]);
  });

  it('does not animate when the user prefers reduced motion', async () => {
    stubRowLayout();
    stubMotionPreference(true);
    const animate = await moveRows();

    expect(animate).not.toHaveBeenCalled();
  });
});
