import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import type { Job } from '../src/shared/types';
import { benchDatabase, benchPrefix, dropPrefix, fmt, printTable, sleep, startTickr } from './lib/common';

/**
 * Retention under load: a node runs a steady stream of jobs (HTTP GETs to a server in this
 * process, RATE a second) while it prunes 1,000,000 rows (256,000 finished jobs 60 days old, each
 * with an attempt and two log chunks) with the default batch size and pause. The claim latency,
 * from the take of an id to its job running (the MySQL compare-and-set and the task's policy
 * checks: dispatch/claim.ts), is measured without pruning first, then during it; the table gives
 * p50 and p99 of each and the ratio. Sized for 2 cores: 4 workers, 40 jobs a second.
 */
const JOBS = 256_000; // 1,000 seeded rows doubled 8 times
const ROWS = JOBS * 4; // the job, its attempt, two log chunks
const RATE = 40;
const BASELINE_MS = 20_000;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

it(`prunes ${fmt.n(ROWS)} rows while jobs run; claim latency p99 during pruning against without`, async () => {
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const db = benchDatabase();
  const prefix = benchPrefix('retention');
  const takenAt = new Map<string, number>();
  let phase: number[] | null = null;
  const node = await startTickr({
    mysqlUrl: db.url,
    prefix,
    // The timer stays out of the way: this bench starts the run itself.
    config: { concurrency: 4, retentionStartDelayMs: 3_600_000 },
    faults: { afterTake: (id) => void takenAt.set(id, performance.now()) },
  });
  const pool = node.engine.context.pool;
  const off = node.engine.bus.subscribe((m) => {
    if (m.event !== 'job.updated') return;
    const job = m.data as Job;
    const t = takenAt.get(job.id);
    if (job.status !== 'running' || t === undefined) return;
    takenAt.delete(job.id);
    phase?.push(performance.now() - t);
  });
  try {
    const live = await node.call('tasks.create', {
      name: 'live',
      type: 'http',
      http: { method: 'GET', url },
      enabled: false,
      overlap: 'allow',
      maxAttempts: 1,
    });
    const old = (await node.call('tasks.create', { name: 'old', type: 'shell', command: 'true', enabled: false })).id;

    const t0 = performance.now();
    const at = new Date(Date.now() - 60 * 86_400_000);
    await pool.query(
      'INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, due_at, started_at, finished_at, created_at, updated_at) VALUES ?',
      [Array.from({ length: 1_000 }, () => [old, 'succeeded', 1, 1, at, at, at, at, at, at])],
    );
    for (let i = 0; i < 8; i++)
      await pool.query(
        `INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, due_at, started_at, finished_at, created_at, updated_at)
         SELECT task_id, status, attempt, max_attempts, scheduled_for, due_at, started_at, finished_at, created_at, updated_at
         FROM jobs WHERE task_id = ?`,
        [old],
      );
    await pool.query(
      `INSERT INTO attempts (job_id, attempt, node_id, claim_token, started_at, finished_at, outcome)
       SELECT id, 1, 'bench', REPEAT('a', 32), started_at, finished_at, 'succeeded' FROM jobs WHERE task_id = ?`,
      [old],
    );
    for (const seq of [1, 2])
      await pool.query(
        `INSERT INTO job_logs (job_id, seq, attempt, stream, at, text)
         SELECT id, ?, 1, 'stdout', finished_at, 'a line of output' FROM jobs WHERE task_id = ?`,
        [seq, old],
      );
    await pool.query('ANALYZE TABLE jobs, attempts, job_logs');
    const loadMs = performance.now() - t0;

    // The steady stream of jobs: RATE runNow calls a second, each awaited on its own.
    const calls = new Set<Promise<unknown>>();
    const producer = setInterval(() => {
      const call = node.call('tasks.runNow', { id: live.id }).finally(() => calls.delete(call));
      calls.add(call);
    }, 1_000 / RATE);

    await sleep(2_000); // warm-up, not measured
    const baseline: number[] = [];
    phase = baseline;
    await sleep(BASELINE_MS);

    const during: number[] = [];
    phase = during;
    const p0 = performance.now();
    const outcome = await node.engine.retention.runOnce();
    const pruneMs = performance.now() - p0;
    phase = null;
    clearInterval(producer);
    await Promise.all(calls);

    // The newest job of the old task stays (never the newest of a task), without its logs (a
    // succeeded job past 7 days); everything else went.
    expect(outcome).toMatchObject({
      ran: true,
      counts: { jobs: JOBS - 1, attempts: JOBS - 1, logChunks: 2 * JOBS },
    });
    expect(baseline.length).toBeGreaterThan(100);
    expect(during.length).toBeGreaterThan(100);

    const b99 = percentile(baseline, 99);
    const d99 = percentile(during, 99);
    const ms = (x: number): string => `${fmt.n(x, 1)} ms`;
    printTable(
      `claim latency while pruning ${fmt.n(ROWS)} rows (${RATE} jobs/s, 4 workers)`,
      ['phase', 'claims', 'p50', 'p99', 'p99 ratio'],
      [
        ['without pruning', fmt.n(baseline.length), ms(percentile(baseline, 50)), ms(b99), '1.00×'],
        ['during pruning', fmt.n(during.length), ms(percentile(during, 50)), ms(d99), fmt.ratio(d99 / b99)],
      ],
      [
        `pruned ${fmt.n(ROWS - 2)} rows in ${fmt.n(pruneMs / 1000, 1)} s ` +
          `(${fmt.n((ROWS - 2) / (pruneMs / 1000))} rows/s; batches of ${node.engine.config.retentionBatchSize}, ` +
          `${node.engine.config.retentionPauseMs} ms apart)`,
        `${fmt.n(ROWS)} rows loaded in ${fmt.n(loadMs / 1000, 1)} s (not timed here).`,
      ],
    );
  } finally {
    off();
    await node.stop();
    server.close();
    await dropPrefix(prefix);
    await db.drop();
  }
});
