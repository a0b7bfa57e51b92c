import { randomBytes } from 'node:crypto';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { expect, it } from 'vitest';
import { createPool, ensureDatabase, parseMysqlUrl, placeholders } from '../src/main/engine/store/db';
import { migrate } from '../src/main/engine/store/migrations';
import { benchDatabase, fmt, machineBusyMs, printTable, type BenchDb } from './lib/common';
import { recordFigures, round, sized } from './lib/figures';
import { mysqldCpuMs } from './lib/profile';

/**
 * The durable floor: what the fewest MySQL writes a job can have cost on this machine, with no
 * engine around them. Any design that keeps invariants 1 and 3 (MySQL the source of truth; a job
 * starts only after a compare-and-set) writes at least this per job:
 *
 * - the claim: one UPDATE over the batch, the compare-and-set with the lease and the claim token,
 *   committed before the job may start (autocommit: one statement, one round trip);
 * - the result: one transaction in one round trip, the attempt rows in one INSERT and the jobs'
 *   final state in one UPDATE guarded by the token.
 *
 * Tickr's own claim also reads the rows back and writes the attempt row before the job starts
 * (the job's record while it runs), and reads the task; this floor leaves all of that out. It
 * runs on Tickr's schema, with the indexes the lists, the sweep and the dashboard need at a
 * million jobs (store/migrations.ts), in batches of 1, 2, 4 and 8 jobs with 8 jobs in flight at
 * most (the throughput bench's concurrency): 8 / batch loops, each claiming a batch and then
 * writing its result. What it measures is CPU per job (this process, MariaDB, the machine),
 * which with the rate of the throughput bench says how much of a job's cost the durable writes
 * alone take, whatever the engine does around them.
 */

const CONCURRENCY = 8;
const BATCHES = [1, 2, 4, 8] as const;
const JOBS = sized(8_000, 1_000);

interface FloorRun {
  batch: number;
  perSec: number;
  nodeCpuMsPerJob: number;
  mysqldCpuMsPerJob: number | null;
  machineCpuMsPerJob: number | null;
}

/** `n` ready jobs of one task, due already, made in one statement (MariaDB's sequence engine). */
async function readyJobs(pool: Pool, n: number): Promise<number[]> {
  await pool.query('DELETE FROM attempts');
  await pool.query('DELETE FROM jobs');
  await pool.query(
    `INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, due_at, created_at, updated_at)
     SELECT 1, 'ready', 0, 1, NOW(3), NOW(3) - INTERVAL 1 SECOND, NOW(3), NOW(3) FROM seq_1_to_${n}`,
  );
  const [rows] = await pool.query<RowDataPacket[]>('SELECT id FROM jobs ORDER BY id');
  return rows.map((r) => Number(r.id));
}

/** One loop: claim a batch, then write its results; until no ids are left. */
async function loop(pool: Pool, next: () => number[]): Promise<void> {
  const conn = await pool.getConnection();
  try {
    for (let ids = next(); ids.length > 0; ids = next()) {
      const token = randomBytes(16).toString('hex');
      const list = placeholders(ids.length);
      const started = new Date();
      await conn.query(
        `UPDATE jobs SET status='running', attempt=attempt+1, node_id='floor', claim_token=?, started_at=?,
           lease_until=NOW(3) + INTERVAL 30 SECOND, updated_at=?
         WHERE id IN (${list}) AND status IN ('waiting','ready')`,
        [token, started, started, ...ids],
      );
      const finished = new Date();
      await conn.query(
        `START TRANSACTION;
         INSERT INTO attempts (job_id, attempt, node_id, claim_token, started_at, finished_at, exit_code, outcome)
           VALUES ${placeholders(ids.length, "(?, 1, 'floor', ?, ?, ?, 0, 'succeeded')")};
         UPDATE jobs SET status='succeeded', finished_at=?, exit_code=0, lease_until=NULL, claim_token=NULL, updated_at=?
           WHERE id IN (${list}) AND status='running' AND claim_token=?;
         COMMIT`,
        [...ids.flatMap((id) => [id, token, started, finished]), finished, finished, ...ids, token],
      );
    }
  } finally {
    conn.release();
  }
}

async function floorRun(pool: Pool, batch: number, mysqld: () => number | null): Promise<FloorRun> {
  const ids = await readyJobs(pool, JOBS);
  let at = 0;
  const next = (): number[] => ids.slice(at, (at += batch));
  const start = { node: process.cpuUsage(), mysqld: mysqld(), machine: machineBusyMs(), t: performance.now() };
  await Promise.all(Array.from({ length: CONCURRENCY / batch }, () => loop(pool, next)));
  const ms = performance.now() - start.t;
  const node = process.cpuUsage(start.node);
  const mysqldEnd = mysqld();
  const machineEnd = machineBusyMs();
  const [done] = await pool.query<RowDataPacket[]>(
    "SELECT SUM(status='succeeded') AS ok, (SELECT COUNT(*) FROM attempts) AS attempts FROM jobs",
  );
  // Every job claimed once and finished once: the floor did the writes it claims to measure.
  expect({ ok: Number(done[0]!.ok), attempts: Number(done[0]!.attempts) }).toEqual({ ok: JOBS, attempts: JOBS });
  const perJob = (a: number | null, b: number | null): number | null =>
    a !== null && b !== null ? (b - a) / JOBS : null;
  return {
    batch,
    perSec: (JOBS / ms) * 1000,
    nodeCpuMsPerJob: (node.user + node.system) / 1000 / JOBS,
    mysqldCpuMsPerJob: perJob(start.mysqld, mysqldEnd),
    machineCpuMsPerJob: perJob(start.machine, machineEnd),
  };
}

it('the durable floor: the fewest MySQL writes a job can have, in batches of 1 to 8', async () => {
  const db: BenchDb = benchDatabase();
  const target = parseMysqlUrl(db.url);
  await ensureDatabase(target);
  const pool = createPool(target, CONCURRENCY + 2, { multipleStatements: true });
  try {
    await migrate(pool, target.database);
    const mysqld = mysqldCpuMs();
    await floorRun(pool, 2, mysqld); // warm-up: JIT, the pool's connections, the buffer pool's pages
    const runs: FloorRun[] = [];
    for (const batch of BATCHES) runs.push(await floorRun(pool, batch, mysqld));
    const ms = (x: number | null): string => (x === null ? '—' : `${x.toFixed(3)} ms`);
    printTable(
      'Durable floor: a claim and a result in MySQL per job, no engine',
      ['jobs per batch', 'jobs/s', 'CPU: this process', 'CPU: mysqld / mariadbd', 'machine CPU'],
      runs.map((r) => [
        String(r.batch),
        `${fmt.n(r.perSec)} /s`,
        ms(r.nodeCpuMsPerJob),
        ms(r.mysqldCpuMsPerJob),
        ms(r.machineCpuMsPerJob),
      ]),
      [
        `${fmt.n(JOBS)} jobs a row, ${CONCURRENCY} in flight at most (${CONCURRENCY} / batch loops), on Tickr's schema and indexes.`,
        'Per job: the compare-and-set UPDATE (autocommit), then the attempt INSERT and the job UPDATE in one transaction.',
        "CPU per job is what bounds the rate: compare it with the throughput bench's CPU per job of BullMQ and of the limit.",
      ],
    );
    recordFigures('durable-floor', {
      jobs: JOBS,
      concurrency: CONCURRENCY,
      byBatch: Object.fromEntries(
        runs.map((r) => [
          String(r.batch),
          {
            perSec: round(r.perSec),
            nodeCpuMsPerJob: round(r.nodeCpuMsPerJob),
            mysqldCpuMsPerJob: round(r.mysqldCpuMsPerJob),
            machineCpuMsPerJob: round(r.machineCpuMsPerJob),
          },
        ]),
      ),
    });
  } finally {
    await pool.end();
    await db.drop();
  }
});
