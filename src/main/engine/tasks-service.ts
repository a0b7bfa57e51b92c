import type { TaskCreateInput, TaskUpdateInput } from '../../shared/schemas';
import { taskCreateSchema } from '../../shared/schemas';
import { TickrError } from '../../shared/errors';
import type { Job, Task } from '../../shared/types';
import { parseInput } from '../../shared/validate';
import type { EngineContext } from './context';
import { nextOccurrence, onceRunTime, resolveTimezone, validateSchedule } from './schedule';
import { toStoredEnv } from './secrets';
import { asStoreError } from './store-errors';
import { inTransaction } from './store/db';
import { cancelPending, cancelPendingForTask, getJob, insertJob, insertOccurrence, requestCancel, type QueueEntry } from './store/jobs';
import {
  getTaskRecord,
  insertTask,
  purgeTask,
  setTaskEnabled,
  setTaskSchedulePointer,
  softDeleteTask,
  updateTaskRow,
  type NewTask,
  type TaskRecord,
} from './store/tasks';

function isRecurring(t: Task): boolean {
  return t.schedule.type === 'interval' || t.schedule.type === 'cron';
}

/**
 * Task lifecycle. Every change is written to MySQL first and only then pushed to Redis
 * (invariant 1); a failed push is repaired by the sweep, so it never fails the call.
 */
export class TasksService {
  constructor(private readonly ctx: EngineContext) {}

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw asStoreError(err);
    }
  }

  /** Pushes freshly written jobs to Redis and wakes every scheduler. */
  async push(entries: QueueEntry[]): Promise<void> {
    if (entries.length === 0) return;
    try {
      for (const e of entries) await this.ctx.faults.beforePush?.(e.id);
      await this.ctx.queue.add(entries);
      this.ctx.wake.notify();
      await this.ctx.publish({ type: 'wake', from: this.ctx.nodeId });
    } catch (err) {
      this.ctx.log.warn(`jobs ${entries.map((e) => e.id).join(',')}: written to MySQL but not yet to Redis (${(err as Error).message}); the sweep will queue them`);
    }
  }

  private toNewTask(input: TaskCreateInput, now: Date, anchorAt: Date): NewTask {
    const schedule = input.schedule ?? { type: 'once' as const };
    validateSchedule(schedule);
    const timezone = resolveTimezone(schedule);
    const scheduleStored = schedule.type === 'cron' ? { ...schedule, timezone: timezone ?? undefined } : schedule;
    return {
      name: input.name,
      type: input.type,
      command: input.command ?? null,
      cwd: input.cwd ?? null,
      env: toStoredEnv(input.env),
      http: input.http ?? null,
      schedule: scheduleStored,
      timezone,
      maxAttempts: input.maxAttempts,
      retryDelayMs: input.retryDelayMs,
      timeoutMs: input.timeoutMs,
      overlap: input.overlap,
      catchUp: input.catchUp,
      target: input.target,
      nodeId: input.target === 'this-node' ? this.ctx.nodeId : null,
      enabled: input.enabled,
      anchorAt,
      nextRunAt: null,
    };
  }

  /** The first run of a new or rescheduled task, or null if its schedule never fires. */
  private firstRun(t: NewTask, now: Date): Date | null {
    const s = t.schedule;
    if (s.type === 'once') return onceRunTime(s, t.anchorAt);
    return nextOccurrence(s, new Date(now.getTime() - 1), t.anchorAt);
  }

  async create(input: TaskCreateInput): Promise<Task> {
    const now = new Date();
    const fields = this.toNewTask(input, now, now);
    const due = fields.enabled ? this.firstRun(fields, now) : null;
    fields.nextRunAt = due;
    const { taskId, jobId } = await this.guard(() =>
      inTransaction(this.ctx.pool, async (conn) => {
        const taskId = await insertTask(conn, fields, now);
        let jobId: string | null = null;
        if (due) {
          jobId = await insertJob(
            conn,
            { taskId, maxAttempts: fields.maxAttempts, scheduledFor: due, occurrenceAt: due, dueAt: due, pinnedNodeId: fields.nodeId },
            now,
          );
        }
        return { taskId, jobId };
      }),
    );
    if (jobId && due) await this.push([{ id: jobId, dueMs: due.getTime(), pinnedNodeId: fields.nodeId }]);
    const record = await this.guard(() => getTaskRecord(this.ctx.pool, taskId));
    if (!record) throw new TickrError('INTERNAL', `task ${taskId} vanished right after it was created`);
    if (jobId) this.emitJob(jobId);
    return record.task;
  }

  private emitJob(jobId: string): void {
    getJob(this.ctx.pool, jobId)
      .then((job) => job && this.ctx.bus.emit('job.updated', job))
      .catch(() => undefined);
  }

  async get(id: string): Promise<TaskRecord> {
    const record = await this.guard(() => getTaskRecord(this.ctx.pool, id));
    if (!record) throw new TickrError('NOT_FOUND', `id: no task ${id}`);
    return record;
  }

  /**
   * Applies a partial update. A changed schedule (or re-enabling) replaces the pending
   * occurrence atomically: in one transaction the old pending jobs are cancelled and the new
   * one is written.
   */
  async update(input: TaskUpdateInput): Promise<Task> {
    const current = await this.get(input.id);
    const t = current.task;
    const { id, ...changes } = input;
    const merged = parseInput(taskCreateSchema, {
      name: t.name,
      type: t.type,
      command: t.command ?? undefined,
      cwd: t.cwd ?? undefined,
      env: current.env,
      http: t.http ?? undefined,
      schedule: t.schedule,
      maxAttempts: t.maxAttempts,
      retryDelayMs: t.retryDelayMs,
      timeoutMs: t.timeoutMs,
      overlap: t.overlap,
      catchUp: t.catchUp,
      target: t.target,
      enabled: t.enabled,
      ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
      ...(changes.cwd === null ? { cwd: undefined } : {}),
    });
    const now = new Date();
    const scheduleChanged = JSON.stringify(merged.schedule ?? null) !== JSON.stringify(t.schedule) || merged.enabled !== t.enabled;
    const fields = this.toNewTask(merged, now, scheduleChanged ? now : current.anchorAt);
    if (t.target === 'this-node' && merged.target === 'this-node' && t.nodeId) fields.nodeId = t.nodeId;
    const due = scheduleChanged && fields.enabled ? this.firstRun(fields, now) : null;
    fields.nextRunAt = scheduleChanged ? due : t.nextRunAt ? new Date(t.nextRunAt) : null;
    const jobId = await this.guard(() =>
      inTransaction(this.ctx.pool, async (conn) => {
        await getTaskRecord(conn, id, { forUpdate: true });
        await updateTaskRow(conn, id, fields, now);
        if (!scheduleChanged) return null;
        await cancelPendingForTask(conn, id, now, 'replaced: the task was updated');
        if (!due) return null;
        return insertJob(conn, { taskId: id, maxAttempts: fields.maxAttempts, scheduledFor: due, occurrenceAt: due, dueAt: due, pinnedNodeId: fields.nodeId }, now);
      }),
    );
    if (jobId && due) await this.push([{ id: jobId, dueMs: due.getTime(), pinnedNodeId: fields.nodeId }]);
    await this.ctx.publish({ type: 'task-changed', taskId: id, from: this.ctx.nodeId }).catch(() => undefined);
    return (await this.get(id)).task;
  }

  async pause(id: string): Promise<Task> {
    await this.get(id);
    const now = new Date();
    await this.guard(() =>
      inTransaction(this.ctx.pool, async (conn) => {
        await setTaskEnabled(conn, id, false, now);
        await cancelPendingForTask(conn, id, now, 'cancelled: the task was paused');
        await setTaskSchedulePointer(conn, id, null, null, now);
      }),
    );
    return (await this.get(id)).task;
  }

  async resume(id: string): Promise<Task> {
    const record = await this.get(id);
    if (record.task.enabled) return record.task;
    return this.update({ id, enabled: true });
  }

  /** Runs a task now, outside its schedule. */
  async runNow(id: string): Promise<Job> {
    const record = await this.get(id);
    const now = new Date();
    const jobId = await this.guard(() =>
      insertJob(this.ctx.pool, { taskId: id, maxAttempts: record.task.maxAttempts, scheduledFor: now, occurrenceAt: null, dueAt: now, pinnedNodeId: record.task.nodeId }, now),
    );
    await this.push([{ id: jobId, dueMs: now.getTime(), pinnedNodeId: record.task.nodeId }]);
    const job = await this.guard(() => getJob(this.ctx.pool, jobId));
    if (!job) throw new TickrError('INTERNAL', `job ${jobId} vanished right after it was created`);
    this.ctx.bus.emit('job.updated', job);
    return job;
  }

  /** Deletes a task: pending jobs are cancelled, running ones asked to stop; history kept unless purged. */
  async delete(id: string, purge: boolean): Promise<{ id: string; deleted: true; cancelledJobs: number }> {
    const record = await this.guard(() => getTaskRecord(this.ctx.pool, id, { includeDeleted: purge }));
    if (!record) throw new TickrError('NOT_FOUND', `id: no task ${id}`);
    const now = new Date();
    const cancelled = await this.guard(() =>
      inTransaction(this.ctx.pool, async (conn) => {
        const ids = await cancelPendingForTask(conn, id, now, 'cancelled: the task was deleted');
        if (purge) await purgeTask(conn, id);
        else await softDeleteTask(conn, id, now);
        return ids;
      }),
    );
    for (const jobId of cancelled) await this.ctx.queue.remove(jobId, record.task.nodeId).catch(() => undefined);
    return { id, deleted: true, cancelledJobs: cancelled.length };
  }

  /**
   * Makes the occurrence after `afterOccurrence` for a recurring task, idempotently: the
   * (task, occurrence) unique key means two nodes doing this at once create it once.
   */
  async materialiseNext(taskId: string, afterOccurrence: Date): Promise<string | null> {
    const record = await getTaskRecord(this.ctx.pool, taskId);
    if (!record || !record.task.enabled || !isRecurring(record.task)) return null;
    const next = nextOccurrence(record.task.schedule, afterOccurrence, record.anchorAt);
    const now = new Date();
    if (!next) {
      await setTaskSchedulePointer(this.ctx.pool, taskId, null, afterOccurrence, now);
      return null;
    }
    const jobId = await insertOccurrence(
      this.ctx.pool,
      { taskId, maxAttempts: record.task.maxAttempts, scheduledFor: next, occurrenceAt: next, dueAt: next, pinnedNodeId: record.task.nodeId },
      now,
    );
    await setTaskSchedulePointer(this.ctx.pool, taskId, next, afterOccurrence, now);
    if (jobId) {
      await this.push([{ id: jobId, dueMs: next.getTime(), pinnedNodeId: record.task.nodeId }]);
      this.emitJob(jobId);
    }
    return jobId;
  }

  /** Cancels a job: a pending one at once, a running one by asking its node to stop it. */
  async cancelJob(jobId: string): Promise<Job> {
    const job = await this.guard(() => getJob(this.ctx.pool, jobId));
    if (!job) throw new TickrError('NOT_FOUND', `id: no job ${jobId}`);
    const now = new Date();
    if (job.status === 'waiting' || job.status === 'ready') {
      if (await this.guard(() => cancelPending(this.ctx.pool, jobId, now, 'cancelled by a user'))) {
        await this.ctx.queue.remove(jobId, null).catch(() => undefined);
      }
    } else if (job.status === 'running') {
      await this.guard(() => requestCancel(this.ctx.pool, jobId, now));
      // The node running it may be this one; otherwise it hears the signal (or its next heartbeat).
      await this.ctx.publish({ type: 'cancel', jobId, from: this.ctx.nodeId }).catch(() => undefined);
    } else {
      throw new TickrError('CONFLICT', `id: job ${jobId} is already ${job.status}`);
    }
    const after = await this.guard(() => getJob(this.ctx.pool, jobId));
    if (!after) throw new TickrError('NOT_FOUND', `id: no job ${jobId}`);
    this.ctx.bus.emit('job.updated', after);
    return after;
  }

  /** Runs a finished job again as a new attempt series (a new job of the same task). */
  async retryJob(jobId: string): Promise<Job> {
    const job = await this.guard(() => getJob(this.ctx.pool, jobId));
    if (!job) throw new TickrError('NOT_FOUND', `id: no job ${jobId}`);
    if (job.status !== 'failed' && job.status !== 'cancelled' && job.status !== 'skipped') {
      throw new TickrError('CONFLICT', `id: only a failed, cancelled or skipped job can be retried; job ${jobId} is ${job.status}`);
    }
    return this.runNow(job.taskId);
  }
}

