import type { RowDataPacket } from 'mysql2';
import type { Pool, PoolConnection } from 'mysql2/promise';
import type { JobStatus } from '../../../shared/schemas';
import type { RecentRun, TaskRecentRuns } from '../../../shared/types';
import { iso } from './rows';

type Executor = Pool | PoolConnection;

/** How many of a task's newest jobs the Tasks list draws as its strip of runs. */
export const RECENT_RUNS_PER_TASK = 20;

interface RecentRunRow extends RowDataPacket {
  id: string;
  task_id: string;
  status: JobStatus;
  started_at: Date | null;
  finished_at: Date | null;
}

/**
 * One statement for many tasks: a UNION ALL of one arm per task, each arm
 * `WHERE task_id = ? ORDER BY id DESC LIMIT 20` on idx_jobs_task_id (task_id, id). Each arm reads
 * its 20 index entries backwards and stops, however many jobs the task or the table holds. A window
 * function (ROW_NUMBER() OVER (PARTITION BY task_id)) would read every job of every listed task
 * first, and LATERAL joins are MySQL-only (MariaDB 10.6 lacks them).
 */
export function recentRunsSql(taskCount: number, perTask = RECENT_RUNS_PER_TASK): string {
  const arm =
    '(SELECT id, task_id, status, started_at, finished_at FROM jobs FORCE INDEX (idx_jobs_task_id) ' +
    `WHERE task_id = ? ORDER BY id DESC LIMIT ${perTask})`;
  return Array.from({ length: taskCount }, () => arm).join(' UNION ALL ');
}

/** The newest RECENT_RUNS_PER_TASK jobs of each task, newest first; a task without jobs gets an empty list. */
export async function recentRuns(db: Executor, taskIds: readonly string[]): Promise<TaskRecentRuns[]> {
  const unique = [...new Set(taskIds)];
  if (unique.length === 0) return [];
  const [rows] = await db.query<RecentRunRow[]>(recentRunsSql(unique.length), unique);
  const byTask = new Map<string, RecentRun[]>(unique.map((id) => [id, []]));
  for (const r of rows) {
    const started = r.started_at?.getTime();
    const finished = r.finished_at?.getTime();
    byTask.get(String(r.task_id))?.push({
      id: String(r.id),
      status: r.status,
      durationMs: started !== undefined && finished !== undefined ? Math.max(0, finished - started) : null,
      finishedAt: iso(r.finished_at),
    });
  }
  // UNION ALL keeps no order across arms; each task's list is put newest first here.
  return unique.map((taskId) => ({
    taskId,
    runs: (byTask.get(taskId) ?? []).sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1)),
  }));
}
