import type { PoolConnection } from 'mysql2/promise';
import type { PartContext } from '../context';
import { announceJob } from '../events/job-updated';
import { CATCH_UP_LIMIT, planCatchUp, type CatchUpPlan } from '../schedule';
import type { NewEvent } from '../store/events';
import type { QueueEntry } from '../store/jobs';
import {
  insertOccurrences,
  insertSkippedOccurrences,
  lastOccurrence,
  setSchedulePointers,
  type OccurrenceRow,
} from '../store/occurrences';
import type { TaskRecord } from '../store/tasks';
import { pushJobs, type PushContext } from './push-jobs';

/**
 * The occurrences of a recurring task, as jobs: what a plan writes inside a transaction, and what
 * is pushed and announced once it committed (MySQL first, then Redis). The claim writes the next
 * occurrence when it dispatches one; a resume, a target change, a cancel and the schedule repair
 * write what was missed under the catch-up policy (docs/scheduling.md).
 */

/** Rows a plan wrote, to push and announce once its transaction committed. */
export interface Written {
  created: QueueEntry[];
  event: Omit<NewEvent, 'nodeId'> | null;
}

export const NOTHING_WRITTEN: Written = { created: [], event: null };

export interface PlanOptions {
  /** An occurrence is being dispatched now: catch-up `once` is covered by it. */
  runningNow: boolean;
  /** The reason written on occurrences the plan records as skipped. */
  reason: string;
  /** The occurrence being dispatched was itself skipped as late (catch-up `skip`): it counts as missed. */
  lateSkipped?: boolean;
}

/**
 * Writes the catch-up plan for the occurrences after `from` and the next one after now, under
 * the task's row lock. Every row is INSERT IGNORE on (task, occurrence), so a plan written
 * twice (two nodes) makes each occurrence once.
 */
export async function writeOccurrencePlan(
  conn: PoolConnection,
  task: TaskRecord,
  from: Date,
  now: Date,
  opts: PlanOptions,
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

/** Where catch-up starts for a task: after its latest occurrence that has a job, never before its anchor. */
export async function catchUpFrom(conn: PoolConnection, task: TaskRecord): Promise<Date> {
  const last = await lastOccurrence(conn, task.task.id);
  // The anchor itself may be a run (a cron match at creation, a once "now"): start just before it.
  const beforeAnchor = task.anchorAt.getTime() - 1;
  return new Date(Math.max(last?.getTime() ?? beforeAnchor, beforeAnchor));
}

export type PublishWrittenContext = PushContext & PartContext<'bus' | 'pool' | 'recordEvent'>;

/** Pushes what a plan wrote and tells the UI; call after the commit (MySQL first, then Redis). */
export async function publishWritten(ctx: PublishWrittenContext, written: Written): Promise<void> {
  await pushJobs(ctx, written.created);
  for (const e of written.created) void announceJob(ctx, e.id);
  if (written.event) {
    ctx.bus.emit('queue.changed', { reason: written.event.message });
    await ctx.recordEvent(written.event);
  }
}

/** The `schedule.missed` system event for what a plan found missed, or null if nothing was. */
function missedEvent(
  task: TaskRecord,
  from: Date,
  plan: CatchUpPlan,
  opts: PlanOptions,
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
    message:
      `task ${t.id} (${t.name}): ${count} occurrence(s) missed, the latest at ${latest.toISOString()}; ` +
      `catch-up ${t.catchUp}: ${what}`,
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
