import { TickrError } from '../../../shared/errors';
import type { Job } from '../../../shared/types';
import { announceJob } from '../events/job-updated';
import { inTransaction } from '../store/db';
import { guardStore } from '../store/errors';
import { GroupCommit, type Settled } from '../group-commit';
import { autoIncrementStep, insertJobs, newJobRow, type NewJob } from '../store/jobs';
import { jobFromRow } from '../store/rows';
import { getTaskRecords, type TaskRecord } from '../store/tasks';
import { pushJobs } from './push-jobs';
import type { TaskLifecycleContext } from './task-lifecycle';

/** A manual run of a task: due now, outside its schedule, on the task's node if it is pinned. */
export function manualRun(record: TaskRecord, now: Date): NewJob {
  return {
    taskId: record.task.id,
    maxAttempts: record.task.maxAttempts,
    scheduledFor: now,
    occurrenceAt: null,
    dueAt: now,
    pinnedNodeId: record.task.nodeId,
  };
}

/**
 * "Run now" with group commit: the calls that arrive while a write is in flight share the next
 * transaction (the tasks read in one statement, the jobs inserted in one), then one push to
 * Redis and one wake-up for all of them. Each caller hears back only once its job is durable in
 * MySQL (and pushed, as a single call is), with its own job or its own error.
 */
export class RunNowWriter {
  private readonly group: GroupCommit<string, Job>;
  private step: Promise<number> | null = null;

  constructor(private readonly ctx: TaskLifecycleContext) {
    this.group = new GroupCommit('create', (taskIds) => this.write(taskIds), { maxItems: 200 });
  }

  /** A new job of the task, due now. */
  run(taskId: string): Promise<Job> {
    return this.group.submit(taskId);
  }

  private async write(taskIds: string[]): Promise<Settled<Job>[]> {
    const { ctx } = this;
    const now = new Date();
    this.step ??= autoIncrementStep(ctx.pool).catch((err: unknown) => {
      this.step = null;
      throw err;
    });
    const step = await guardStore(() => this.step!);
    const made = await guardStore(() =>
      inTransaction(ctx.pool, async (conn) => {
        // Read inside the transaction: every change to a task committed before a call arrived
        // is seen by that call's job (its maxAttempts, its target node).
        const tasks = await getTaskRecords(conn, [...new Set(taskIds)]);
        const jobs: (NewJob | null)[] = taskIds.map((id) => {
          const record = tasks.get(id);
          return record ? manualRun(record, now) : null;
        });
        const ids = await insertJobs(
          conn,
          jobs.filter((j): j is NewJob => j !== null),
          now,
          step,
        );
        let next = 0;
        return jobs.map((j) => (j ? { job: j, id: ids[next++]! } : null));
      }),
    );
    const written = made.filter((m): m is { job: NewJob; id: string } => m !== null);
    await pushJobs(
      ctx,
      written.map((m) => ({ id: m.id, dueMs: now.getTime(), pinnedNodeId: m.job.pinnedNodeId })),
    );
    return made.map((m, i): Settled<Job> => {
      if (!m) return { ok: false, error: new TickrError('NOT_FOUND', `id: no task ${taskIds[i]}`) };
      const job = jobFromRow(newJobRow(m.id, m.job, now));
      void announceJob(ctx, job);
      return { ok: true, value: job };
    });
  }
}
