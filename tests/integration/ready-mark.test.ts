import type { RowDataPacket } from 'mysql2';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READY_MARK_DELAY_MS } from '../../src/main/engine/dispatch/promoter';
import { markReady } from '../../src/main/engine/store/jobs';
import { mysqlOnlyJobs } from '../helpers/jobs';
import { startNode, type TestNode } from '../helpers/engine';
import { createTestDatabase, dropPrefix, testPrefix, waitFor, type TestDatabase } from '../helpers/services';

/**
 * The ready status in MySQL (promoter.ts): written a moment after the promotion, for the jobs
 * still waiting for a worker then, never over a job claimed meanwhile.
 */
describe('marking promoted jobs ready (real engine, Redis and MariaDB)', () => {
  let db: TestDatabase;
  let prefix: string;
  let node: TestNode;

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testPrefix();
    // One worker: the long job holds it, and the jobs due after it wait in the ready list.
    node = await startNode({ mysqlUrl: db.url, prefix, config: { concurrency: 1, drainTimeoutMs: 500 } });
  });

  afterAll(async () => {
    await node?.stop();
    await dropPrefix(prefix);
    await db?.drop();
  });

  const statusOf = async (id: string): Promise<string> => {
    const [rows] = await node.engine.context.pool.query<RowDataPacket[]>('SELECT status FROM jobs WHERE id=?', [id]);
    return String(rows[0]!.status);
  };

  it('marks the jobs still waiting for a worker ready, and leaves the one that was claimed running', async () => {
    const common = { enabled: false, maxAttempts: 1, overlap: 'allow' } as const;
    const long = await node.call('tasks.create', { ...common, name: 'long', type: 'shell', command: 'sleep 3' });
    const quick = await node.call('tasks.create', { ...common, name: 'quick', type: 'shell', command: 'true' });
    const busy = await node.call('tasks.runNow', { id: long.id });
    await waitFor(async () => (await statusOf(busy.id)) === 'running', { what: 'the long job running' });
    const queued = [
      await node.call('tasks.runNow', { id: quick.id }),
      await node.call('tasks.runNow', { id: quick.id }),
    ];

    // Promoted at once, marked a moment later: ready in MySQL while the worker is busy.
    const marked = await waitFor(
      async () => {
        const statuses = await Promise.all(queued.map((j) => statusOf(j.id)));
        return statuses.every((s) => s === 'ready') ? statuses : null;
      },
      { timeoutMs: 2_500, what: 'both queued jobs marked ready' },
    );
    expect(marked).toEqual(['ready', 'ready']);
    // The mark went over the ids promoted with the long job's too: it stayed running.
    await new Promise((r) => setTimeout(r, READY_MARK_DELAY_MS * 2));
    expect(await statusOf(busy.id)).toBe('running');

    await waitFor(
      async () => (await Promise.all([busy, ...queued].map((j) => statusOf(j.id)))).every((s) => s === 'succeeded'),
      { timeoutMs: 15_000, what: 'all three succeeded' },
    );
  });
  it('does not wait for a running job whose row another transaction holds (the completion writing it)', async () => {
    const pool = node.engine.context.pool;
    const task = await node.call('tasks.create', { name: 'held', type: 'shell', command: 'true', enabled: false });
    // Rows only, not queued in Redis: the node never takes them. As many as a burst of due jobs
    // promotes at once: a mark this long reads its rows by id.
    const ids = await mysqlOnlyJobs(pool, task.id, 1_500);
    const [waiting, running] = [ids[0]!, ids[ids.length - 1]!];
    await pool.query("UPDATE jobs SET status='running', attempt=1 WHERE id=?", [running]);
    const other = await mysql.createConnection(db.url);
    try {
      await other.query('BEGIN');
      await other.query('SELECT id FROM jobs WHERE id=? FOR UPDATE', [running]);
      // Under REPEATABLE READ the mark waited for that lock (innodb_lock_wait_timeout, 50 s by default).
      const outcome = await Promise.race([
        markReady(pool, ids, new Date()).then(() => 'marked'),
        new Promise((r) => setTimeout(() => r('still waiting after 5 s'), 5_000)),
      ]);
      expect(outcome).toBe('marked');
      expect(await statusOf(waiting)).toBe('ready');
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      await other.end();
    }
    expect(await statusOf(running)).toBe('running');
  });
});
