import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { JOB_STATUSES, TERMINAL_STATUSES, type JobStatus } from '../../../shared/schemas';
import type { JobCounts, Throughput, ThroughputMinute } from '../../../shared/types';

type Executor = Pool | PoolConnection;

const MINUTE_MS = 60_000;
export const COUNTS_WINDOW_MS = 24 * 60 * MINUTE_MS;
export const THROUGHPUT_WINDOW_MS = 60 * MINUTE_MS;

const ACTIVE_STATUSES = JOB_STATUSES.filter((s) => !(TERMINAL_STATUSES as readonly string[]).includes(s));

const inList = (values: readonly string[]): string => values.map(() => '?').join(', ');

/**
 * The statements, exported so the bench EXPLAINs exactly what the API runs. Both are ranges of
 * idx_jobs_status_finished (status, finished_at), read from the index alone: finished jobs
 * within the window, and active jobs, whose finished_at is NULL. Times are compared as DATETIME
 * values the pool writes in UTC; the minute is cut as text, so no session time zone is involved.
 */
export const COUNTS_SQL = {
  finished: `SELECT status, COUNT(*) AS n FROM jobs FORCE INDEX (idx_jobs_status_finished)
    WHERE status IN (${inList(TERMINAL_STATUSES)}) AND finished_at >= ? GROUP BY status`,
  active: `SELECT status, COUNT(*) AS n FROM jobs FORCE INDEX (idx_jobs_status_finished)
    WHERE status IN (${inList(ACTIVE_STATUSES)}) GROUP BY status`,
  // Running jobs are at most the nodes' workers: a few rows whatever the table's size.
  runningByNode: `SELECT node_id, COUNT(*) AS n FROM jobs FORCE INDEX (idx_jobs_status_finished)
    WHERE status = 'running' GROUP BY node_id`,
};

export const THROUGHPUT_SQL = `SELECT DATE_FORMAT(finished_at, '%Y-%m-%dT%H:%i') AS minute, status, COUNT(*) AS n
  FROM jobs FORCE INDEX (idx_jobs_status_finished)
  WHERE status IN ('succeeded', 'failed') AND finished_at >= ? AND finished_at < ?
  GROUP BY minute, status`;

interface CountRow extends RowDataPacket {
  status: string;
  n: number | string;
}

/**
 * Jobs per status: those that finished in the last 24 h, and those waiting, ready or running now
 * (a job waiting for three days still waits: its age does not take it off the board).
 */
export async function countJobs(db: Executor, now: Date): Promise<JobCounts> {
  const since = new Date(now.getTime() - COUNTS_WINDOW_MS);
  const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  const [finished] = await db.query<CountRow[]>(COUNTS_SQL.finished, [...TERMINAL_STATUSES, since]);
  const [active] = await db.query<CountRow[]>(COUNTS_SQL.active, ACTIVE_STATUSES);
  for (const row of [...finished, ...active]) {
    if ((JOB_STATUSES as readonly string[]).includes(row.status)) counts[row.status as JobStatus] = Number(row.n);
  }
  const [running] = await db.query<(RowDataPacket & { node_id: string | null; n: number | string })[]>(
    COUNTS_SQL.runningByNode,
  );
  const runningByNode: Record<string, number> = {};
  for (const row of running) if (row.node_id !== null) runningByNode[row.node_id] = Number(row.n);
  return { since: since.toISOString(), counts, runningByNode };
}

interface MinuteRow extends RowDataPacket {
  minute: string;
  status: 'succeeded' | 'failed';
  n: number | string;
}

/** The start of the minute `at` falls in. */
function minuteStart(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/**
 * Jobs finished per minute over the last hour, succeeded and failed, one entry per minute (zeros
 * included, so a chart's x axis has no holes). The current minute is the last, still filling.
 */
export async function jobThroughput(db: Executor, now: Date): Promise<Throughput> {
  const to = minuteStart(now.getTime()) + MINUTE_MS;
  const from = to - THROUGHPUT_WINDOW_MS;
  const [rows] = await db.query<MinuteRow[]>(THROUGHPUT_SQL, [new Date(from), new Date(to)]);
  const byMinute = new Map<number, ThroughputMinute>();
  for (let m = from; m < to; m += MINUTE_MS)
    byMinute.set(m, { minute: new Date(m).toISOString(), succeeded: 0, failed: 0 });
  for (const row of rows) {
    const entry = byMinute.get(Date.parse(`${row.minute}:00.000Z`));
    if (entry !== undefined) entry[row.status] += Number(row.n);
  }
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), minutes: [...byMinute.values()] };
}
