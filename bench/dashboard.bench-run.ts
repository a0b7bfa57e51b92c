import { performance } from 'node:perf_hooks';
import type { RowDataPacket } from 'mysql2';
import { expect, it } from 'vitest';
import { COUNTS_SQL, countJobs, jobThroughput, THROUGHPUT_SQL } from '../src/main/engine/store/job-stats';
import { JOB_STATUSES, TERMINAL_STATUSES } from '../src/shared/schemas';
import {
  benchDatabase,
  benchPrefix,
  dropPrefix,
  fmt,
  printTable,
  startTickr,
  medianTime,
  TIMED_CALLS,
} from './lib/common';

/**
 * The dashboard's jobs.counts and jobs.throughput at 1,000,000 rows, beside the jobs.list bench:
 * most jobs finished long ago, 1 % in the last day and a tenth of those in the last hour. Each
 * query is timed (median of 30 calls of the store function the API uses) and EXPLAINed: it must
 * read idx_jobs_status_finished only (no table rows), a range of the recent entries.
 */
const ROWS = 1_024_000; // 1,000 seeded rows doubled 10 times
const CALLS = TIMED_CALLS;

it(`jobs.counts and jobs.throughput stay fast at ${fmt.n(ROWS)} rows`, async () => {
  const db = benchDatabase();
  const prefix = benchPrefix('dashboard');
  const node = await startTickr({ mysqlUrl: db.url, prefix, config: { concurrency: 1 } });
  const pool = node.engine.context.pool;
  try {
    const task = (await node.call('tasks.create', { name: 't', type: 'shell', command: 'true', enabled: false })).id;
    const t0 = performance.now();
    const old = new Date(Date.now() - 30 * 86_400_000);
    const seed = Array.from({ length: 1_000 }, (_, i) => {
      const status = JOB_STATUSES[i % JOB_STATUSES.length]!;
      const finished = (TERMINAL_STATUSES as readonly string[]).includes(status) ? old : null;
      return [task, status, 1, 3, old, old, finished, old, old];
    });
    await pool.query(
      'INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, due_at, finished_at, created_at, updated_at) VALUES ?',
      [seed],
    );
    for (let i = 0; i < 10; i++)
      await pool.query(
        `INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, due_at, finished_at, created_at, updated_at)
         SELECT task_id, status, attempt, max_attempts, scheduled_for, due_at, finished_at, created_at, updated_at FROM jobs`,
      );
    // 1 % finished within the day, a tenth of those within the hour.
    await pool.query(
      `UPDATE jobs SET finished_at = UTC_TIMESTAMP(3) - INTERVAL (id % 1440) MINUTE
       WHERE finished_at IS NOT NULL AND id % 100 = 0`,
    );
    const loadMs = performance.now() - t0;
    await pool.query('ANALYZE TABLE jobs');
    const now = new Date();

    const counts = await countJobs(pool, now);
    expect(Object.values(counts.counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    const hour = await jobThroughput(pool, now);
    expect(hour.minutes).toHaveLength(60);

    const since = new Date(now.getTime() - 86_400_000);
    const cases = [
      { label: 'jobs.counts: finished in 24 h', sql: COUNTS_SQL.finished, args: [...TERMINAL_STATUSES, since] },
      { label: 'jobs.counts: waiting/ready/running', sql: COUNTS_SQL.active, args: ['waiting', 'ready', 'running'] },
      {
        label: 'jobs.throughput: last hour',
        sql: THROUGHPUT_SQL,
        args: [new Date(now.getTime() - 3_600_000), now],
      },
    ];
    const rows: string[][] = [];
    for (const c of cases) {
      const [plan] = await pool.query<RowDataPacket[]>(`EXPLAIN ${c.sql}`, c.args);
      const step = plan[0]!;
      expect(step.key).toBe('idx_jobs_status_finished');
      // Covering: the index alone answers, no table row is read.
      expect(String(step.Extra ?? '')).toContain('Using index');
      const ms = await medianTime(() => pool.query(c.sql, c.args));
      rows.push([c.label, String(step.key), fmt.n(Number(step.rows)), `${fmt.n(ms, 2)} ms`]);
    }
    rows.push([
      'jobs.counts (the API call)',
      '',
      '',
      `${fmt.n(await medianTime(() => countJobs(pool, new Date())), 2)} ms`,
    ]);
    rows.push([
      'jobs.throughput (the API call)',
      '',
      '',
      `${fmt.n(await medianTime(() => jobThroughput(pool, new Date())), 2)} ms`,
    ]);
    printTable(
      `dashboard queries at ${fmt.n(ROWS)} rows, median of ${CALLS}`,
      ['query', 'index', 'rows read (estimate)', 'time'],
      rows,
      [`${fmt.n(ROWS)} rows loaded in ${fmt.n(loadMs)} ms (not timed here).`],
    );
  } finally {
    await node.stop();
    await dropPrefix(prefix);
    await db.drop();
  }
});
