import type { Pool, PoolConnection } from 'mysql2/promise';
import type { JobNeighbours } from '../../../shared/types';
import { getJobRow } from './jobs';
import { jobFromRow, type JobRow } from './rows';

type Executor = Pool | PoolConnection;

/**
 * The occurrences of the same task just before and after a job's own, by occurrence time: what
 * the job page links to. Each is one probe of uq_jobs_occurrence (task_id, occurrence_at), so it
 * costs the same at any history size. A job no schedule made (run now, a retry's copy) has none.
 */
export async function jobNeighbours(db: Executor, id: string): Promise<JobNeighbours | null> {
  const row = await getJobRow(db, id);
  if (!row) return null;
  // A pending occurrence that was cancelled (its task paused or deleted, or a user's cancel) gave
  // up its occurrence time so the schedule may make that occurrence again (store/occurrences.ts);
  // its scheduled time still says where it stood. Such a job is not found as another's neighbour.
  const at = row.occurrence_at ?? (row.status === 'cancelled' && row.attempt === 0 ? row.scheduled_for : null);
  if (at === null) return { previous: null, next: null };
  const side = async (op: '<' | '>', order: 'ASC' | 'DESC') => {
    const [rows] = await db.execute<JobRow[]>(
      `SELECT * FROM jobs WHERE task_id=? AND occurrence_at ${op} ? ORDER BY occurrence_at ${order} LIMIT 1`,
      [row.task_id, at],
    );
    return rows[0] ? jobFromRow(rows[0]) : null;
  };
  return { previous: await side('<', 'DESC'), next: await side('>', 'ASC') };
}
