import type { TaskCreateInput, TaskUpdateInput } from '../../../shared/schemas';
import { taskCreateSchema } from '../../../shared/schemas';
import { TickrError } from '../../../shared/errors';
import type { Job, Task } from '../../../shared/types';
import { parseInput } from '../../../shared/validate';
import type { PoolConnection } from 'mysql2/promise';
import type { PartContext } from '../context';
import { announceJob } from '../events/job-updated';
import { REASONS } from '../reasons';
import { inTransaction } from '../store/db';
import { guardStore } from '../store/errors';
import { insertJob, insertOccurrence, newJobRow, type QueueEntry } from '../store/jobs';
import { cancelPendingJobs, countRunning, setPendingMaxAttempts, setSchedulePointers } from '../store/occurrences';
import { envView, jobFromRow } from '../store/rows';
import { getTaskRecord, insertTask, purgeTask, softDeleteTask, updateTaskRow, type TaskRecord } from '../store/tasks';
import { catchUpFrom, publishWritten, writeOccurrencePlan, type PublishWrittenContext } from './occurrence-plan';
import { pushJobs } from './push-jobs';
import { manualRun, RunNowWriter } from './run-now';
import { canonicalJson, firstOccurrence, firstRun, toNewTask, type TaskFieldsContext } from './task-fields';

export type TaskLifecycleContext = PublishWrittenContext &
  TaskFieldsContext &
  PartContext<'pool' | 'queue' | 'publish'>;

/** Written in the same transaction as a run-now job, with its id (see JobCommands.retryJob). */
export type RunLink = (conn: PoolConnection, newJobId: string) => Promise<void>;

/**
 * Task lifecycle. Every change is written to MySQL first and only then pushed to Redis
 * (invariant 1); a failed push is repaired by the sweep, so it never fails the call.
 */
export class TaskLifecycle {
  private readonly runs: RunNowWriter;

  constructor(private readonly ctx: TaskLifecycleContext) {
    this.runs = new RunNowWriter(ctx);
  }

  /** Creates a task and its first job in one transaction, then pushes the job. */
  async create(input: TaskCreateInput): Promise<Task> {
    const now = new Date();
    const fields = toNewTask(this.ctx, input, now);
    const due = fields.enabled ? firstRun(fields, now) : null;
    fields.nextRunAt = due;
    const { taskId, jobId } = await guardStore(() =>
      inTransaction(this.ctx.pool, async (conn) => {
        const taskId = await insertTask(conn, fields, now);
        let jobId: string | null = null;
        if (due) {
          jobId = await insertJob(conn, firstOccurrence(taskId, fields, due), now);
        }
        return { taskId, jobId };
      }),
    );
    if (jobId && due) await pushJobs(this.ctx, [{ id: jobId, dueMs: due.getTime(), pinnedNodeId: fields.nodeId }]);
    const record = await guardStore(() => getTaskRecord(this.ctx.pool, taskId));
    if (!record) throw new TickrError('INTERNAL', `task ${taskId} vanished right after it was created`);
    if (jobId) void announceJob(this.ctx, jobId);
    return record.task;
  }

  async get(id: string): Promise<TaskRecord> {
    const record = await guardStore(() => getTaskRecord(this.ctx.pool, id));
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
    const result = await guardStore(() =>
      inTransaction(this.ctx.pool, async (conn) => {
        const current = await getTaskRecord(conn, id, { forUpdate: true });
        if (!current) throw new TickrError('NOT_FOUND', `id: no task ${id}`);
        const t = current.task;
        // The payload of the type the task will have: switching type drops the other one's.
        const type = changes.type ?? t.type;
        const merged = parseInput(taskCreateSchema, {
          name: t.name,
          type: t.type,
          command: type === 'shell' ? (t.command ?? undefined) : undefined,
          cwd: t.cwd ?? undefined,
          // Secrets as the API shows them ({secret: true}, *** in the URL): kept sealed as they are unless changed.
          env: envView(current.env),
          http: type === 'http' ? (t.http ?? undefined) : undefined,
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
        const fields = toNewTask(this.ctx, merged, current.anchorAt, current);
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
        if (pausing) cancelled = await cancelPendingJobs(conn, id, now, REASONS.pausing);
        else if (fields.enabled && (scheduleChanged || targetChanged)) {
          cancelled = await cancelPendingJobs(conn, id, now, REASONS.replaced, {
            occurrencesOnly: true,
          });
        }
        if (!fields.enabled) return { cancelled, written: null, first: null };
        const updated = await getTaskRecord(conn, id);
        if (!updated) throw new TickrError('INTERNAL', `task ${id} vanished during its update`);
        if (scheduleChanged) {
          const due = firstRun(fields, now);
          await setSchedulePointers(conn, id, due, null, now);
          if (!due) return { cancelled, written: null, first: null };
          const jobId = await insertOccurrence(conn, firstOccurrence(id, fields, due), now);
          return {
            cancelled,
            written: null,
            first: jobId ? { id: jobId, dueMs: due.getTime(), pinnedNodeId: fields.nodeId } : null,
          };
        }
        if (resuming || targetChanged) {
          // Time spent paused counts as missed: the catch-up policy decides, as after downtime.
          const from = await catchUpFrom(conn, updated);
          const reason = resuming ? REASONS.missedPaused : REASONS.missed;
          const written = await writeOccurrencePlan(conn, updated, from, now, { runningNow: false, reason });
          return { cancelled, written, first: null };
        }
        return { cancelled, written: null, first: null };
      }),
    );
    await this.forget(result.cancelled);
    if (result.written) await publishWritten(this.ctx, result.written);
    if (result.first) {
      await pushJobs(this.ctx, [result.first]);
      void announceJob(this.ctx, result.first.id);
    }
    await this.ctx.publish({ type: 'task-changed', taskId: id, from: this.ctx.nodeId }).catch(() => undefined);
    return (await this.get(id)).task;
  }

  /** Removes cancelled ids from Redis; best effort, since the claim drops a cancelled job anyway. */
  private async forget(entries: QueueEntry[]): Promise<void> {
    for (const e of entries) {
      await this.ctx.queue.remove(e.id, e.pinnedNodeId).catch(() => undefined);
      void announceJob(this.ctx, e.id);
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

  /**
   * Runs a task now, outside its schedule (also when paused). The claim applies its overlap
   * policy. Calls that arrive together share one transaction (run-now.ts).
   */
  async runNow(id: string, link?: RunLink): Promise<Job> {
    if (!link) return this.runs.run(id);
    const record = await this.get(id);
    const now = new Date();
    const newJob = manualRun(record, now);
    // A linked run (a retry that marks the job it retries) is made in one transaction with its
    // link, so a crash or a refused link leaves neither half.
    const jobId = await guardStore(() =>
      inTransaction(this.ctx.pool, async (conn) => {
        const made = await insertJob(conn, newJob, now);
        await link(conn, made);
        return made;
      }),
    );
    await pushJobs(this.ctx, [{ id: jobId, dueMs: now.getTime(), pinnedNodeId: record.task.nodeId }]);
    const job = jobFromRow(newJobRow(jobId, newJob, now));
    await announceJob(this.ctx, job);
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
    const cancelled = await guardStore(() =>
      inTransaction(this.ctx.pool, async (conn) => {
        const record = await getTaskRecord(conn, id, { includeDeleted: purge, forUpdate: true });
        if (!record) throw new TickrError('NOT_FOUND', `id: no task ${id}`);
        if (purge && (await countRunning(conn, id)) > 0) {
          throw new TickrError(
            'CONFLICT',
            `id: task ${id} has a running job; cancel it or wait for it to end before purging, or delete without purge`,
          );
        }
        const entries = await cancelPendingJobs(conn, id, now, REASONS.deleted);
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
}
