import { performance } from 'node:perf_hooks';
import type { RowDataPacket } from 'mysql2';
import { expect, it } from 'vitest';
import { DURATION_INDEX, durationStats, durationStatsQuery } from '../src/main/engine/store/duration-stats';
import { readQueueEntries } from '../src/main/engine/store/queue-entries';
import { DURATION_SAMPLE } from '../src/shared/schemas';
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
 * The Queues view's two MySQL reads at 1,000,000 jobs, beside jobs.list's bench (list.bench-run.ts):
 * tasks.durationStats (median and p95 over each task's last 100 finished jobs) for one task and for
 * the 100 a screen of lanes can name, and the one batched read of the ids a queues.snapshot shows
 * (their task, its name, attempt, start). Each is timed (median of 30 calls of the store function
 * the API uses) and its plan read with EXPLAIN: the rows it touches stay near what it returns
 * however large the table. The machine's limit is a primary-key lookup of one row.
 */
const ROWS = 1_024_000; // 1,000 seeded rows doubled 10 times
const TASKS = 100;
const CALLS = TIMED_CALLS;
/** What one snapshot names at most: 100 waiting, 100 ready, a few running, pinned lists. */
const SNAPSHOT_IDS = 300;

it(`the Queues view's reads stay fast at ${fmt.n(ROWS)} jobs`, async () => {
  const db = benchDatabase();
  const prefix = benchPrefix('queues');
  const node = await startTickr({ mysqlUrl: db.url, prefix, config: { concurrency: 1 } });
  const pool = node.engine.context.pool;
  try {
    const t0 = performance.now();
    for (let i = 0; i < TASKS; i++)
      await node.call('tasks.create', { name: `t${i}`, type: 'shell', command: 'true', enabled: false });
    const [taskRows] = await pool.query<RowDataPacket[]>('SELECT id FROM tasks ORDER BY id');
    const taskIds = taskRows.map((r) => String(r.id));
    // Finished jobs (succeeded, failed, cancelled: every task has all three) with starts and ends
    // spread over a day, doubled in SQL ten times: each task ends up with ~10,000 finished jobs to
    // pick its latest 100 from.
    const day = Date.now() - 86_400_000;
    const statuses = ['succeeded', 'failed', 'cancelled', 'succeeded'] as const;
    const seed = Array.from({ length: 1_000 }, (_, i) => {
      const finished = new Date(day + i * 60_000);
      const started = new Date(finished.getTime() - 1_000 - (i % 50) * 100);
      return [
        taskIds[i % TASKS],
        statuses[Math.floor(i / TASKS) % statuses.length],
        1,
        3,
        started,
        started,
        started,
        finished,
        started,
        finished,
      ];
    });
    const columns = `task_id, status, attempt, max_attempts, scheduled_for, due_at, started_at, finished_at, created_at, updated_at`;
    await pool.query(`INSERT INTO jobs (${columns}) VALUES ?`, [seed]);
    for (let i = 0; i < 10; i++) await pool.query(`INSERT INTO jobs (${columns}) SELECT ${columns} FROM jobs`);
    const loadMs = performance.now() - t0;
    const [count] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM jobs');
    expect(Number(count[0]?.n)).toBe(ROWS);
    await pool.query('ANALYZE TABLE jobs');

    // The ids a snapshot would name: spread over the whole table (no cache locality to lean on).
    const [maxRow] = await pool.query<RowDataPacket[]>('SELECT MAX(id) AS m FROM jobs');
    const maxId = Number(maxRow[0]?.m);
    // Ids that exist: INSERT … SELECT leaves gaps in the auto-increment, so each spaced point is
    // rounded up to the next real id.
    const snapshotIds: string[] = [];
    for (let i = 0; i < SNAPSHOT_IDS; i++) {
      const [next] = await pool.query<RowDataPacket[]>('SELECT id FROM jobs WHERE id >= ? ORDER BY id LIMIT 1', [
        1 + Math.floor((i * maxId) / SNAPSHOT_IDS),
      ]);
      const id = String(next[0]?.id);
      if (!snapshotIds.includes(id)) snapshotIds.push(id);
    }
    const oneTask = [taskIds[TASKS / 2]!];

    const floorMs = await medianTime(() => pool.query('SELECT * FROM jobs WHERE id = ?', [snapshotIds[1]]));
    const rows: string[][] = [];

    for (const [label, ids] of [
      ['durationStats, 1 task', oneTask],
      [`durationStats, ${TASKS} tasks`, taskIds],
    ] as const) {
      const stats = await durationStats(pool, ids);
      expect(stats).toHaveLength(ids.length);
      expect(stats.every((s) => s.count === DURATION_SAMPLE && s.medianMs !== null)).toBe(true);
      const ms = await medianTime(() => durationStats(pool, ids));
      const [sql, values] = durationStatsQuery(ids);
      const [plan] = await pool.query<RowDataPacket[]>(`EXPLAIN ${sql}`, values);
      const steps = plan.filter((step) => step.table === 'jobs');
      for (const step of steps) {
        // One range of the covering index per task and status, in finish order: the LIMIT stops it.
        expect(step.key).toBe(DURATION_INDEX);
        expect(String(step.Extra ?? '')).not.toContain('filesort');
      }
      const estimate = steps.reduce((sum, step) => sum + Number(step.rows), 0);
      rows.push([label, DURATION_INDEX, fmt.n(estimate), `${fmt.n(ms, 2)} ms`, fmt.ratio(ms / floorMs)]);
    }

    const facts = await readQueueEntries(pool, snapshotIds);
    expect(facts.size).toBe(snapshotIds.length);
    const entriesMs = await medianTime(() => readQueueEntries(pool, snapshotIds));
    const [entriesPlan] = await pool.query<RowDataPacket[]>(
      'EXPLAIN SELECT j.id, j.task_id, j.status, t.name, j.attempt, j.max_attempts, j.started_at FROM jobs j LEFT JOIN tasks t ON t.id = j.task_id WHERE j.id IN (?)',
      [snapshotIds],
    );
    const jobsStep = entriesPlan.find((step) => step.table === 'j')!;
    // By primary key: it reads the ids asked for, not the table.
    expect(jobsStep.key).toBe('PRIMARY');
    rows.push([
      `queues.snapshot names, ${snapshotIds.length} ids`,
      'PRIMARY',
      fmt.n(Number(jobsStep.rows)),
      `${fmt.n(entriesMs, 2)} ms`,
      fmt.ratio(entriesMs / floorMs),
    ]);

    printTable(
      `The Queues view's reads at ${fmt.n(ROWS)} jobs (${TASKS} tasks), median of ${CALLS}`,
      ['query', 'index', 'rows read (estimate)', 'time', 'vs 1-row PK lookup'],
      [...rows, ['machine limit: one row by primary key', 'PRIMARY', '1', `${fmt.n(floorMs, 2)} ms`, '1.00×']],
      [
        `${fmt.n(ROWS)} rows loaded in ${fmt.n(loadMs)} ms (not timed here). durationStats is one statement: per task two index ranges (succeeded, failed), each stopped after ${DURATION_SAMPLE} entries, no row lookups. The snapshot's names are one statement by primary key for every id shown.`,
      ],
    );
  } finally {
    await node.stop();
    await dropPrefix(prefix);
    await db.drop();
  }
});
