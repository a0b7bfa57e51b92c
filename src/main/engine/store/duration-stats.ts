import type { RowDataPacket } from 'mysql2';
import type { Pool, PoolConnection } from 'mysql2/promise';
import { DURATION_SAMPLE } from '../../../shared/schemas';
import type { TaskDurationStats } from '../../../shared/types';

type Executor = Pool | PoolConnection;

/** The index migration 2 adds for this query; named so the plan cannot drift to a worse one. */
export const DURATION_INDEX = 'idx_jobs_task_status_finished';

/** Statuses of jobs that ran to an end on a worker: both took a worker for as long as they ran. */
const RAN_STATUSES = ['succeeded', 'failed'] as const;

interface DurationRow extends RowDataPacket {
  task_id: string;
  finished_at: Date;
  duration_ms: number | string;
}

/**
 * One task's latest finished jobs of one status, newest first: a range of the index
 * (task_id, status, finished_at, started_at) read backwards and stopped by the LIMIT, covering (no
 * row lookups), so it reads at most `sample` entries however many jobs the task has.
 */
function latestOfStatus(sample: number): string {
  return `(SELECT task_id, finished_at, TIMESTAMPDIFF(MICROSECOND, started_at, finished_at) / 1000 AS duration_ms
     FROM jobs FORCE INDEX (${DURATION_INDEX})
     WHERE task_id = ? AND status = ? AND finished_at IS NOT NULL AND started_at IS NOT NULL
     ORDER BY finished_at DESC LIMIT ${sample})`;
}

/** The SQL and its values for `taskIds`: one UNION ALL of two ranges per task, one round trip. */
export function durationStatsQuery(taskIds: readonly string[], sample = DURATION_SAMPLE): [string, string[]] {
  const parts: string[] = [];
  const values: string[] = [];
  for (const taskId of taskIds)
    for (const status of RAN_STATUSES) {
      parts.push(latestOfStatus(sample));
      values.push(taskId, status);
    }
  return [parts.join('\nUNION ALL\n'), values];
}

/** The value at fraction `q` of sorted `xs`, by the nearest-rank rule (a value that occurred). */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

/**
 * Median and p95 duration of each task over its last `sample` finished jobs (succeeded or
 * failed, by finish time). A task with none gets count 0 and null figures; every id asked for
 * gets an item, in the order asked.
 */
export async function durationStats(
  db: Executor,
  taskIds: readonly string[],
  sample = DURATION_SAMPLE,
): Promise<TaskDurationStats[]> {
  const unique = [...new Set(taskIds)];
  if (unique.length === 0) return [];
  const [sql, values] = durationStatsQuery(unique, sample);
  const [rows] = await db.query<DurationRow[]>(sql, values);
  const byTask = new Map<string, { at: number; ms: number }[]>();
  for (const r of rows) {
    const list = byTask.get(String(r.task_id)) ?? [];
    list.push({ at: r.finished_at.getTime(), ms: Math.max(0, Number(r.duration_ms)) });
    byTask.set(String(r.task_id), list);
  }
  return unique.map((taskId) => {
    // Up to `sample` of each status came back: keep the latest `sample` of both together.
    const latest = (byTask.get(taskId) ?? []).sort((a, b) => b.at - a.at).slice(0, sample);
    const sorted = latest.map((d) => d.ms).sort((a, b) => a - b);
    const round = (v: number | null): number | null => (v === null ? null : Math.round(v));
    return {
      taskId,
      count: sorted.length,
      medianMs: round(quantile(sorted, 0.5)),
      p95Ms: round(quantile(sorted, 0.95)),
    };
  });
}
