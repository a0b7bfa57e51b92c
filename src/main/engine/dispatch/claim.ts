import type { PoolConnection } from 'mysql2/promise';
import type { EngineContext } from '../context';
import { pushJobs } from '../intake/push-jobs';
import { CATCH_UP_LIMIT, planCatchUp, windowEnd, type CatchUpPlan } from '../schedule';
import { inTransaction } from '../store/db';
import type { NewEvent } from '../store/events';
import { claimInTransaction, getJob, type ClaimedJob, type QueueEntry } from '../store/jobs';
import {
  cancelClaimed,
  claimInfo,
  clearQueuedMark,
  countRunning,
  hasLaterPendingOccurrence,
  hasQueuedAhead,
  hasUndispatchedOccurrence,
  insertOccurrences,
  insertSkippedOccurrences,
  lastOccurrence,
  lockJobRow,
  makeQueuedDue,
  markQueued,
  markSkipped,
  QUEUED_REASON,
  queuedJobs,
  setSchedulePointers,
  tasksWithoutPendingOccurrence,
  type OccurrenceRow,
} from '../store/occurrences';
import { jobFromRow, type JobRow } from '../store/rows';
import { getTaskRecord, type TaskRecord } from '../store/tasks';

/** The reasons written on jobs, as docs/scheduling.md states them. */
export const REASONS = {
  overlap: 'previous run still running',
  overlapQueued: 'previous runs still queued',
  overlapFull: 'previous run still running (another run is already queued)',
  missed: 'missed: not started within its window (node down, asleep or disconnected; catch-up: skip)',
  missedPaused: 'missed: the task was paused (catch-up: skip)',
  paused: 'cancelled: the task is paused',
  deleted: 'cancelled: the task was deleted',
} as const;

/**
 * How long a queued job waits before it looks again by itself. The finish of the run ahead of
 * it wakes it at once; this only catches a wake-up that was lost (that node died, say).
 */
export const QUEUE_RECHECK_MS = 10_000;

export type ClaimOutcome =
  | { kind: 'none' }
  | { kind: 'run'; claim: ClaimedJob; task: TaskRecord | null }
  | { kind: 'skipped' | 'cancelled'; row: JobRow }
  | { kind: 'queued'; row: JobRow; recheckAt: Date };

/** Rows a decision wrote, to push and announce once its transaction committed. */
export interface Written {
  created: QueueEntry[];
  event: Omit<NewEvent, 'nodeId'> | null;
}

const NOTHING: Written = { created: [], event: null };

function isRecurring(task: TaskRecord): boolean {
  return task.task.schedule.type === 'interval' || task.task.schedule.type === 'cron';
}

/**
 * Overlap limits every first attempt of a task's runs: its schedule's occurrences and its manual
 * runs alike, paused or not (a paused task's schedule makes nothing, but "Run now" still must not
 * pile runs on each other). Callers that want a batch of parallel runs ask for `overlap: 'allow'`.
 */
export function overlapApplies(task: { overlap: string | null }): boolean {
  return task.overlap !== 'allow';
}

function claimable(row: JobRow, now: Date, nodeId: string): boolean {
  return (
    (row.status === 'waiting' || row.status === 'ready') &&
    row.due_at.getTime() <= now.getTime() &&
    (row.pinned_node_id === null || row.pinned_node_id === nodeId)
  );
}

/**
 * A catch-up run is made due after its occurrence (ordinary occurrences are due at it): that is
 * how the claim tells them apart without another column.
 */
function isCatchUpRun(row: JobRow): boolean {
  return row.occurrence_at !== null && row.due_at.getTime() > row.occurrence_at.getTime();
}

/**
 * Keeps recurring tasks' occurrences right (docs/scheduling.md): it makes each next occurrence
 * when the current one is dispatched, in the claim's own transaction; applies the overlap and
 * catch-up policies under the task's row lock; wakes queued runs; and repairs a task whose chain
 * of occurrences broke (at start, on resume from sleep, on tasks.resume).
 */
export class ScheduleKeeper {
  constructor(private readonly ctx: EngineContext) {}

  /**
   * Claims a taken id: the compare-and-set of invariant 3, plus the task's policies. The task's
   * row is locked first whenever the decision depends on its other jobs (overlap) or writes them
   * (the next occurrence), so two nodes never decide for one task at once. Retries, and manual
   * runs that no overlap policy limits, need no lock, so a task with thousands of manual runs
   * does not serialise its claims on one row.
   */
  async claim(id: string, token: string, now = new Date()): Promise<ClaimOutcome> {
    const { ctx } = this;
    const info = await claimInfo(ctx.pool, id);
    if (!info) return { kind: 'none' };
    const needsLock = (attempt: number, occurrenceAt: Date | null, task: { overlap: string | null }): boolean =>
      attempt === 0 && (occurrenceAt !== null || overlapApplies(task));
    const locked = info.task !== null && needsLock(info.attempt, info.occurrenceAt, info.task.task);
    const { outcome, written } = await inTransaction(ctx.pool, async (conn) => {
      const none = { outcome: { kind: 'none' } as ClaimOutcome, written: NOTHING };
      if (!locked) {
        // The fast path: a retry, or a manual run nothing limits; the compare-and-set decides.
        // The task as read just before is good enough: a pause or delete that lands meanwhile
        // is as if this claim had come a moment earlier.
        const task = info.task;
        const stop = task?.task.deletedAt
          ? REASONS.deleted
          : task && !task.task.enabled && info.occurrenceAt !== null
            ? REASONS.paused
            : null;
        if (stop) {
          const row = await lockJobRow(conn, id);
          return row && claimable(row, now, ctx.nodeId) ? this.cancel(conn, row, now, stop) : none;
        }
        const claim = await claimInTransaction(conn, {
          id,
          nodeId: ctx.nodeId,
          token,
          leaseMs: ctx.config.leaseMs,
          now,
        });
        return claim ? { outcome: { kind: 'run', claim, task } as ClaimOutcome, written: NOTHING } : none;
      }
      // Lock order everywhere: the task row, then its jobs. The task read comes first, so the
      // plain reads below see every claim that committed before this one got the lock.
      const task = await getTaskRecord(conn, info.taskId, { includeDeleted: true, forUpdate: true });
      const row = await lockJobRow(conn, id);
      if (!row || !claimable(row, now, ctx.nodeId)) return none;
      if (task?.task.deletedAt) return this.cancel(conn, row, now, REASONS.deleted);
      // A paused task's schedule makes no runs (retries included); a manual run of it still runs.
      if (task && !task.task.enabled && row.occurrence_at !== null) return this.cancel(conn, row, now, REASONS.paused);
      return this.decide(conn, task, row, token, now);
    });
    await this.announce(written);
    return outcome;
  }

  private async cancel(
    conn: PoolConnection,
    row: JobRow,
    now: Date,
    reason: string,
  ): Promise<{ outcome: ClaimOutcome; written: Written }> {
    await cancelClaimed(conn, String(row.id), now, reason);
    return {
      outcome: { kind: 'cancelled', row: { ...row, status: 'cancelled', error: reason, finished_at: now } as JobRow },
      written: NOTHING,
    };
  }

  private async decide(
    conn: PoolConnection,
    task: TaskRecord | null,
    row: JobRow,
    token: string,
    now: Date,
  ): Promise<{ outcome: ClaimOutcome; written: Written }> {
    const id = String(row.id);
    const queued = row.attempt === 0 && row.error === QUEUED_REASON;
    // First dispatch of this job; a retry is the same job again and obeys no schedule policy.
    const fresh = row.attempt === 0 && !queued;
    const catchUpRun = fresh && isCatchUpRun(row);
    let verdict: { skip: string } | 'queue' | 'run' = 'run';

    if (task && fresh && row.occurrence_at && !catchUpRun && task.task.catchUp === 'skip') {
      if (now.getTime() > windowEnd(task.task.schedule, row.occurrence_at, task.anchorAt).getTime())
        verdict = { skip: REASONS.missed };
    }
    if (task && verdict === 'run' && row.attempt === 0 && overlapApplies(task.task)) {
      const running = await countRunning(conn, String(row.task_id));
      const ahead =
        queued || catchUpRun
          ? await hasQueuedAhead(conn, row)
          : (await queuedJobs(conn, String(row.task_id), 1)).length > 0;
      if (running > 0 || ahead) {
        // A queued job keeps its place; catch-up runs always queue: they were asked for, each one.
        if (queued || catchUpRun) verdict = 'queue';
        else if (task.task.overlap === 'queue' && !ahead) verdict = 'queue';
        else
          verdict = {
            skip:
              running === 0
                ? REASONS.overlapQueued
                : task.task.overlap === 'queue'
                  ? REASONS.overlapFull
                  : REASONS.overlap,
          };
      }
    }

    // The next occurrence is made when this one is dispatched (whatever the verdict), unless a
    // later one already waits (catch-up runs, or a duplicate of this decision on another node).
    let written = NOTHING;
    if (
      task &&
      fresh &&
      row.occurrence_at &&
      task.task.enabled &&
      !(await hasLaterPendingOccurrence(conn, task.task.id, row.occurrence_at))
    ) {
      written = await this.writePlan(conn, task, row.occurrence_at, now, {
        runningNow: true,
        reason: REASONS.missed,
        lateSkipped: typeof verdict === 'object' && verdict.skip === REASONS.missed,
      });
    }

    if (typeof verdict === 'object') {
      await markSkipped(conn, id, now, verdict.skip);
      return {
        outcome: {
          kind: 'skipped',
          row: { ...row, status: 'skipped', error: verdict.skip, finished_at: now } as JobRow,
        },
        written,
      };
    }
    if (verdict === 'queue') {
      const recheckAt = new Date(now.getTime() + QUEUE_RECHECK_MS);
      await markQueued(conn, id, recheckAt, now);
      return {
        outcome: {
          kind: 'queued',
          row: { ...row, status: 'waiting', error: QUEUED_REASON, due_at: recheckAt } as JobRow,
          recheckAt,
        },
        written,
      };
    }
    if (queued) await clearQueuedMark(conn, id);
    const claim = await claimInTransaction(conn, {
      id,
      nodeId: this.ctx.nodeId,
      token,
      leaseMs: this.ctx.config.leaseMs,
      now,
    });
    if (!claim) return { outcome: { kind: 'none' }, written };
    return { outcome: { kind: 'run', claim, task }, written };
  }

  /**
   * Writes the catch-up plan for the occurrences after `from` and the next one after now, under
   * the task's row lock. Every row is INSERT IGNORE on (task, occurrence), so a plan written
   * twice (two nodes) makes each occurrence once.
   */
  async writePlan(
    conn: PoolConnection,
    task: TaskRecord,
    from: Date,
    now: Date,
    opts: { runningNow: boolean; reason: string; lateSkipped?: boolean },
  ): Promise<Written> {
    const t = task.task;
    const plan = planCatchUp({
      schedule: t.schedule,
      anchor: task.anchorAt,
      fromExclusive: from,
      now,
      policy: t.catchUp,
      runningNow: opts.runningNow,
    });
    const base = { taskId: t.id, maxAttempts: t.maxAttempts, pinnedNodeId: t.nodeId };
    await insertSkippedOccurrences(conn, base, plan.skipped, opts.reason, now);
    const rows: OccurrenceRow[] = [
      // Due now, a millisecond apart so they start oldest first, and always after their occurrence.
      ...plan.runs.map((occurrence, i) => ({ ...base, occurrence, dueAt: new Date(now.getTime() + 1 + i) })),
      ...(plan.current ? [{ ...base, occurrence: plan.current, dueAt: plan.current }] : []),
      ...(plan.next ? [{ ...base, occurrence: plan.next, dueAt: plan.next }] : []),
    ];
    const created = await insertOccurrences(conn, rows, now);
    await setSchedulePointers(conn, t.id, plan.current ?? plan.next, plan.latest, now);
    return { created, event: missedEvent(task, from, plan, opts) };
  }

  /** Pushes what a decision wrote and tells the UI; after the commit (MySQL first, then Redis). */
  async announce(written: Written): Promise<void> {
    await pushJobs(this.ctx, written.created);
    for (const e of written.created) {
      getJob(this.ctx.pool, e.id)
        .then((job) => job && this.ctx.bus.emit('job.updated', job))
        .catch(() => undefined);
    }
    if (written.event) {
      this.ctx.bus.emit('queue.changed', { reason: written.event.message });
      await this.ctx.recordEvent(written.event);
    }
  }

  /** Tells the UI about a job the claim settled without running it. */
  emitRow(row: JobRow): void {
    this.ctx.bus.emit('job.updated', jobFromRow(row));
  }

  /**
   * A run of the task ended (or a job was queued just now): if nothing of the task runs, the
   * oldest queued job is made due now. The claim re-checks under the task lock, so waking one
   * too early only re-queues it.
   */
  async wakeQueued(taskId: string, now = new Date()): Promise<void> {
    const { pool } = this.ctx;
    const [next] = await queuedJobs(pool, taskId, 1);
    if (!next || (await countRunning(pool, taskId)) > 0) return;
    if (await makeQueuedDue(pool, String(next.id), now)) {
      await pushJobs(this.ctx, [{ id: String(next.id), dueMs: now.getTime(), pinnedNodeId: next.pinned_node_id }]);
    }
  }

  /** Where catch-up starts for a task: after its latest occurrence that has a job, never before its anchor. */
  async catchUpFrom(conn: PoolConnection, task: TaskRecord): Promise<Date> {
    const last = await lastOccurrence(conn, task.task.id);
    // The anchor itself may be a run (a cron match at creation, a once "now"): start just before it.
    const beforeAnchor = task.anchorAt.getTime() - 1;
    return new Date(Math.max(last?.getTime() ?? beforeAnchor, beforeAnchor));
  }

  /**
   * Repairs one task's chain: if an enabled recurring task has no occurrence waiting to be
   * dispatched, what it missed since its last occurrence goes through its catch-up policy and its
   * next occurrence is made. Returns how many jobs it made.
   */
  async reconcileTask(taskId: string, now: Date, reason: string = REASONS.missed): Promise<number> {
    const written = await inTransaction(this.ctx.pool, async (conn) => {
      const task = await getTaskRecord(conn, taskId, { forUpdate: true });
      if (!task || !task.task.enabled || !isRecurring(task)) return NOTHING;
      if (await hasUndispatchedOccurrence(conn, taskId)) return NOTHING;
      return this.writePlan(conn, task, await this.catchUpFrom(conn, task), now, { runningNow: false, reason });
    });
    await this.announce(written);
    return written.created.length;
  }

  /** Every enabled recurring task keeps exactly one occurrence ahead: repairs those that do not. */
  async reconcileAll(now = new Date()): Promise<{ tasks: number; jobs: number }> {
    let tasks = 0;
    let jobs = 0;
    for (const id of await tasksWithoutPendingOccurrence(this.ctx.pool)) {
      try {
        jobs += await this.reconcileTask(id, now);
        tasks += 1;
      } catch (err) {
        this.ctx.log.warn(`task ${id}: schedule not re-evaluated: ${(err as Error).message}`);
      }
    }
    return { tasks, jobs };
  }
}

function missedEvent(
  task: TaskRecord,
  from: Date,
  plan: CatchUpPlan,
  opts: { runningNow: boolean; reason: string; lateSkipped?: boolean },
): Omit<NewEvent, 'nodeId'> | null {
  // The current occurrence (skip, still in its window) is not missed: it runs as usual.
  const missed = plan.missed - (plan.current ? 1 : 0) + (opts.lateSkipped ? 1 : 0);
  const latest = plan.latest ?? (opts.lateSkipped ? from : null);
  if (missed <= 0 || latest === null) return null;
  const t = task.task;
  const count = plan.more ? `${CATCH_UP_LIMIT}+` : String(missed);
  const what =
    t.catchUp === 'skip'
      ? 'recorded as skipped'
      : t.catchUp === 'once'
        ? opts.runningNow
          ? 'covered by the run starting now'
          : 'one run now'
        : `each runs now, oldest first${plan.more ? ` (only the oldest ${plan.runs.length})` : ''}`;
  return {
    level: 'warn',
    kind: 'schedule.missed',
    message: `task ${t.id} (${t.name}): ${count} occurrence(s) missed, the latest at ${latest.toISOString()}; catch-up ${t.catchUp}: ${what}`,
    data: {
      taskId: t.id,
      missed,
      more: plan.more,
      policy: t.catchUp,
      reason: opts.reason,
      from: from.toISOString(),
      latest: latest.toISOString(),
    },
  };
}
