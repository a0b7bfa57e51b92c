import type { StateCreator } from 'zustand';
import type {
  Health,
  HealthHistory,
  JobCounts,
  LatencySample,
  NodeInfo,
  Throughput,
  UpcomingRuns,
} from '../../../../shared/types';
import { request } from '../../app/request';
import type { Store } from '../../app/store';

/** The node's health: loaded once, then kept current by health.changed events (app/events.ts). */
export interface HealthSlice {
  health: Health | null;
  healthError: string | null;
  loadHealth: () => Promise<void>;
}

export const createHealthSlice: StateCreator<Store, [], [], HealthSlice> = (set) => ({
  health: null,
  healthError: null,
  loadHealth: async () => {
    await request(set, (api) => api['health.get']({}), {
      errorKey: 'healthError',
      onData: (health) => ({ health }),
    });
  },
});

/** What the dashboard reads besides the health: each part loads and fails on its own. */
export type DashboardPart = 'history' | 'counts' | 'throughput' | 'upcoming' | 'nodes';
export const DASHBOARD_PARTS: readonly DashboardPart[] = ['history', 'counts', 'throughput', 'upcoming', 'nodes'];

/**
 * The dashboard's data. Loaded when the view opens and after a reconnect, then refreshed from
 * engine events (views/Dashboard/live.ts): the renderer never polls. The latency histories grow
 * from health.changed between loads (appendLatency).
 */
export interface DashboardSlice {
  healthHistory: HealthHistory | null;
  historyError: string | null;
  jobCounts: JobCounts | null;
  countsError: string | null;
  throughput: Throughput | null;
  throughputError: string | null;
  upcoming: UpcomingRuns | null;
  upcomingError: string | null;
  nodes: NodeInfo[] | null;
  nodesError: string | null;
  loadDashboard: (parts?: readonly DashboardPart[]) => Promise<void>;
  appendLatency: (health: Health, at: Date) => void;
}

function appended(samples: LatencySample[], sample: LatencySample, windowMs: number, nowMs: number): LatencySample[] {
  const from = nowMs - windowMs;
  const kept = samples.filter((s) => Date.parse(s.at) >= from);
  kept.push(sample);
  return kept;
}

export const createDashboardSlice: StateCreator<Store, [], [], DashboardSlice> = (set, get) => ({
  healthHistory: null,
  historyError: null,
  jobCounts: null,
  countsError: null,
  throughput: null,
  throughputError: null,
  upcoming: null,
  upcomingError: null,
  nodes: null,
  nodesError: null,
  loadDashboard: async (parts = DASHBOARD_PARTS) => {
    const loads: Record<DashboardPart, () => Promise<boolean>> = {
      history: () =>
        request(set, (api) => api['health.history']({}), {
          errorKey: 'historyError',
          onData: (healthHistory) => ({ healthHistory }),
        }),
      counts: () =>
        request(set, (api) => api['jobs.counts']({}), {
          errorKey: 'countsError',
          onData: (jobCounts) => ({ jobCounts }),
        }),
      throughput: () =>
        request(set, (api) => api['jobs.throughput']({}), {
          errorKey: 'throughputError',
          onData: (throughput) => ({ throughput }),
        }),
      upcoming: () =>
        request(set, (api) => api['tasks.upcoming']({}), {
          errorKey: 'upcomingError',
          onData: (upcoming) => ({ upcoming }),
        }),
      nodes: () =>
        request(set, (api) => api['nodes.list']({}), {
          errorKey: 'nodesError',
          onData: ({ items }) => ({ nodes: items }),
        }),
    };
    await Promise.all(parts.map((part) => loads[part]()));
  },
  appendLatency: (health, at) => {
    const history = get().healthHistory;
    if (history === null) return;
    const nowMs = at.getTime();
    const sample = (latencyMs: number | null, up: boolean): LatencySample => ({
      at: at.toISOString(),
      latencyMs: up ? latencyMs : null,
    });
    set({
      healthHistory: {
        ...history,
        redis: {
          ...history.redis,
          samples: appended(
            history.redis.samples,
            sample(health.redis.latencyMs, health.redis.status !== 'down'),
            history.windowMs,
            nowMs,
          ),
        },
        mysql: {
          ...history.mysql,
          journalPending: health.mysql.journalPending,
          samples: appended(
            history.mysql.samples,
            sample(health.mysql.latencyMs, health.mysql.status !== 'down'),
            history.windowMs,
            nowMs,
          ),
        },
      },
    });
  },
});
