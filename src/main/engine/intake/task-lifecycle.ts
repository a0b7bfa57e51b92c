import type { TaskCreateInput, TaskUpdateInput } from '../../../shared/schemas';
import { taskCreateSchema } from '../../../shared/schemas';
import { TickrError } from '../../../shared/errors';
import type { Job, Task } from '../../../shared/types';
import { parseInput } from '../../../shared/validate';
import type { EngineContext } from '../context';
import { pushJobs } from './push-jobs';
import { nextOccurrence, onceRunTime, resolveTimezone, validateSchedule } from '../schedule';
import { REASONS, ScheduleKeeper, type Written } from '../dispatch/claim';
import { toStoredEnv, type StoredEnv } from '../secrets/task-env';
import { asStoreError } from '../store/errors';
import { inTransaction } from '../store/db';
import {
  cancelPending,
  getJob,
  getJobRow,
  insertJob,
  insertOccurrence,
  requestCancel,
  type QueueEntry,
} from '../store/jobs';
import {
  cancelPendingJobs,
  countRunning,
  hasLaterPendingOccurrence,
  QUEUED_REASON,
  setPendingMaxAttempts,
  setSchedulePointers,
} from '../store/occurrences';
import { envView } from '../store/rows';
import {
  getTaskRecord,
  insertTask,
  purgeTask,
  softDeleteTask,
  updateTaskRow,
  type NewTask,
  type TaskRecord,
} from '../store/tasks';

/** JSON with sorted keys, so two equal schedules compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * Task lifecycle. Every change is written to MySQL first and only then pushed to Redis
 * (invariant 1); a failed push is repaired by the sweep, so it never fails the call.
 */
export class TasksService {
  private readonly keeper: ScheduleKeeper;

  constructor(private readonly ctx: EngineContext) {
    this.keeper = new ScheduleKeeper(ctx);
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw asStoreError(err);
    }
  }

  /** Pushes freshly written jobs to Redis and wakes every scheduler. */
  async push(entries: QueueEntry[]): Promise<void> {
    await pushJobs(this.ctx, entries);
  }

  private toNewTask(input: TaskCreateInput, now: Date, anchorAt: Date, previousEnv: StoredEnv = {}): NewTask {
    const schedule = input.schedule ?? { type: 'once' as const };
    validateSchedule(schedule);
    const timezone = resolveTimezone(schedule);
    const scheduleStored = schedule.type === 'cron' ? { ...schedule, timezone: timezone ?? undefined } : schedule;
    return {
      name: input.name,
      type: input.type,
      command: input.command ?? null,
      cwd: input.cwd ?? null,
      env: toStoredEnv(input.env, this.ctx.secrets, previousEnv),
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
            {
              taskId,
              maxAttempts: fields.maxAttempts,
              scheduledFor: due,
              occurrenceAt: due,
              dueAt: due,
              pinnedNodeId: fields.nodeId,
            },
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
   * Applies a partial update, in one transaction under the task's row lock:
   * - a changed schedule replaces the pending occurrence (the old one is cancelled, the first
   *   run of the new schedule is made; the new schedule starts now, so nothing counts as missed);
   * - enabled false → true is a resume, true → false a pause (see resume and pause);
   * - a changed target re-makes the pending occurrence for the right node;
   * - a changed maxAttempts applies to the pending jobs too.
   */
  async update(input: TaskUpdateInput): Promise<Task> {
    const { id, ...changes } = input;
    const now = new Date();
    const result = await this.guard(() =>
      inTransaction(this.ctx.pool, async (conn) => {
        const current = await getTaskRecord(conn, id, { forUpdate: true });
        if (!current) throw new TickrError('NOT_FOUND', `id: no task ${id}`);
        const t = current.task;
        const merged = parseInput(taskCreateSchema, {
          name: t.name,
          type: t.type,
          command: t.command ?? undefined,
          cwd: t.cwd ?? undefined,
          // Secrets as the API shows them ({secret: true}): kept sealed as they are unless changed.
          env: envView(current.env),
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
        const fields = this.toNewTask(merged, now, current.anchorAt, current.env);
        const scheduleChanged = canonicalJson(fields.schedule) !== canonicalJson(t.schedule);
        // A new schedule starts now: its anchor (interval phase, once delay) is the update time.
        if (scheduleChanged) fields.anchorAt = now;
        if (t.target === 'this-node' && merged.target === 'this-node' && t.nodeId) fields.nodeId = t.nodeId;
        const targetChanged = fields.nodeId !== t.nodeId;
        const pausing = t.enabled && !fields.enabled;
        const resuming = !t.enabled && fields.enabled;
        fields.nextRunAt = fields.enabled ? (t.nextRunAt ? new Date(t.nextRunAt) : null) : null;
        await updateTaskRow(conn, id, fields, now);
        if (fields.maxAttempts !== t.maxAttempts) await setPendingMaxAttempts(conn, id, fields.maxAttempts);

        let cancelled: QueueEntry[] = [];
        if (pausing) cancelled = await cancelPendingJobs(conn, id, now, 'cancelled: the task was paused');
        else if (fields.enabled && (scheduleChanged || targetChanged)) {
          cancelled = await cancelPendingJobs(conn, id, now, 'replaced: the task was updated', {
            occurrencesOnly: true,
          });
        }
        if (!fields.enabled) return { cancelled, written: null, first: null };
        const updated = await getTaskRecord(conn, id);
        if (!updated) throw new TickrError('INTERNAL', `task ${id} vanished during its update`);
        if (scheduleChanged) {
          const due = this.firstRun(fields, now);
          await setSchedulePointers(conn, id, due, null, now);
          if (!due) return { cancelled, written: null, first: null };
          const jobId = await insertOccurrence(
            conn,
            {
              taskId: id,
              maxAttempts: fields.maxAttempts,
              scheduledFor: due,
              occurrenceAt: due,
              dueAt: due,
              pinnedNodeId: fields.nodeId,
            },
            now,
          );
          return {
            cancelled,
            written: null,
            first: jobId ? { id: jobId, dueMs: due.getTime(), pinnedNodeId: fields.nodeId } : null,
          };
        }
        if (resuming) {
          // Time spent paused counts as missed: the catch-up policy decides, as after downtime.
          const from = await this.keeper.catchUpFrom(conn, updated);
          return {
            cancelled,
            written: await this.keeper.writePlan(conn, updated, from, now, {
              runningNow: false,
              reason: REASONS.missedPaused,
            }),
            first: null,
          };
        }
        if (targetChanged) {
          const from = await this.keeper.catchUpFrom(conn, updated);
          return {
            cancelled,
            written: await this.keeper.writePlan(conn, updated, from, now, {
              runningNow: false,
              reason: REASONS.missed,
            }),
            first: null,
          };
        }
        return { cancelled, written: null, first: null };
      }),
    );
    await this.forget(result.cancelled);
    if (result.written) await this.keeper.announce(result.written);
    if (result.first) {
      await this.push([result.first]);
      this.emitJob(result.first.id);
    }
    await this.ctx.publish({ type: 'task-changed', taskId: id, from: this.ctx.nodeId }).catch(() => undefined);
    return (await this.get(id)).task;
  }

  /** Removes cancelled ids from Redis; best effort, since the claim drops a cancelled job anyway. */
  private async forget(entries: QueueEntry[]): Promise<void> {
    for (const e of entries) {
      await this.ctx.queue.remove(e.id, e.pinnedNodeId).catch(() => undefined);
      this.emitJob(e.id);
    }
  }

  /**
   * Pauses a task: its pending jobs are cancelled and its schedule makes no runs until resumed.
   * A job already running finishes; its retries do not run while the task is paused.
   */
  async pause(id: string): Promise<Task> {
    return this.update({ id, enabled: false });
  }

  /** Resumes a paused task; what it missed while paused goes through its catch-up policy. */
  async resume(id: string): Promise<Task> {
    return this.update({ id, enabled: true });
  }

  /** Runs a task now, outside its schedule (also when paused). The claim applies its overlap policy. */
  async runNow(id: string): Promise<Job> {
    const record = await this.get(id);
    const now = new Date();
    const jobId = await this.guard(() =>
      insertJob(
        this.ctx.pool,
        {
          taskId: id,
          maxAttempts: record.task.maxAttempts,
          scheduledFor: now,
          occurrenceAt: null,
          dueAt: now,
          pinnedNodeId: record.task.nodeId,
        },
        now,
      ),
    );
    await this.push([{ id: jobId, dueMs: now.getTime(), pinnedNodeId: record.task.nodeId }]);
    const job = await this.guard(() => getJob(this.ctx.pool, jobId));
    if (!job) throw new TickrError('INTERNAL', `job ${jobId} vanished right after it was created`);
    this.ctx.bus.emit('job.updated', job);
    return job;
  }

  /**
   * Deletes a task: its pending jobs are cancelled and its schedule stops. A job already running
   * finishes and is recorded; its retries do not run. History is kept unless `purge`, which
   * removes the task with all its jobs, attempts and logs — refused while a job of it runs, since
   * that job would go on writing into rows that no longer exist.
   */
  async delete(id: string, purge: boolean): Promise<{ id: string; deleted: true; cancelledJobs: number }> {
    const now = new Date();
    const cancelled = await this.guard(() =>
      inTransaction(this.ctx.pool, async (conn) => {
        const record = await getTaskRecord(conn, id, { includeDeleted: purge, forUpdate: true });
        if (!record) throw new TickrError('NOT_FOUND', `id: no task ${id}`);
        if (purge && (await countRunning(conn, id)) > 0) {
          throw new TickrError(
            'CONFLICT',
            `id: task ${id} has a running job; cancel it or wait for it to end before purging, or delete without purge`,
          );
        }
        const entries = await cancelPendingJobs(conn, id, now, 'cancelled: the task was deleted');
        if (purge) await purgeTask(conn, id);
        else await softDeleteTask(conn, id, now);
        return entries;
      }),
    );
    await this.forget(purge ? [] : cancelled);
    if (purge) for (const e of cancelled) await this.ctx.queue.remove(e.id, e.pinnedNodeId).catch(() => undefined);
    await this.ctx.publish({ type: 'task-changed', taskId: id, from: this.ctx.nodeId }).catch(() => undefined);
    return { id, deleted: true, cancelledJobs: cancelled.length };
  }

  /**
   * Re-evaluates every enabled recurring task (at start, and when the machine wakes from sleep):
   * one that has no occurrence waiting gets its missed occurrences handled by its catch-up
   * policy and its next occurrence made. Pending occurrences that are overdue are handled when
   * they are claimed (the late-run rule), so this is cheap when nothing broke.
   */
  async reconcileSchedules(now = new Date()): Promise<{ tasks: number; jobs: number }> {
    return this.guard(() => this.keeper.reconcileAll(now));
  }

  /** Cancels a job: a pending one at once, a running one by asking its node to stop it. */
  async cancelJob(jobId: string): Promise<Job> {
    const job = await this.guard(() => getJob(this.ctx.pool, jobId));
    if (!job) throw new TickrError('NOT_FOUND', `id: no job ${jobId}`);
    const now = new Date();
    if (job.status === 'waiting' || job.status === 'ready') {
      const written = await this.guard(() => this.cancelPendingJob(jobId, now));
      if (written) {
        await this.ctx.queue.remove(jobId, written.pinnedNodeId).catch(() => undefined);
        await this.keeper.announce(written);
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

  /**
   * Cancels one pending job. Cancelling an occurrence cancels that run only: the schedule goes
   * on, so the next occurrence is made (in the same transaction) as its dispatch would have.
   */
  private async cancelPendingJob(
    jobId: string,
    now: Date,
  ): Promise<(Written & { pinnedNodeId: string | null }) | null> {
    const row = await getJobRow(this.ctx.pool, jobId);
    if (!row) return null;
    return inTransaction(this.ctx.pool, async (conn) => {
      const task = await getTaskRecord(conn, String(row.task_id), { includeDeleted: true, forUpdate: true });
      if (!(await cancelPending(conn, jobId, now, 'cancelled by a user'))) return null;
      const done: Written & { pinnedNodeId: string | null } = {
        created: [],
        event: null,
        pinnedNodeId: row.pinned_node_id,
      };
      const fresh = row.attempt === 0 && row.error !== QUEUED_REASON;
      if (!task || !task.task.enabled || task.task.deletedAt || !fresh || !row.occurrence_at) return done;
      if (await hasLaterPendingOccurrence(conn, task.task.id, row.occurrence_at)) return done;
      const written = await this.keeper.writePlan(conn, task, row.occurrence_at, now, {
        runningNow: true,
        reason: REASONS.missed,
      });
      return { ...written, pinnedNodeId: row.pinned_node_id };
    });
  }

  /** Runs a finished job again as a new attempt series (a new job of the same task). */
  async retryJob(jobId: string): Promise<Job> {
    const job = await this.guard(() => getJob(this.ctx.pool, jobId));
    if (!job) throw new TickrError('NOT_FOUND', `id: no job ${jobId}`);
    if (job.status !== 'failed' && job.status !== 'cancelled' && job.status !== 'skipped') {
      throw new TickrError(
        'CONFLICT',
        `id: only a failed, cancelled or skipped job can be retried; job ${jobId} is ${job.status}`,
      );
    }
    return this.runNow(job.taskId);
  }
}
