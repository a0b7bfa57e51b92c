import type { RowDataPacket } from 'mysql2';
import type { PoolConnection } from 'mysql2/promise';
import { getMeta, setMeta } from '../store/meta';
import { deleteInBatches, type Pacer } from './pacing';

/** meta key: the logs of succeeded jobs that finished before this instant are gone (ISO 8601). */
export const SUCCEEDED_LOGS_MARK = 'retention.succeeded_logs_before';
/**
 * A run starts this far before the last mark: a job journaled while MySQL was away may be
 * written with a finish time older than the mark, and clocks of nodes differ a little.
 */
const MARK_OVERLAP_MS = 86_400_000;

/**
 * Deletes the logs of succeeded jobs that finished before `before`; the job rows and their
 * attempts stay. A keyset walk of idx_jobs_status_finished from the mark the last run left (in
 * meta), so an hourly run reads only the jobs that came of age since, not every old job again.
 */
export async function pruneSucceededLogs(conn: PoolConnection, before: Date, pacer: Pacer): Promise<number> {
  const mark = await getMeta(conn, SUCCEEDED_LOGS_MARK);
  const since = mark === null ? null : new Date(Date.parse(mark) - MARK_OVERLAP_MS);
  let deleted = 0;
  let after: { finishedAt: Date; id: string } | null = null;
  while (!pacer.stopped()) {
    const range: string = after
      ? ' AND (finished_at > ? OR (finished_at = ? AND id > ?))'
      : since
        ? ' AND finished_at >= ?'
        : '';
    const args: unknown[] = after ? [after.finishedAt, after.finishedAt, after.id] : since ? [since] : [];
    const [rows]: [RowDataPacket[], unknown] = await conn.query<RowDataPacket[]>(
      `SELECT id, finished_at FROM jobs FORCE INDEX (idx_jobs_status_finished)
       WHERE status = 'succeeded' AND finished_at < ?${range} ORDER BY finished_at, id LIMIT ?`,
      [before, ...args, pacer.batchSize],
    );
    if (rows.length === 0) break;
    deleted += await deleteInBatches(
      conn,
      'DELETE FROM job_logs WHERE job_id IN (?)',
      [rows.map((r) => String(r.id))],
      pacer.batchSize,
    );
    const last: RowDataPacket = rows[rows.length - 1]!;
    after = { finishedAt: last.finished_at as Date, id: String(last.id) };
    if (rows.length < pacer.batchSize) break;
    await pacer.pause();
  }
  // Only a run that went to the end may move the mark: a stopped one leaves it for the next.
  if (!pacer.stopped()) await setMeta(conn, SUCCEEDED_LOGS_MARK, before.toISOString());
  return deleted;
}
