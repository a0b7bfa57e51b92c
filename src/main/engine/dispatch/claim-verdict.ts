import { REASONS } from '../reasons';
import { windowEnd } from '../schedule';
import type { JobRow } from '../store/rows';
import type { TaskRecord } from '../store/tasks';

/**
 * What the claim (invariant 3) does with a taken id, as a pure function of the job's row, its
 * task and the counts read under the task's lock: no MySQL here, so every rule of
 * docs/scheduling.md is unit-tested on its own (tests/unit/claim-verdict.test.ts).
 *
 * - none:   not claimable by this node now (it runs elsewhere, finished, was cancelled, is not
 *           due yet, or is pinned to another node); the dispatcher puts the id back or drops it.
 * - cancel: the task was deleted, or a paused task's occurrence came due.
 * - skip:   overlap (the previous run goes on) or a missed window (catch-up `skip`).
 * - queue:  overlap `queue`, or a catch-up run behind another: the job waits its turn.
 * - run:    the compare-and-set may start it.
 */
export type ClaimVerdict =
  | { kind: 'none' }
  | { kind: 'cancel'; reason: string }
  | { kind: 'skip'; reason: string }
  | { kind: 'queue' }
  | { kind: 'run' };

/** What the overlap rule reads about the task's other jobs, under its row lock. */
export interface OverlapCounts {
  /** Jobs of the task running now. */
  running: number;
  /** Whether a queued run waits ahead of this one (for a queued or catch-up run: an older one). */
  ahead: boolean;
}

export const NO_OVERLAP: OverlapCounts = { running: 0, ahead: false };

type TaskPolicy = Pick<TaskRecord['task'], 'overlap'>;

/**
 * Overlap limits every first attempt of a task's runs: its schedule's occurrences and its manual
 * runs alike, paused or not (a paused task's schedule makes nothing, but "Run now" still must not
 * pile runs on each other). Callers that want a batch of parallel runs ask for `overlap: 'allow'`.
 */
export function overlapApplies(task: TaskPolicy): boolean {
  return task.overlap !== 'allow';
}

/**
 * Whether the claim must lock the task's row: when the decision reads the task's other jobs
 * (overlap) or writes them (the next occurrence). Retries, and manual runs that no overlap policy
 * limits, need no lock, so a task with thousands of manual runs does not serialise on one row.
 */
export function needsTaskLock(attempt: number, occurrenceAt: Date | null, task: TaskPolicy): boolean {
  return attempt === 0 && (occurrenceAt !== null || overlapApplies(task));
}

/** Why no job of this task may start at all, or null: it was deleted, or it is paused (occurrences only). */
export function stopReason(task: TaskRecord['task'] | null, occurrenceAt: Date | null): string | null {
  if (task?.deletedAt) return REASONS.deleted;
  // A paused task's schedule makes no runs (retries included); a manual run of it still runs.
  if (task && !task.enabled && occurrenceAt !== null) return REASONS.paused;
  return null;
}

export function claimable(row: JobRow, now: Date, nodeId: string): boolean {
  return (
    (row.status === 'waiting' || row.status === 'ready') &&
    row.due_at.getTime() <= now.getTime() &&
    (row.pinned_node_id === null || row.pinned_node_id === nodeId)
  );
}

/** A job that waits for the previous run of its task (overlap `queue`) and has its turn again. */
export function isQueuedRun(row: JobRow): boolean {
  return row.attempt === 0 && row.error === REASONS.queued;
}

/** The first dispatch of a job; a retry, or a queued run's next look, obeys no schedule policy again. */
export function isFreshRun(row: JobRow): boolean {
  return row.attempt === 0 && !isQueuedRun(row);
}

/**
 * A catch-up run is made due after its occurrence (ordinary occurrences are due at it): that is
 * how the claim tells them apart without another column.
 */
export function isCatchUpRun(row: JobRow): boolean {
  return row.occurrence_at !== null && row.due_at.getTime() > row.occurrence_at.getTime();
}

/** An occurrence that came too late to run under catch-up `skip` (past its window). */
export function missedItsWindow(row: JobRow, task: TaskRecord | null, now: Date): boolean {
  if (!task || !isFreshRun(row) || !row.occurrence_at || isCatchUpRun(row) || task.task.catchUp !== 'skip')
    return false;
  return now.getTime() > windowEnd(task.task.schedule, row.occurrence_at, task.anchorAt).getTime();
}

/** Whether the verdict depends on the task's other jobs, so the claim must read OverlapCounts. */
export function needsOverlapCounts(row: JobRow, task: TaskRecord | null, now: Date): boolean {
  return task !== null && row.attempt === 0 && overlapApplies(task.task) && !missedItsWindow(row, task, now);
}

/** Which "ahead" the overlap rule asks: a queued or catch-up run keeps its place behind older ones only. */
export function asksForOlderQueued(row: JobRow): boolean {
  return isQueuedRun(row) || (isFreshRun(row) && isCatchUpRun(row));
}

/**
 * Whether dispatching this job makes its task's next occurrence (whatever the verdict), unless a
 * later one already waits, which the claim checks.
 */
export function makesNextOccurrence(row: JobRow, task: TaskRecord | null): task is TaskRecord {
  return task !== null && isFreshRun(row) && row.occurrence_at !== null && task.task.enabled;
}

/** The verdict on a job row locked inside the claim's transaction. */
export function claimVerdict(
  row: JobRow | null,
  task: TaskRecord | null,
  counts: OverlapCounts,
  now: Date,
  nodeId: string,
): ClaimVerdict {
  if (!row || !claimable(row, now, nodeId)) return { kind: 'none' };
  const stop = stopReason(task?.task ?? null, row.occurrence_at);
  if (stop) return { kind: 'cancel', reason: stop };
  if (missedItsWindow(row, task, now)) return { kind: 'skip', reason: REASONS.missed };
  if (!task || row.attempt !== 0 || !overlapApplies(task.task)) return { kind: 'run' };
  if (counts.running === 0 && !counts.ahead) return { kind: 'run' };
  // A queued job keeps its place; catch-up runs always queue: they were asked for, each one.
  if (asksForOlderQueued(row)) return { kind: 'queue' };
  if (task.task.overlap === 'queue' && !counts.ahead) return { kind: 'queue' };
  const reason =
    counts.running === 0
      ? REASONS.overlapQueued
      : task.task.overlap === 'queue'
        ? REASONS.overlapFull
        : REASONS.overlap;
  return { kind: 'skip', reason };
}
