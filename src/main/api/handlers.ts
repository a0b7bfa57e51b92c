import type { MethodName, MethodOutput, ParsedInput } from '../../shared/contract';
import { TickrError } from '../../shared/errors';
import type { Engine } from '../engine/engine';
import { previewSchedule } from '../engine/schedule';
import { reportUnreadableRows } from '../engine/events/unreadable-rows';
import { guardStore } from '../engine/store/errors';
import type { ReadPage } from '../engine/store/paging';
import type { Page } from '../../shared/types';
import { queueSnapshot } from '../engine/queue/snapshot';
import { checkRedisAgainstMysql, repairQueues } from '../engine/recovery/diagnostics';
import { durationStats } from '../engine/store/duration-stats';
import { listEvents } from '../engine/store/events';
import { getJob, getJobDetail, listJobs } from '../engine/store/jobs';
import { jobNeighbours } from '../engine/store/job-neighbours';
import { readLogs } from '../engine/store/logs';
import { listNodes } from '../engine/store/nodes';
import { recentRuns } from '../engine/store/recent-runs';
import { listTasks } from '../engine/store/tasks';
import { countJobs, jobThroughput } from '../engine/store/job-stats';
import { healthHistory, upcoming } from './dashboard';
import { pauseAllTasks, resumeAllTasks } from './pause-all';

import { retentionHandlers } from './retention';

import { headlessSettings, type SettingsService } from './settings';

export type Handlers = { [M in MethodName]: (input: ParsedInput<M>) => Promise<MethodOutput<M>> };

function found<T>(value: T | null, what: string): T {
  if (value === null) throw new TickrError('NOT_FOUND', what);
  return value;
}

/** One implementation of the contract; both transports call it through `createApi`. */
export function createHandlers(engine: Engine, settings: SettingsService = headlessSettings(engine)): Handlers {
  const pool = () => engine.context.pool;
  /** A list without the rows it could not read; those are recorded as a system event. */
  const listed = async <T>(read: () => Promise<ReadPage<T>>, what: string): Promise<Page<T>> => {
    const { items, nextCursor, unreadable } = await guardStore(read);
    if (unreadable.length > 0) await reportUnreadableRows(engine.context, unreadable, `left out of ${what}`);
    return { items, nextCursor };
  };
  /** Diagnostics read Redis first: with Redis away they say so, rather than time out on it. */
  const unlessRedisDown = async <T>(run: () => Promise<T>): Promise<T> => {
    if (engine.context.health.status('redis') === 'down') {
      throw new TickrError('QUEUE_UNAVAILABLE', 'Redis is unavailable: nothing to compare with MySQL');
    }
    return run();
  };
  const tasks = () => engine.tasks;
  const jobs = () => engine.jobCommands;
  return {
    'tasks.create': (input) => tasks().create(input),
    'tasks.update': (input) => tasks().update(input),
    'tasks.get': async ({ id }) => (await tasks().get(id)).task,
    'tasks.list': (input) => listed(() => listTasks(pool(), input), 'tasks.list'),
    'tasks.delete': ({ id, purge }) => tasks().delete(id, purge),
    'tasks.pause': ({ id }) => tasks().pause(id),
    'tasks.resume': ({ id }) => tasks().resume(id),
    'tasks.runNow': ({ id }) => tasks().runNow(id),
    'schedule.preview': async (input) => previewSchedule(input),
    'jobs.list': (input) => listed(() => listJobs(pool(), input), 'jobs.list'),
    'jobs.get': async ({ id }) => found(await guardStore(() => getJobDetail(pool(), id)), `id: no job ${id}`),
    'jobs.logs': async (input) => {
      found(await guardStore(() => getJob(pool(), input.id)), `id: no job ${input.id}`);
      return guardStore(() =>
        readLogs(pool(), { jobId: input.id, attempt: input.attempt, afterSeq: input.afterSeq, limit: input.limit }),
      );
    },
    'jobs.cancel': ({ id }) => jobs().cancelJob(id),
    'jobs.retry': ({ id }) => jobs().retryJob(id),
    'queues.snapshot': async () => {
      try {
        return await queueSnapshot(engine.context);
      } catch (err) {
        throw new TickrError('QUEUE_UNAVAILABLE', `Redis is unavailable: ${(err as Error).message}`);
      }
    },
    'health.get': async () => engine.health(),
    'nodes.list': async () => ({ items: await guardStore(() => listNodes(pool(), engine.config.leaseMs, new Date())) }),
    'events.list': (input) => listed(() => listEvents(pool(), input), 'events.list'),
    // Bulk actions
    'jobs.bulkPreview': ({ action, filter }) => engine.bulk.preview(action, filter),
    'jobs.bulkStart': ({ action, filter }) => engine.bulk.start(action, filter),
    'jobs.bulkGet': async ({ id }) => engine.bulk.get(id),
    'jobs.bulkStop': async ({ id }) => engine.bulk.stop(id),
    'jobs.bulkList': async () => ({ items: engine.bulk.list() }),
    // Queues view
    'tasks.durationStats': async ({ taskIds }) => ({ items: await guardStore(() => durationStats(pool(), taskIds)) }),
    // Tasks view
    'tasks.recentRuns': async ({ taskIds }) => ({ items: await guardStore(() => recentRuns(pool(), taskIds)) }),
    // Dashboard
    'health.history': () => healthHistory(engine, new Date()),
    'jobs.counts': () => guardStore(() => countJobs(pool(), new Date())),
    'jobs.throughput': () => guardStore(() => jobThroughput(pool(), new Date())),
    'tasks.upcoming': ({ limit }) => upcoming(engine, limit, new Date()),
    'jobs.neighbours': async ({ id }) => found(await guardStore(() => jobNeighbours(pool(), id)), `id: no job ${id}`),
    'tasks.pauseAll': () => pauseAllTasks(engine),
    'tasks.resumeAll': () => resumeAllTasks(engine),

    ...retentionHandlers(engine),

    // Settings: the desktop app passes its own service; a headless node shows but does not change them.
    'settings.get': () => settings.get(),
    'settings.update': (input) => settings.update(input),
    'settings.testConnection': (input) => settings.testConnection(input),

    // Diagnostics
    'diagnostics.check': (limits) =>
      unlessRedisDown(() => guardStore(() => checkRedisAgainstMysql(engine.context, engine.redisState, limits))),
    'diagnostics.repair': ({ action }) =>
      unlessRedisDown(() =>
        guardStore(() => repairQueues({ sweep: engine.safetySweep, guard: engine.redisState }, action)),
      ),
  };
}
