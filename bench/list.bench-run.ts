import { performance } from 'node:perf_hooks';
import type { RowDataPacket } from 'mysql2';
import { expect, it } from 'vitest';
import { listJobs } from '../src/main/engine/store/jobs';
import { recentRuns, recentRunsSql, RECENT_RUNS_PER_TASK } from '../src/main/engine/store/recent-runs';
import { JOB_STATUSES } from '../src/shared/schemas';
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
 * jobs.list at 1,000,000 rows: by task, by status, by task and status, and a deep page through
 * the cursor. Each is timed (median of 30 calls of the store function the API uses) and its plan
 * is read with EXPLAIN, to show the rows it touches stay near the page size however large the
 * table. The machine's limit is a primary-key lookup of one row in the same table.
 */
const ROWS = 1_024_000; // 1,000 seeded rows doubled 10 times
const TASKS = 100;
const CALLS = TIMED_CALLS;
const PAGE = 100;

it(`jobs.list stays fast at ${fmt.n(ROWS)} rows`, async () => {
  const db = benchDatabase();
  const prefix = benchPrefix('list');
  const node = await startTickr({ mysqlUrl: db.url, prefix, config: { concurrency: 1 } });
  const pool = node.engine.context.pool;
  try {
    const t0 = performance.now();
    // TASKS disabled tasks, then 1,000 jobs spread over them and over every status, then doubled
    // in SQL ten times (one INSERT … SELECT each): far faster than a million single inserts.
    for (let i = 0; i < TASKS; i++)
      await node.call('tasks.create', { name: `t${i}`, type: 'shell', command: 'true', enabled: false });
    const [taskRows] = await pool.query<RowDataPacket[]>('SELECT id FROM tasks ORDER BY id');
    const taskIds = taskRows.map((r) => String(r.id));
    const now = new Date(Date.now() + 86_400_000);
    // A rare task: 10 jobs, the oldest rows of the table (the worst case for walking ids backwards).
    const rare = (await node.call('tasks.create', { name: 'rare', type: 'shell', command: 'true', enabled: false })).id;
    await pool.query(
      'INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, due_at, created_at, updated_at) VALUES ?',
      [Array.from({ length: 10 }, () => [rare, 'succeeded', 0, 3, now, now, now, now])],
    );
    const seed = Array.from({ length: 1_000 }, (_, i) => [
      taskIds[i % TASKS],
      JOB_STATUSES[i % JOB_STATUSES.length],
      0,
      3,
      now,
      now,
      now,
      now,
    ]);
    await pool.query(
      'INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, due_at, created_at, updated_at) VALUES ?',
      [seed],
    );
    for (let i = 0; i < 10; i++) {
      await pool.query(
        `INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, due_at, created_at, updated_at)
         SELECT task_id, status, attempt, max_attempts, scheduled_for, due_at, created_at, updated_at FROM jobs WHERE task_id <> ?`,
        [rare],
      );
    }
    const loadMs = performance.now() - t0;
    const [count] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM jobs');
    expect(Number(count[0]?.n)).toBe(ROWS + 10);
    await pool.query('ANALYZE TABLE jobs');

    const task = taskIds[TASKS / 2]!;
    // A cursor half-way down the task's jobs: a deep page.
    const [mid] = await pool.query<RowDataPacket[]>(
      'SELECT id FROM jobs WHERE task_id=? ORDER BY id DESC LIMIT 1 OFFSET 5000',
      [task],
    );
    const deepCursor = String(mid[0]?.id);
    const cases: { label: string; q: Parameters<typeof listJobs>[1]; where: string; args: (string | number)[] }[] = [
      { label: 'newest, no filter', q: { limit: PAGE }, where: '', args: [] },
      { label: 'by task', q: { limit: PAGE, taskId: task }, where: 'WHERE task_id = ?', args: [task] },
      { label: 'by status', q: { limit: PAGE, status: 'failed' }, where: 'WHERE status = ?', args: ['failed'] },
      {
        label: 'by task and status',
        q: { limit: PAGE, taskId: task, status: 'failed' },
        where: 'WHERE task_id = ? AND status = ?',
        args: [task, 'failed'],
      },
      {
        label: 'by a task with 10 jobs, the oldest',
        q: { limit: PAGE, taskId: rare },
        where: 'WHERE task_id = ?',
        args: [rare],
      },
      {
        label: 'by task, deep page (cursor)',
        q: { limit: PAGE, taskId: task, cursor: deepCursor },
        where: 'WHERE task_id = ? AND id < ?',
        args: [task, deepCursor],
      },
    ];
    const floorMs = await medianTime(() => pool.query('SELECT * FROM jobs WHERE id = ?', [deepCursor]));
    const rows: string[][] = [];
    for (const c of cases) {
      const page = await listJobs(pool, c.q);
      expect(page.items).toHaveLength(c.q.taskId === rare ? 10 : PAGE);
      const ms = await medianTime(() => listJobs(pool, c.q));
      const hint =
        c.q.taskId !== undefined
          ? c.q.status
            ? 'idx_jobs_task_status'
            : 'idx_jobs_task_id'
          : c.q.status
            ? 'idx_jobs_status_id'
            : null;
      const [plan] = await pool.query<RowDataPacket[]>(
        `EXPLAIN SELECT * FROM jobs${hint ? ` FORCE INDEX (${hint})` : ''} ${c.where} ORDER BY id DESC LIMIT ${PAGE + 1}`,
        c.args,
      );
      const step = plan[0]!;
      const extra = String(step.Extra ?? '');
      // No filesort: the index hands rows over in id order, so the LIMIT stops the scan early.
      expect(extra).not.toContain('filesort');
      rows.push([
        c.label,
        String(step.key ?? 'PRIMARY'),
        fmt.n(Number(step.rows)),
        `${fmt.n(ms, 2)} ms`,
        fmt.ratio(ms / floorMs),
      ]);
    }
    // tasks.recentRuns: the Tasks list's strips, the newest 20 jobs of every task (and the rare one) in one call.
    const stripTasks = [...taskIds, rare];
    const strips = await recentRuns(pool, stripTasks);
    expect(strips.map((t) => t.runs.length)).toEqual([...taskIds.map(() => RECENT_RUNS_PER_TASK), 10]);
    const stripMs = await medianTime(() => recentRuns(pool, stripTasks));
    const [stripPlan] = await pool.query<RowDataPacket[]>(`EXPLAIN ${recentRunsSql(stripTasks.length)}`, stripTasks);
    const arms = stripPlan.filter((step) => step.table === 'jobs');
    for (const step of arms) expect(String(step.Extra ?? '')).not.toContain('filesort');
    rows.push([
      `tasks.recentRuns, ${stripTasks.length} tasks × ${RECENT_RUNS_PER_TASK}`,
      String(arms[0]?.key ?? 'PRIMARY'),
      fmt.n(arms.reduce((sum, step) => sum + Number(step.rows), 0)),
      `${fmt.n(stripMs, 2)} ms`,
      fmt.ratio(stripMs / floorMs),
    ]);
    printTable(
      `jobs.list at ${fmt.n(ROWS)} rows (${TASKS} tasks, ${JOB_STATUSES.length} statuses), ${PAGE} per page, median of ${CALLS}`,
      ['query', 'index', 'matching rows (estimate)', 'time', 'vs 1-row PK lookup'],
      [...rows, ['machine limit: one row by primary key', 'PRIMARY', '1', `${fmt.n(floorMs, 2)} ms`, '1.00×']],
      [
        `${fmt.n(ROWS)} rows loaded in ${fmt.n(loadMs)} ms (not timed here). No plan uses a filesort: each index hands rows over in id order and the LIMIT stops the read. The matching rows are EXPLAIN's estimate of the range; a page reads only its first 101.`,
      ],
    );
  } finally {
    await node.stop();
    await dropPrefix(prefix);
    await db.drop();
  }
});
