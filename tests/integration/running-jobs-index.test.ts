import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, ensureDatabase, parseMysqlUrl } from '../../src/main/engine/store/db';
import { cancelRequestedOnNode, expiredLeases, runningOnNode } from '../../src/main/engine/store/jobs';
import { migrate, MIGRATIONS } from '../../src/main/engine/store/migrations';
import { createTestDatabase, type TestDatabase } from '../helpers/services';

/** Finished jobs of node n1: the history the queries for running jobs must not read through. */
const HISTORY = 20_000;

/** A database of this test's own, with no tables yet, and a pool on it. */
async function emptyDatabase(): Promise<{ db: TestDatabase; pool: Pool }> {
  const db = await createTestDatabase();
  const target = parseMysqlUrl(db.url);
  await ensureDatabase(target);
  return { db, pool: createPool(target, 2) };
}

async function indexNames(pool: Pool): Promise<Set<string>> {
  const [rows] = await pool.query<RowDataPacket[]>('SHOW INDEX FROM jobs');
  return new Set(rows.map((r) => String(r.Key_name)));
}

/**
 * Migration 6 dropped (status, lease_until) and (node_id, status), which every claim and finish
 * paid for. The queries for running jobs (the reaper, a starting node's own orphans, the cancel
 * requests the heartbeat reads) reach them through the ('running') range of (status, id): they
 * read about as many index entries as there are running jobs, however long a node's history.
 */
describe('queries for running jobs after migration 6 (real MariaDB)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let conn: PoolConnection;

  beforeAll(async () => {
    ({ db, pool } = await emptyDatabase());
    await migrate(pool, db.name);
    const job = (status: string, node: string, lease: string, cancel: number): string =>
      `(1, '${status}', 1, 3, NOW(3), NOW(3), '${node}', ${lease}, ${cancel}, NOW(3), NOW(3))`;
    const columns =
      '(task_id, status, attempt, max_attempts, scheduled_for, due_at, node_id, lease_until, cancel_requested, created_at, updated_at)';
    await pool.query(
      `INSERT INTO jobs ${columns} SELECT 1, 'succeeded', 1, 3, NOW(3), NOW(3), 'n1', NULL, 0, NOW(3), NOW(3) FROM seq_1_to_${HISTORY}`,
    );
    await pool.query(
      `INSERT INTO jobs ${columns} VALUES ${[
        job('running', 'n1', 'NOW(3) - INTERVAL 1 MINUTE', 0), // expired
        job('running', 'n1', 'NOW(3) + INTERVAL 1 MINUTE', 1), // cancel requested
        job('running', 'n1', 'NOW(3) + INTERVAL 1 MINUTE', 0),
        job('running', 'n2', 'NOW(3) - INTERVAL 1 MINUTE', 0), // expired, another node's
      ].join(', ')}`,
    );
    await pool.query('ANALYZE TABLE jobs');
    conn = await pool.getConnection();
  });

  afterAll(async () => {
    conn?.release();
    await pool?.end();
    await db?.drop();
  });

  /** Index and row reads of this connection's session while `fn` runs (Handler_read_*). */
  const reads = async <T>(fn: () => Promise<T>): Promise<{ result: T; reads: number }> => {
    const total = async (): Promise<number> => {
      const [rows] = await conn.query<RowDataPacket[]>("SHOW SESSION STATUS LIKE 'Handler_read%'");
      return rows.reduce((sum, r) => sum + Number(r.Value), 0);
    };
    const before = await total();
    const result = await fn();
    // SHOW STATUS reads no handler rows itself, so the difference is the query's.
    return { result, reads: (await total()) - before };
  };

  it('has neither dropped index', async () => {
    const names = await indexNames(pool);
    expect(names.has('idx_jobs_status_lease')).toBe(false);
    expect(names.has('idx_jobs_node_status')).toBe(false);
    expect(names.has('idx_jobs_status_id')).toBe(true);
  });

  it('the reaper finds the expired leases of every node by reading the running range only', async () => {
    const { result, reads: n } = await reads(() => expiredLeases(conn));
    expect(result.map((r) => r.node_id).sort()).toEqual(['n1', 'n2']);
    expect(n).toBeLessThan(50);
  });

  it("a starting node finds its own running jobs, not through its history's index", async () => {
    const { result, reads: n } = await reads(() => runningOnNode(conn, 'n1'));
    expect(result).toHaveLength(3);
    expect(n).toBeLessThan(50);
  });

  it('the heartbeat finds the cancel requests of its node as cheaply', async () => {
    const { result, reads: n } = await reads(() => cancelRequestedOnNode(conn, 'n1'));
    expect(result).toHaveLength(1);
    expect(n).toBeLessThan(50);
  });
});

describe('migration 6 on a database made before it (real MariaDB)', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    ({ db, pool } = await emptyDatabase());
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('drops the two indexes in place, keeps every job, and applies once', async () => {
    const before = MIGRATIONS.filter((m) => m.version < 6);
    expect(await migrate(pool, db.name, before)).toEqual(before.map((m) => m.version));
    expect(await indexNames(pool)).toContain('idx_jobs_status_lease');
    await pool.query(
      `INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, due_at, node_id, lease_until, created_at, updated_at)
       SELECT 1, IF(seq % 100 = 0, 'running', 'succeeded'), 1, 3, NOW(3), NOW(3), 'n1',
         IF(seq % 100 = 0, NOW(3) - INTERVAL 1 MINUTE, NULL), NOW(3), NOW(3) FROM seq_1_to_5000`,
    );

    expect(await migrate(pool, db.name)).toEqual([6]);
    const after = await indexNames(pool);
    expect(after.has('idx_jobs_status_lease')).toBe(false);
    expect(after.has('idx_jobs_node_status')).toBe(false);
    const [count] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM jobs');
    expect(Number(count[0]!.n)).toBe(5_000);
    expect(await expiredLeases(pool)).toHaveLength(50);
    expect(await runningOnNode(pool, 'n1')).toHaveLength(50);
    // A node that starts later finds nothing left to apply.
    expect(await migrate(pool, db.name)).toEqual([]);
  });
});
