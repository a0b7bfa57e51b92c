// @vitest-environment jsdom
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyEvent } from '../../src/renderer/src/app/events';
import { resetStore, useTickrStore } from '../../src/renderer/src/app/store';
import { DashboardView } from '../../src/renderer/src/views/Dashboard';
import { cancelRefresh, COALESCE_MS } from '../../src/renderer/src/views/Dashboard/live';
import type {
  HealthHistory,
  JobCounts,
  NodeInfo,
  RedisServerInfo,
  Throughput,
  UpcomingRuns,
} from '../../src/shared/types';
import { stubLayoutApis } from './renderer-dom-stubs';
import { health, installFakeApi, job } from './renderer-fixtures';

/** The dashboard's cards (views/Dashboard/), fed by a fake API and by engine events through app/events.ts. */

const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();

function history(server: Partial<RedisServerInfo> = {}): HealthHistory {
  return {
    windowMs: 15 * 60_000,
    redis: {
      samples: [
        { at: iso(NOW - 3_000), latencyMs: 0.5 },
        { at: iso(NOW - 2_000), latencyMs: null },
        { at: iso(NOW - 1_000), latencyMs: 4 },
      ],
      server: {
        version: '7.2.4',
        usedMemoryBytes: 100 * 1024 * 1024,
        maxmemoryBytes: 400 * 1024 * 1024,
        maxmemoryPolicy: 'noeviction',
        persistence: 'rdb',
        readAt: iso(NOW),
        ...server,
      },
      lastStateLoss: { at: iso(NOW - 3 * 3_600_000), jobs: 42, ms: 17, reason: 'generation marker missing' },
    },
    mysql: {
      samples: [{ at: iso(NOW - 1_000), latencyMs: 2 }],
      server: { version: '10.11.6-MariaDB', readAt: iso(NOW) },
      journalPending: 0,
    },
  };
}

const counts: JobCounts = {
  since: iso(NOW - 86_400_000),
  counts: { waiting: 3, ready: 1, running: 2, succeeded: 120, failed: 4, cancelled: 0, skipped: 1 },
  runningByNode: { 'node-1': 2 },
};

const throughput: Throughput = {
  from: iso(NOW - 3_600_000),
  to: iso(NOW),
  minutes: [
    { minute: iso(NOW - 120_000), succeeded: 5, failed: 1 },
    { minute: iso(NOW - 60_000), succeeded: 2, failed: 0 },
  ],
};

const upcoming: UpcomingRuns = {
  from: iso(NOW),
  to: iso(NOW + 86_400_000),
  truncated: false,
  items: [
    { taskId: '1', taskName: 'backup', at: '2099-01-01T10:00:00.000Z' },
    { taskId: '2', taskName: 'report', at: '2099-01-01T10:00:20.000Z' },
    { taskId: '1', taskName: 'backup', at: '2099-01-01T11:00:00.000Z' },
  ],
};

const nodes: NodeInfo[] = [
  {
    id: 'node-1',
    name: 'test-node',
    host: 'h',
    pid: 1,
    concurrency: 4,
    startedAt: iso(NOW - 60_000),
    heartbeatAt: iso(NOW - 2_000),
    stoppedAt: null,
    alive: true,
  },
  {
    id: 'node-2',
    name: 'old-laptop',
    host: 'h2',
    pid: 2,
    concurrency: 2,
    startedAt: iso(NOW - 9e6),
    heartbeatAt: iso(NOW - 7_200_000),
    stoppedAt: null,
    alive: false,
  },
];

function install(h: HealthHistory = history()) {
  const calls = { counts: 0, throughput: 0, upcoming: 0, history: 0, nodes: 0 };
  installFakeApi({
    'health.history': async () => (calls.history++, h),
    'jobs.counts': async () => (calls.counts++, counts),
    'jobs.throughput': async () => (calls.throughput++, throughput),
    'tasks.upcoming': async () => (calls.upcoming++, upcoming),
    'nodes.list': async () => (calls.nodes++, { items: nodes }),
  });
  return calls;
}

async function renderDashboard() {
  render(<DashboardView />);
  await screen.findByText('7.2.4');
}

function card(name: string): HTMLElement {
  return screen.getByRole('region', { name });
}

beforeEach(() => {
  stubLayoutApis();
  resetStore();
  cancelRefresh();
  useTickrStore.setState({ health: health('up'), route: { ...useTickrStore.getState().route, view: 'dashboard' } });
  // jsdom has no canvas: the chart keeps its text alternative, which is what these tests read.
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
});

afterEach(() => {
  cleanup();
  cancelRefresh();
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('the dashboard', () => {
  it('shows Redis: state, latency, version, memory against maxmemory, persistence and the last rebuild', async () => {
    install();
    await renderDashboard();
    const redis = card('Redis');
    expect(within(redis).getByText('up')).toBeTruthy();
    expect(within(redis).getByText('1.0 ms')).toBeTruthy();
    expect(within(redis).getByText(/100 MB of 400 MB/)).toBeTruthy();
    expect(within(redis).getByRole('meter', { name: 'Redis memory: 25% of maxmemory' })).toBeTruthy();
    expect(within(redis).getByText('RDB snapshots')).toBeTruthy();
    expect(within(redis).getByText(/3 h ago · rebuilt 42 jobs in 17 ms/)).toBeTruthy();
    expect(
      within(redis).getByRole('img', {
        name: /Redis latency over the last 15 minutes: 0\.5 ms to 4\.0 ms, 1 failed probes/,
      }),
    ).toBeTruthy();
    expect(within(redis).queryByRole('note')).toBeNull();
  });

  it('warns when maxmemory-policy could evict queued ids', async () => {
    install(history({ maxmemoryPolicy: 'allkeys-lru' }));
    await renderDashboard();
    expect(within(card('Redis')).getByRole('note').textContent).toMatch(/allkeys-lru.*evict queued job ids/);
  });

  it('shows MySQL’s version and the journal', async () => {
    install();
    await renderDashboard();
    const mysql = card('MySQL');
    expect(within(mysql).getByText('10.11.6-MariaDB')).toBeTruthy();
    expect(within(mysql).getByText('empty: every result is in MySQL')).toBeTruthy();
    const h = health('up');
    act(() => applyEvent({ event: 'health.changed', data: { ...h, mysql: { ...h.mysql, journalPending: 3 } } }));
    expect(within(mysql).getByText('3 results waiting, written when MySQL answers')).toBeTruthy();
  });

  it('shows the counts per status, the throughput summary, the upcoming runs with same-minute clashes, the nodes', async () => {
    install();
    await renderDashboard();
    const jobs = card('Jobs, last 24 h');
    expect(within(jobs).getByTestId('count-succeeded').textContent).toBe('succeeded120');
    expect(within(jobs).getByTestId('count-failed').textContent).toBe('failed4');
    expect(
      screen.getByRole('img', { name: 'Throughput chart: 7 succeeded and 1 failed in the last hour' }),
    ).toBeTruthy();
    const runs = within(card('Upcoming runs, next 24 h')).getAllByRole('listitem');
    expect(runs).toHaveLength(2);
    expect(runs[0]!.textContent).toMatch(/backup, report.*same minute/);
    expect(runs[1]!.textContent).not.toMatch(/same minute/);
    const rows = within(card('Nodes')).getAllByRole('row');
    expect(rows[1]!.textContent).toMatch(/test-node.*2 \/ 4.*[2-9] s ago.*alive/);
    expect(rows[2]!.textContent).toMatch(/old-laptop.*0 \/ 2.*2 h ago.*gone/);
  });

  it('shows Redis down from a health.changed event at once, and the failed probe on its sparkline', async () => {
    install();
    await renderDashboard();
    act(() =>
      applyEvent({
        event: 'health.changed',
        data: { ...health('down'), redis: { ...health('down').redis, error: 'connection closed', latencyMs: null } },
      }),
    );
    const redis = card('Redis');
    expect(within(redis).getByText('down')).toBeTruthy();
    expect(within(redis).getByRole('status').textContent).toBe('connection closed');
    expect(within(redis).getByRole('img', { name: /2 failed probes/ })).toBeTruthy();
  });

  it('re-reads counts and throughput once for a burst of job updates, not once per event', async () => {
    const calls = install();
    await renderDashboard();
    vi.useFakeTimers();
    const before = { ...calls };
    act(() => {
      for (let i = 0; i < 50; i++) applyEvent({ event: 'job.updated', data: job(String(i), { status: 'succeeded' }) });
    });
    expect(calls.counts).toBe(before.counts);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(COALESCE_MS);
    });
    expect(calls.counts).toBe(before.counts + 1);
    expect(calls.throughput).toBe(before.throughput + 1);
    expect(calls.upcoming).toBe(before.upcoming);
  });

  it('reads nothing for events while another view is shown', async () => {
    const calls = install();
    await renderDashboard();
    vi.useFakeTimers();
    act(() => useTickrStore.setState({ route: { ...useTickrStore.getState().route, view: 'tasks' } }));
    const before = calls.counts;
    act(() => applyEvent({ event: 'job.updated', data: job('1', { status: 'failed' }) }));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(COALESCE_MS * 2);
    });
    expect(calls.counts).toBe(before);
  });
});
