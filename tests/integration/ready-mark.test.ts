import type { RowDataPacket } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READY_MARK_DELAY_MS } from '../../src/main/engine/dispatch/promoter';
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
});
