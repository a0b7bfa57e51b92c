import type { EventMessage } from '../../shared/contract';
import type { Job } from '../../shared/types';
import type { ApiHandler } from '../api/types';
import { callApi } from './api-call';

/**
 * What the tray shows, kept current from the engine's events: the jobs running now, the ones
 * that failed since the user last looked (opened the window), and the next scheduled run.
 * No electron import: the tray renders it, tests drive it with a fake API.
 */

export interface TrayStatus {
  running: number;
  /** Jobs failed for good since the user last looked, newest first (at most MAX_FAILED_LISTED). */
  failedSinceSeen: Array<{ id: string; taskId: string }>;
  failedCount: number;
  nextRun: { taskName: string; at: string } | null;
}

export const MAX_FAILED_LISTED = 5;
/** Events come in bursts (a batch of jobs ending): one refresh per burst. */
const REFRESH_DEBOUNCE_MS = 500;
/** The next run passes by with no event: refresh on a clock too. */
const REFRESH_EVERY_MS = 30_000;

export interface TrayStatusOptions {
  api: Pick<ApiHandler, 'call' | 'subscribe'>;
  onChange(status: TrayStatus): void;
  onError?(err: unknown): void;
  timers?: {
    setTimeout: typeof setTimeout;
    clearTimeout: typeof clearTimeout;
    setInterval: typeof setInterval;
    clearInterval: typeof clearInterval;
  };
}

export interface TrayStatusTracker {
  readonly status: TrayStatus;
  /** The user looked (the window was shown or focused): the failed list starts again. */
  markSeen(): void;
  refresh(): Promise<void>;
  stop(): void;
}

export function trackTrayStatus(options: TrayStatusOptions): TrayStatusTracker {
  const timers = options.timers ?? { setTimeout, clearTimeout, setInterval, clearInterval };
  const onError = options.onError ?? ((err: unknown) => console.error('[tickr] tray status:', err));
  const failed = new Map<string, { id: string; taskId: string }>();
  let status: TrayStatus = { running: 0, failedSinceSeen: [], failedCount: 0, nextRun: null };
  let pending: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const publish = (next: Partial<TrayStatus>): void => {
    const list = [...failed.values()].reverse();
    status = { ...status, ...next, failedSinceSeen: list.slice(0, MAX_FAILED_LISTED), failedCount: list.length };
    options.onChange(status);
  };

  async function refresh(): Promise<void> {
    try {
      const [counts, upcoming] = await Promise.all([
        callApi(options.api, 'jobs.counts', {}),
        callApi(options.api, 'tasks.upcoming', { limit: 1 }),
      ]);
      if (stopped) return;
      const next = upcoming.items[0];
      publish({
        running: counts.counts.running,
        nextRun: next === undefined ? null : { taskName: next.taskName, at: next.at },
      });
    } catch (err) {
      // MySQL away: the tray keeps its last figures; the health notification tells the rest.
      onError(err);
    }
  }

  const scheduleRefresh = (): void => {
    if (pending !== null || stopped) return;
    pending = timers.setTimeout(() => {
      pending = null;
      void refresh();
    }, REFRESH_DEBOUNCE_MS);
  };

  const unsubscribe = options.api.subscribe((message: EventMessage) => {
    if (message.event === 'job.updated') {
      const job = (message as EventMessage<'job.updated'>).data as Job;
      if (job.status === 'failed' && !failed.has(job.id)) {
        failed.set(job.id, { id: job.id, taskId: job.taskId });
        publish({});
      }
      scheduleRefresh();
    } else if (message.event === 'queue.changed') {
      scheduleRefresh();
    }
  });
  const clock = timers.setInterval(() => void refresh(), REFRESH_EVERY_MS);
  void refresh();

  return {
    get status() {
      return status;
    },
    markSeen() {
      if (failed.size === 0) return;
      failed.clear();
      publish({});
    },
    refresh,
    stop() {
      stopped = true;
      unsubscribe();
      timers.clearInterval(clock);
      if (pending !== null) timers.clearTimeout(pending);
    },
  };
}
