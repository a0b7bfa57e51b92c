import type { RowDataPacket } from 'mysql2';
import type { PoolConnection } from 'mysql2/promise';
import { TERMINAL_STATUSES } from '../../../shared/schemas';
import type { RetentionCounts } from '../../../shared/types';
import { withDeadlockRetry } from '../store/db';
import { deleteInBatches, type Pacer } from './pacing';
import { addCounts, NO_COUNTS } from './policy';

/** A job a retry made that has not finished: the job it was retried from stays while it lives. */
const LIVE_STATUSES = ['waiting', 'ready', 'running'];

/**
 * Deletes those of `ids` that may still go, with their attempts and logs, in one transaction:
 * the rows are locked (FOR UPDATE) and checked again under the lock, so a job that is the newest
 * of its task, or whose retry is waiting, ready or running, stays whatever happened since it was
 * picked. A retry linking to a locked job waits for the commit, then finds no row.
 * Only finished jobs are picked, and those are in no Redis queue (invariant 1: Redis holds the
 * ids of waiting, ready and running jobs); a stray duplicate id would be dropped by the claim,
 * which finds no row.
 */
export async function deleteJobs(conn: PoolConnection, ids: string[], batchSize: number): Promise<RetentionCounts> {
  if (ids.length === 0) return NO_COUNTS;
  return withDeadlockRetry(async () => {
    await conn.beginTransaction();
    try {
      const counts = await deleteLocked(conn, ids, batchSize);
      await conn.commit();
      return counts;
    } catch (err) {
      await conn.rollback().catch(() => undefined);
      throw err;
    }
  });
}

async function deleteLocked(conn: PoolConnection, ids: string[], batchSize: number): Promise<RetentionCounts> {
  const [rows] = await conn.query<RowDataPacket[]>(
    'SELECT id, task_id, retried_as FROM jobs WHERE id IN (?) AND status IN (?) FOR UPDATE',
    [ids, TERMINAL_STATUSES],
  );
  if (rows.length === 0) return NO_COUNTS;
  const keep = new Set<string>();
  const taskIds = [...new Set(rows.map((r) => String(r.task_id)))];
  // The newest job of each task stays, whatever its age: it is what the task shows as its last run.
  const [newest] = await conn.query<RowDataPacket[]>(
    'SELECT MAX(id) AS id FROM jobs WHERE task_id IN (?) GROUP BY task_id',
    [taskIds],
  );
  for (const r of newest) keep.add(String(r.id));
  const retries = [...new Set(rows.filter((r) => r.retried_as !== null).map((r) => String(r.retried_as)))];
  if (retries.length > 0) {
    const [live] = await conn.query<RowDataPacket[]>('SELECT id FROM jobs WHERE id IN (?) AND status IN (?)', [
      retries,
      LIVE_STATUSES,
    ]);
    const liveIds = new Set(live.map((r) => String(r.id)));
    for (const r of rows) if (r.retried_as !== null && liveIds.has(String(r.retried_as))) keep.add(String(r.id));
  }
  const doomed = rows.map((r) => String(r.id)).filter((id) => !keep.has(id));
  if (doomed.length === 0) return NO_COUNTS;
  // Children first: the logs and attempts are only reachable through their job.
  const logChunks = await deleteInBatches(conn, 'DELETE FROM job_logs WHERE job_id IN (?)', [doomed], batchSize);
  const attempts = await deleteInBatches(conn, 'DELETE FROM attempts WHERE job_id IN (?)', [doomed], batchSize);
  const jobs = await deleteInBatches(conn, 'DELETE FROM jobs WHERE id IN (?)', [doomed], batchSize);
  return { jobs, attempts, logChunks, events: 0 };
}

/**
 * Prunes finished jobs that finished before `before`, oldest first: per finished status, a keyset
 * walk of idx_jobs_status_finished (status, finished_at, and the id InnoDB appends), one batch
 * at a time. What a batch deletes is gone from the next read, so the cursor only steps over the
 * few jobs kept (a task's newest, a job whose retry lives).
 */
export async function pruneOldJobs(conn: PoolConnection, before: Date, pacer: Pacer): Promise<RetentionCounts> {
  let counts = NO_COUNTS;
  for (const status of TERMINAL_STATUSES) {
    let after: { finishedAt: Date; id: string } | null = null;
    while (!pacer.stopped()) {
      const [rows]: [RowDataPacket[], unknown] = await conn.query<RowDataPacket[]>(
        `SELECT id, finished_at FROM jobs FORCE INDEX (idx_jobs_status_finished)
         WHERE status = ? AND finished_at < ?${after ? ' AND (finished_at > ? OR (finished_at = ? AND id > ?))' : ''}
         ORDER BY finished_at, id LIMIT ?`,
        after
          ? [status, before, after.finishedAt, after.finishedAt, after.id, pacer.batchSize]
          : [status, before, pacer.batchSize],
      );
      if (rows.length === 0) break;
      counts = addCounts(
        counts,
        await deleteJobs(
          conn,
          rows.map((r) => String(r.id)),
          pacer.batchSize,
        ),
      );
      const last: RowDataPacket = rows[rows.length - 1]!;
      after = { finishedAt: last.finished_at as Date, id: String(last.id) };
      if (rows.length < pacer.batchSize) break;
      await pacer.pause();
    }
  }
  return counts;
}

/**
 * Prunes, in every task past `maxPerTask` jobs, the finished ones older than its newest
 * `maxPerTask` (pending and running ones are never pruned, so a task may stay above the cap
 * while they last). Tasks are walked by id; each task's jobs by idx_jobs_task_id.
 */
export async function pruneOverCap(conn: PoolConnection, maxPerTask: number, pacer: Pacer): Promise<RetentionCounts> {
  let counts = NO_COUNTS;
  let afterTask = '0';
  while (!pacer.stopped()) {
    const [tasks] = await conn.query<RowDataPacket[]>('SELECT id FROM tasks WHERE id > ? ORDER BY id LIMIT ?', [
      afterTask,
      pacer.batchSize,
    ]);
    if (tasks.length === 0) break;
    for (const t of tasks) {
      if (pacer.stopped()) break;
      counts = addCounts(counts, await pruneTaskOverCap(conn, String(t.id), maxPerTask, pacer));
    }
    afterTask = String(tasks[tasks.length - 1]!.id);
  }
  return counts;
}

async function pruneTaskOverCap(
  conn: PoolConnection,
  taskId: string,
  maxPerTask: number,
  pacer: Pacer,
): Promise<RetentionCounts> {
  // The oldest job that is kept by the cap: the maxPerTask-th newest (an index-only read).
  const [edge] = await conn.query<RowDataPacket[]>(
    'SELECT id FROM jobs WHERE task_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?',
    [taskId, maxPerTask - 1],
  );
  if (edge.length === 0) return NO_COUNTS;
  const keptFrom = String(edge[0]!.id);
  let counts = NO_COUNTS;
  let after = '0';
  while (!pacer.stopped()) {
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT id FROM jobs FORCE INDEX (idx_jobs_task_id)
       WHERE task_id = ? AND id > ? AND id < ? AND status IN (?) ORDER BY id LIMIT ?`,
      [taskId, after, keptFrom, TERMINAL_STATUSES, pacer.batchSize],
    );
    if (rows.length === 0) break;
    counts = addCounts(
      counts,
      await deleteJobs(
        conn,
        rows.map((r) => String(r.id)),
        pacer.batchSize,
      ),
    );
    after = String(rows[rows.length - 1]!.id);
    if (rows.length < pacer.batchSize) break;
    await pacer.pause();
  }
  return counts;
}
