import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2';
import type { QueueEntry } from './jobs';
import type { JobRow, TaskRow } from './rows';
import { REASONS } from '../reasons';
import { recordFromRow, type TaskRecord } from './tasks';
import { placeholders } from './db';

/**
 * The SQL behind recurring schedules, overlap and the task lifecycle (docs/scheduling.md).
 * Anything that decides on a task's jobs runs under that task's row lock (SELECT … FOR UPDATE
 * on tasks), so two nodes never decide for the same task at once.
 */

type Executor = Pool | PoolConnection;

const PENDING = "status IN ('waiting','ready')";

/** What the claim reads before its transaction: the job's few fields and its task. */
export interface ClaimInfo {
  taskId: string;
  attempt: number;
  occurrenceAt: Date | null;
  /** Null if the task row is gone (purged). */
  task: TaskRecord | null;
}

const CLAIM_INFO_SQL = `SELECT t.*, j.id AS job_id, j.task_id AS job_task_id, j.attempt AS job_attempt,
  j.occurrence_at AS job_occurrence_at FROM jobs j LEFT JOIN tasks t ON t.id = j.task_id`;

function claimInfoFromRow(r: TaskRow): ClaimInfo {
  return {
    taskId: String(r.job_task_id),
    attempt: Number(r.job_attempt),
    occurrenceAt: (r.job_occurrence_at as Date | null) ?? null,
    task: r.id === null ? null : recordFromRow(r),
  };
}

/** What the claims of a batch of taken ids need to know of each, in one statement; an id without a row is absent from the map. */
export async function claimInfos(db: Executor, jobIds: readonly string[]): Promise<Map<string, ClaimInfo>> {
  const [rows] = await db.execute<TaskRow[]>(`${CLAIM_INFO_SQL} WHERE j.id IN (${placeholders(jobIds.length)})`, [
    ...jobIds,
  ]);
  return new Map(rows.map((r) => [String(r.job_id), claimInfoFromRow(r)]));
}

export async function lockJobRow(conn: PoolConnection, jobId: string): Promise<JobRow | null> {
  const [rows] = await conn.execute<JobRow[]>('SELECT * FROM jobs WHERE id=? FOR UPDATE', [jobId]);
  return rows[0] ?? null;
}

export async function countRunning(db: Executor, taskId: string): Promise<number> {
  const [rows] = await db.execute<RowDataPacket[]>(
    "SELECT COUNT(*) AS n FROM jobs WHERE task_id=? AND status='running'",
    [taskId],
  );
  return Number(rows[0]?.n ?? 0);
}

/** The queued jobs of a task, oldest first (they start in this order). */
export async function queuedJobs(db: Executor, taskId: string, limit: number): Promise<JobRow[]> {
  const [rows] = await db.query<JobRow[]>(
    `SELECT * FROM jobs WHERE task_id=? AND ${PENDING} AND attempt=0 AND error=? ORDER BY scheduled_for, id LIMIT ?`,
    [taskId, REASONS.queued, limit],
  );
  return rows;
}

/**
 * True if an older job of the task must start before this one: a queued job, or a catch-up run
 * not yet dispatched (due after its occurrence, see ScheduleKeeper). Queued jobs and catch-up
 * runs start oldest first, whichever node claims which first.
 */
export async function hasQueuedAhead(db: Executor, row: JobRow): Promise<boolean> {
  const [rows] = await db.execute<RowDataPacket[]>(
    `SELECT 1 FROM jobs WHERE task_id=? AND ${PENDING} AND attempt=0 AND id<>?
       AND (error=? OR (error IS NULL AND occurrence_at IS NOT NULL AND due_at > occurrence_at))
       AND (scheduled_for < ? OR (scheduled_for = ? AND id < ?)) LIMIT 1`,
    [row.task_id, row.id, REASONS.queued, row.scheduled_for, row.scheduled_for, row.id],
  );
  return rows.length > 0;
}

/** True if a job of the task waits for an occurrence later than `occurrence`: the chain goes on from there. */
export async function hasLaterPendingOccurrence(db: Executor, taskId: string, occurrence: Date): Promise<boolean> {
  const [rows] = await db.execute<RowDataPacket[]>(
    `SELECT 1 FROM jobs WHERE task_id=? AND occurrence_at > ? AND ${PENDING} LIMIT 1`,
    [taskId, occurrence],
  );
  return rows.length > 0;
}

/** The latest occurrence that has a job (pending, done or skipped): catch-up starts after it. */
export async function lastOccurrence(db: Executor, taskId: string): Promise<Date | null> {
  const [rows] = await db.execute<RowDataPacket[]>('SELECT MAX(occurrence_at) AS at FROM jobs WHERE task_id=?', [
    taskId,
  ]);
  return (rows[0]?.at as Date | null | undefined) ?? null;
}

/** A schedule-made job that was never dispatched (not started, not queued): its task's chain goes on from it. */
const UNDISPATCHED =
  "j.status IN ('waiting','ready') AND j.occurrence_at IS NOT NULL AND j.attempt=0 AND (j.error IS NULL OR j.error<>?)";

/** True if an occurrence of the task waits to be dispatched (its dispatch makes the next one). */
export async function hasUndispatchedOccurrence(db: Executor, taskId: string): Promise<boolean> {
  const [rows] = await db.execute<RowDataPacket[]>(
    `SELECT 1 FROM jobs j WHERE j.task_id=? AND ${UNDISPATCHED} LIMIT 1`,
    [taskId, REASONS.queued],
  );
  return rows.length > 0;
}

/** Enabled recurring tasks with no occurrence waiting to be dispatched: their chain needs repair. */
export async function tasksWithoutPendingOccurrence(db: Executor): Promise<string[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT t.id FROM tasks t
     WHERE t.deleted_at IS NULL AND t.enabled=1 AND t.schedule_type IN ('interval','cron')
       AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.task_id=t.id AND ${UNDISPATCHED})
     ORDER BY t.id`,
    [REASONS.queued],
  );
  return rows.map((r) => String(r.id));
}

export async function markSkipped(conn: PoolConnection, jobId: string, now: Date, reason: string): Promise<void> {
  await conn.execute(
    `UPDATE jobs SET status='skipped', finished_at=?, error=?, updated_at=? WHERE id=? AND ${PENDING}`,
    [now, reason, now, jobId],
  );
}

/** Puts a job back to wait behind the running one; `recheckAt` is only a net for a lost wake-up. */
export async function markQueued(conn: PoolConnection, jobId: string, recheckAt: Date, now: Date): Promise<void> {
  await conn.execute(`UPDATE jobs SET status='waiting', due_at=?, error=?, updated_at=? WHERE id=? AND ${PENDING}`, [
    recheckAt,
    REASONS.queued,
    now,
    jobId,
  ]);
}

export async function clearQueuedMark(conn: PoolConnection, jobId: string): Promise<void> {
  await conn.execute('UPDATE jobs SET error=NULL WHERE id=? AND attempt=0 AND error=?', [jobId, REASONS.queued]);
}

/** Makes a queued job due now (its turn came); false if it is no longer queued or already due. */
export async function makeQueuedDue(db: Executor, jobId: string, now: Date): Promise<boolean> {
  const [res] = await db.execute<ResultSetHeader>(
    `UPDATE jobs SET due_at=?, updated_at=? WHERE id=? AND ${PENDING} AND attempt=0 AND error=? AND due_at > ?`,
    [now, now, jobId, REASONS.queued, now],
  );
  return res.affectedRows === 1;
}

/**
 * Cancels a task's pending jobs (all, or only schedule-made ones). An occurrence that never
 * started gives up its (task, occurrence) slot — occurrence_at becomes NULL, scheduled_for keeps
 * the time for history — so that resuming or rescheduling may make that occurrence again.
 */
export async function cancelPendingJobs(
  conn: PoolConnection,
  taskId: string,
  now: Date,
  reason: string,
  opts: { occurrencesOnly?: boolean } = {},
): Promise<QueueEntry[]> {
  const [rows] = await conn.execute<RowDataPacket[]>(
    `SELECT id, due_at, pinned_node_id FROM jobs
     WHERE task_id=? AND ${PENDING}${opts.occurrencesOnly ? ' AND occurrence_at IS NOT NULL' : ''} FOR UPDATE`,
    [taskId],
  );
  const entries = rows.map((r) => ({
    id: String(r.id),
    dueMs: (r.due_at as Date).getTime(),
    pinnedNodeId: (r.pinned_node_id as string | null) ?? null,
  }));
  if (entries.length > 0) {
    await conn.query(
      `UPDATE jobs SET status='cancelled', finished_at=?, error=?, updated_at=?, occurrence_at=IF(attempt=0, NULL, occurrence_at)
       WHERE id IN (?) AND ${PENDING}`,
      [now, reason, now, entries.map((e) => e.id)],
    );
  }
  return entries;
}

/** Cancels one job the claim found it must not run (its task is paused or deleted). */
export async function cancelClaimed(conn: PoolConnection, jobId: string, now: Date, reason: string): Promise<void> {
  await conn.execute(
    `UPDATE jobs SET status='cancelled', finished_at=?, error=?, updated_at=?, occurrence_at=IF(attempt=0, NULL, occurrence_at)
     WHERE id=? AND ${PENDING}`,
    [now, reason, now, jobId],
  );
}

export interface OccurrenceRow {
  taskId: string;
  maxAttempts: number;
  occurrence: Date;
  dueAt: Date;
  pinnedNodeId: string | null;
}

/**
 * Inserts waiting occurrences; one that exists already (another node made it) is left alone.
 * Returns the queue entries of the rows this call created.
 */
export async function insertOccurrences(conn: PoolConnection, rows: OccurrenceRow[], now: Date): Promise<QueueEntry[]> {
  const out: QueueEntry[] = [];
  // One statement per row: INSERT IGNORE's insertId is only reliable for a single row.
  for (const r of rows) {
    const [res] = await conn.execute<ResultSetHeader>(
      `INSERT IGNORE INTO jobs
       (task_id, status, attempt, max_attempts, scheduled_for, occurrence_at, due_at, pinned_node_id, created_at, updated_at)
       VALUES (?, 'waiting', 0, ?, ?, ?, ?, ?, ?, ?)`,
      [r.taskId, r.maxAttempts, r.occurrence, r.occurrence, r.dueAt, r.pinnedNodeId, now, now],
    );
    if (res.affectedRows === 1)
      out.push({ id: String(res.insertId), dueMs: r.dueAt.getTime(), pinnedNodeId: r.pinnedNodeId });
  }
  return out;
}

/** Records missed occurrences as skipped jobs in one statement; existing ones are left alone. Returns how many were new. */
export async function insertSkippedOccurrences(
  conn: PoolConnection,
  task: { taskId: string; maxAttempts: number; pinnedNodeId: string | null },
  occurrences: Date[],
  reason: string,
  now: Date,
): Promise<number> {
  if (occurrences.length === 0) return 0;
  const [res] = await conn.query<ResultSetHeader>(
    `INSERT IGNORE INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, occurrence_at, due_at, pinned_node_id, error,
       finished_at, created_at, updated_at) VALUES ?`,
    [
      occurrences.map((at) => [
        task.taskId,
        'skipped',
        0,
        task.maxAttempts,
        at,
        at,
        at,
        task.pinnedNodeId,
        reason,
        now,
        now,
        now,
      ]),
    ],
  );
  return res.affectedRows;
}

/** The task's `nextRunAt` for the API, and the latest occurrence handled (informational). */
export async function setSchedulePointers(
  conn: Executor,
  taskId: string,
  nextRunAt: Date | null,
  latest: Date | null,
  now: Date,
): Promise<void> {
  await conn.execute(
    `UPDATE tasks SET next_run_at=?, updated_at=?,
       last_occurrence_at = CASE WHEN ? IS NULL THEN last_occurrence_at
                                 WHEN last_occurrence_at IS NULL OR last_occurrence_at < ? THEN ? ELSE last_occurrence_at END
     WHERE id=?`,
    [nextRunAt, now, latest, latest, latest, taskId],
  );
}

/**
 * A task's pending jobs take a changed maxAttempts (the rest of a job's policy is read from the
 * task when it runs). A retry already waiting keeps its one pending attempt.
 */
export async function setPendingMaxAttempts(conn: PoolConnection, taskId: string, maxAttempts: number): Promise<void> {
  await conn.execute(`UPDATE jobs SET max_attempts=GREATEST(?, attempt + 1) WHERE task_id=? AND ${PENDING}`, [
    maxAttempts,
    taskId,
  ]);
}
