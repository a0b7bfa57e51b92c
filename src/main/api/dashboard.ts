import type { HealthHistory, RedisStateLoss, UpcomingRuns } from '../../shared/types';
import type { Engine } from '../engine/engine';
import { upcomingRuns, UPCOMING_WINDOW_MS } from '../engine/schedule/upcoming';
import { guardStore } from '../engine/store/errors';
import { lastEventOfKind } from '../engine/store/events';
import { scheduledTasksBefore } from '../engine/store/tasks';

/** The most tasks whose runs `tasks.upcoming` expands; past it the answer says `truncated`. */
const UPCOMING_TASKS_MAX = 1_000;

/** The `redis.rebuilt` event's data as recovery/redis-state.ts writes it, or null if it is not that. */
function stateLossOf(event: { at: string; data: Record<string, unknown> } | null): RedisStateLoss | null {
  if (event === null) return null;
  const { jobs, ms, reason } = event.data;
  if (typeof jobs !== 'number' || typeof ms !== 'number') return null;
  return { at: event.at, jobs, ms, reason: typeof reason === 'string' ? reason : '' };
}

/**
 * The health history: the probes' latencies kept in memory (no command sent for it), the server
 * facts read once a minute, and the last Redis rebuild, read from MySQL. With MySQL down the
 * rebuild is left out (null) rather than failing the whole answer: the latencies matter most then.
 */
export async function healthHistory(engine: Engine, now: Date): Promise<HealthHistory> {
  const { health, pool } = engine.context;
  const lastStateLoss = await lastEventOfKind(pool, 'redis.rebuilt').then(stateLossOf, () => null);
  return {
    windowMs: health.history.redis.windowMs,
    redis: {
      samples: health.history.redis.samples(now.getTime()),
      server: engine.serverInfo.redis,
      lastStateLoss,
    },
    mysql: {
      samples: health.history.mysql.samples(now.getTime()),
      server: engine.serverInfo.mysql,
      journalPending: health.journalPending,
    },
  };
}

/** Every enabled task's runs over the next 24 h, from the same schedule rules the engine runs by. */
export async function upcoming(engine: Engine, limit: number, now: Date): Promise<UpcomingRuns> {
  const to = new Date(now.getTime() + UPCOMING_WINDOW_MS);
  const tasks = await guardStore(() => scheduledTasksBefore(engine.context.pool, to, UPCOMING_TASKS_MAX));
  const { items, truncated } = upcomingRuns(tasks, now, to, limit);
  return {
    from: now.toISOString(),
    to: to.toISOString(),
    items,
    truncated: truncated || tasks.length === UPCOMING_TASKS_MAX,
  };
}
