import type { PoolConnection } from 'mysql2/promise';
import type { PartContext } from '../context';
import {
  NOTHING_WRITTEN,
  publishWritten,
  writeOccurrencePlan,
  type PublishWrittenContext,
  type Written,
} from '../intake/occurrence-plan';
import { captureEnvironment } from '../execution/attempt-capture';
import { REASONS } from '../reasons';
import { recordBatch } from '../batch-stats';
import { inTransaction } from '../store/db';
import { claimBatch, claimInTransaction, type ClaimedJob } from '../store/jobs';
import {
  cancelClaimed,
  claimInfos,
  type ClaimInfo,
  clearQueuedMark,
  countRunning,
  hasLaterPendingOccurrence,
  hasQueuedAhead,
  lockJobRow,
  markQueued,
  markSkipped,
  queuedJobs,
} from '../store/occurrences';
import type { JobRow } from '../store/rows';
import { getTaskRecord, type TaskRecord } from '../store/tasks';
import {
  asksForOlderQueued,
  claimable,
  claimVerdict,
  isQueuedRun,
  makesNextOccurrence,
  needsOverlapCounts,
  needsTaskLock,
  NO_OVERLAP,
  stopReason,
  type OverlapCounts,
} from './claim-verdict';

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

export type ClaimContext = PublishWrittenContext &
  PartContext<'pool' | 'pipelinePool' | 'nodeId', 'leaseMs' | 'nodeName'>;

interface Decided {
  outcome: ClaimOutcome;
  written: Written;
}

const NONE: Decided = { outcome: { kind: 'none' }, written: NOTHING_WRITTEN };

/**
 * Claims a batch of taken ids (a node with k workers free takes up to k at once, often one): the
 * compare-and-set of invariant 3 (`UPDATE … WHERE status IN ('waiting','ready')`, zero rows:
 * someone else has it), plus the task's policies. The ids the plain compare-and-set decides
 * (retries, manual runs nothing limits, which is what a busy queue mostly holds) are claimed
 * together in one transaction of two round trips (claimBatch). An id whose verdict needs its
 * task's lock (overlap, the next occurrence) or that must be cancelled gets its own transaction:
 * the task's row is locked first, so two nodes never decide for one task at once, and what the
 * decision wrote is pushed and announced after the commit. Every id gets its own outcome ('none'
 * for one that lost), so a claim that fails fails only the ids it covered.
 */
export async function claimJobs(
  ctx: ClaimContext,
  ids: readonly string[],
  token: string,
  now = new Date(),
): Promise<Map<string, Promise<ClaimOutcome>>> {
  const outcomes = new Map<string, Promise<ClaimOutcome>>();
  recordBatch('claim', ids.length);
  const infos = await claimInfos(ctx.pool, ids);
  const plain: string[] = [];
  for (const id of ids) {
    const info = infos.get(id);
    if (!info) {
      outcomes.set(id, Promise.resolve({ kind: 'none' }));
      continue;
    }
    // Side by side, as separate takes would be: each locks only its own task's row.
    if (locksTask(info)) {
      outcomes.set(id, claimLocked(ctx, id, token, info, now));
      continue;
    }
    const stop = stopReason(info.task?.task ?? null, info.occurrenceAt);
    if (stop) outcomes.set(id, cancelStopped(ctx, id, stop, now));
    else plain.push(id);
  }
  if (plain.length > 0) {
    const won = claimBatch(ctx.pipelinePool, {
      ids: plain,
      nodeId: ctx.nodeId,
      token,
      leaseMs: ctx.config.leaseMs,
      now,
      environment: environmentOf(ctx, (id) => infos.get(id)?.task ?? null),
    });
    for (const id of plain) {
      outcomes.set(
        id,
        won.then((claims): ClaimOutcome => {
          const claim = claims.get(id);
          return claim ? { kind: 'run', claim, task: infos.get(id)?.task ?? null } : { kind: 'none' };
        }),
      );
    }
  }
  return outcomes;
}

/** Whether the claim of this job must lock its task's row (claim-verdict.ts, needsTaskLock). */
function locksTask(info: ClaimInfo): boolean {
  return info.task !== null && needsTaskLock(info.attempt, info.occurrenceAt, info.task.task);
}

/**
 * A retry or a manual run that its task stops (deleted, or paused for a scheduled run), in a
 * transaction of its own. The task as read just before is good enough: a pause or delete that
 * lands meanwhile is as if this claim had come a moment earlier.
 */
async function cancelStopped(ctx: ClaimContext, id: string, stop: string, now: Date): Promise<ClaimOutcome> {
  const { outcome } = await inTransaction(ctx.pool, async (conn): Promise<Decided> => {
    const row = await lockJobRow(conn, id);
    return row && claimable(row, now, ctx.nodeId) ? cancel(conn, row, now, stop) : NONE;
  });
  return outcome;
}

/** A job whose verdict depends on its task's other jobs, or writes them (the next occurrence). */
async function claimLocked(
  ctx: ClaimContext,
  id: string,
  token: string,
  info: ClaimInfo,
  now: Date,
): Promise<ClaimOutcome> {
  const { outcome, written } = await inTransaction(ctx.pool, async (conn): Promise<Decided> => {
    // Lock order everywhere: the task row, then its jobs. The task read comes first, so the
    // plain reads below see every claim that committed before this one got the lock.
    const task = await getTaskRecord(conn, info.taskId, { includeDeleted: true, forUpdate: true });
    const row = await lockJobRow(conn, id);
    return decide(ctx, conn, task, row, token, now);
  });
  await publishWritten(ctx, written);
  return outcome;
}

/**
 * The attempt's environment as stored JSON, captured in the statement that writes the attempt
 * row: "run now" and a scheduled run both start through the claim, so both record the same
 * fields, and no extra round trip.
 */
function environmentOf(
  ctx: ClaimContext,
  taskOf: (id: string) => TaskRecord | null,
): (id: string, attempt: number) => string | null {
  const node = { id: ctx.nodeId, name: ctx.config.nodeName };
  return (id, attempt) => {
    const captured = captureEnvironment(taskOf(id), id, attempt, node);
    return captured ? JSON.stringify(captured) : null;
  };
}

/** Reads what the overlap rule needs of the task's other jobs (under the task's row lock). */
async function readOverlapCounts(conn: PoolConnection, row: JobRow): Promise<OverlapCounts> {
  const taskId = String(row.task_id);
  const running = await countRunning(conn, taskId);
  const ahead = asksForOlderQueued(row)
    ? await hasQueuedAhead(conn, row)
    : (await queuedJobs(conn, taskId, 1)).length > 0;
  return { running, ahead };
}

async function decide(
  ctx: ClaimContext,
  conn: PoolConnection,
  task: TaskRecord | null,
  row: JobRow | null,
  token: string,
  now: Date,
): Promise<Decided> {
  const counts = row && task && needsOverlapCounts(row, task, now) ? await readOverlapCounts(conn, row) : NO_OVERLAP;
  const verdict = claimVerdict(row, task, counts, now, ctx.nodeId);
  if (verdict.kind === 'none' || !row) return NONE;
  if (verdict.kind === 'cancel') return cancel(conn, row, now, verdict.reason);

  // The next occurrence is made when this one is dispatched (whatever the verdict), unless a
  // later one already waits (catch-up runs, or a duplicate of this decision on another node).
  let written = NOTHING_WRITTEN;
  if (makesNextOccurrence(row, task) && !(await hasLaterPendingOccurrence(conn, task.task.id, row.occurrence_at!))) {
    written = await writeOccurrencePlan(conn, task, row.occurrence_at!, now, {
      runningNow: true,
      reason: REASONS.missed,
      lateSkipped: verdict.kind === 'skip' && verdict.reason === REASONS.missed,
    });
  }

  const id = String(row.id);
  if (verdict.kind === 'skip') {
    await markSkipped(conn, id, now, verdict.reason);
    const skipped = { ...row, status: 'skipped', error: verdict.reason, finished_at: now } as JobRow;
    return { outcome: { kind: 'skipped', row: skipped }, written };
  }
  if (verdict.kind === 'queue') {
    const recheckAt = new Date(now.getTime() + QUEUE_RECHECK_MS);
    await markQueued(conn, id, recheckAt, now);
    const queued = { ...row, status: 'waiting', error: REASONS.queued, due_at: recheckAt } as JobRow;
    return { outcome: { kind: 'queued', row: queued, recheckAt }, written };
  }
  if (isQueuedRun(row)) await clearQueuedMark(conn, id);
  return start(ctx, conn, id, token, task, now, written);
}

/** The compare-and-set itself; zero rows changed means someone else has the job. */
async function start(
  ctx: ClaimContext,
  conn: PoolConnection,
  id: string,
  token: string,
  task: TaskRecord | null,
  now: Date,
  written: Written,
): Promise<Decided> {
  const environment = environmentOf(ctx, () => task);
  const claim = await claimInTransaction(conn, {
    id,
    nodeId: ctx.nodeId,
    token,
    leaseMs: ctx.config.leaseMs,
    now,
    environment: (attempt) => environment(id, attempt),
  });
  return { outcome: claim ? { kind: 'run', claim, task } : { kind: 'none' }, written };
}

async function cancel(conn: PoolConnection, row: JobRow, now: Date, reason: string): Promise<Decided> {
  await cancelClaimed(conn, String(row.id), now, reason);
  const cancelled = { ...row, status: 'cancelled', error: reason, finished_at: now } as JobRow;
  return { outcome: { kind: 'cancelled', row: cancelled }, written: NOTHING_WRITTEN };
}
