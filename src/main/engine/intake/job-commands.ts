import { TickrError } from '../../../shared/errors';
import type { Job } from '../../../shared/types';
import type { PartContext } from '../context';
import { announceJob } from '../events/job-updated';
import { REASONS } from '../reasons';
import { inTransaction } from '../store/db';
import { guardStore } from '../store/errors';
import { cancelPending, getJob, getJobRow, linkRetry, requestCancel } from '../store/jobs';
import { hasLaterPendingOccurrence } from '../store/occurrences';
import { getTaskRecord } from '../store/tasks';
import { isFreshRun } from '../dispatch/claim-verdict';
import type { RunLink } from './task-lifecycle';
import { publishWritten, writeOccurrencePlan, type PublishWrittenContext, type Written } from './occurrence-plan';

export type JobCommandsContext = PublishWrittenContext & PartContext<'pool' | 'queue' | 'publish' | 'nodeId'>;

/**
 * What a user does to one job: cancel it (pending: at once; running: its node is asked to stop
 * it) or retry it (a new job of the same task). MySQL first, then Redis, as everywhere.
 */
export class JobCommands {
  constructor(
    private readonly ctx: JobCommandsContext,
    /** Makes a new job of a task, due now, written with its link (TaskLifecycle.runNow). */
    private readonly runTaskNow: (taskId: string, link: RunLink) => Promise<Job>,
  ) {}

  /** Cancels a job: a pending one at once, a running one by asking its node to stop it. */
  async cancelJob(jobId: string): Promise<Job> {
    const job = await guardStore(() => getJob(this.ctx.pool, jobId));
    if (!job) throw new TickrError('NOT_FOUND', `id: no job ${jobId}`);
    const now = new Date();
    if (job.status === 'waiting' || job.status === 'ready') {
      const written = await guardStore(() => this.cancelPendingJob(jobId, now));
      if (written) {
        await this.ctx.queue.remove(jobId, written.pinnedNodeId).catch(() => undefined);
        await publishWritten(this.ctx, written);
      }
    } else if (job.status === 'running') {
      await guardStore(() => requestCancel(this.ctx.pool, jobId, now));
      // The node running it may be this one; otherwise it hears the signal (or its next heartbeat).
      await this.ctx.publish({ type: 'cancel', jobId, from: this.ctx.nodeId }).catch(() => undefined);
    } else {
      throw new TickrError('CONFLICT', `id: job ${jobId} is already ${job.status}`);
    }
    const after = await guardStore(() => getJob(this.ctx.pool, jobId));
    if (!after) throw new TickrError('NOT_FOUND', `id: no job ${jobId}`);
    await announceJob(this.ctx, after);
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
      if (!(await cancelPending(conn, jobId, now, REASONS.cancelledByUser))) return null;
      const done: Written & { pinnedNodeId: string | null } = {
        created: [],
        event: null,
        pinnedNodeId: row.pinned_node_id,
      };
      if (!task || !task.task.enabled || task.task.deletedAt || !isFreshRun(row) || !row.occurrence_at) return done;
      if (await hasLaterPendingOccurrence(conn, task.task.id, row.occurrence_at)) return done;
      const written = await writeOccurrencePlan(conn, task, row.occurrence_at, now, {
        runningNow: true,
        reason: REASONS.missed,
      });
      return { ...written, pinnedNodeId: row.pinned_node_id };
    });
  }

  /**
   * Runs a finished job again as a new attempt series (a new job of the same task), and links the
   * job to that run (`retriedAs`). With `once`, a job already retried is refused: the link is set
   * only where it is still empty, in the new job's own transaction, so two bulk retries racing
   * over the same job make one run of it, never two.
   */
  async retryJob(jobId: string, opts: { once?: boolean } = {}): Promise<Job> {
    const row = await guardStore(() => getJobRow(this.ctx.pool, jobId));
    if (!row) throw new TickrError('NOT_FOUND', `id: no job ${jobId}`);
    if (row.status !== 'failed' && row.status !== 'cancelled' && row.status !== 'skipped') {
      throw new TickrError(
        'CONFLICT',
        `id: only a failed, cancelled or skipped job can be retried; job ${jobId} is ${row.status}`,
      );
    }
    const once = opts.once === true;
    return this.runTaskNow(String(row.task_id), async (conn, newJobId) => {
      const linked = await linkRetry(conn, jobId, newJobId, once);
      if (!linked) throw new TickrError('CONFLICT', `id: job ${jobId} was already retried`);
    });
  }
}
