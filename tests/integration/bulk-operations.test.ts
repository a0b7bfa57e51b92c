import type { ResultSetHeader } from 'mysql2';
import { describe, expect, it } from 'vitest';
import type { BulkOperation } from '../../src/shared/types';
import type { TestNode } from '../helpers/engine';
import { isolated } from '../helpers/isolated';
import { bulkJobs, count } from '../helpers/jobs';
import { waitFor } from '../helpers/services';

/** Writes `n` jobs of a task in one status straight into MySQL: history to act on, made fast. */
async function history(node: TestNode, taskId: string, status: string, n: number, at = new Date()): Promise<void> {
  const pool = node.engine.context.pool;
  for (let i = 0; i < n; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, n - i) }, () => [taskId, status, 1, 1, at, at, at, at]);
    await pool.query<ResultSetHeader>(
      `INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, due_at, created_at, updated_at) VALUES ?`,
      [rows],
    );
  }
}

async function ended(node: TestNode, id: string): Promise<BulkOperation> {
  return waitFor(
    async () => {
      const op = await node.call('jobs.bulkGet', { id });
      return op.state === 'running' || op.state === 'stopping' ? null : op;
    },
    { timeoutMs: 60_000, what: `bulk operation ${id} to end` },
  );
}

async function shellTask(node: TestNode, name: string): Promise<string> {
  // Enabled (a disabled task's runs would end skipped, and be retried again), first due far ahead.
  const schedule = { type: 'once' as const, at: '2099-01-01T00:00:00Z' };
  return (await node.call('tasks.create', { name, type: 'shell', command: 'true', schedule, overlap: 'allow' })).id;
}

describe('bulk actions over a filter (real Redis and MariaDB)', () => {
  const iso = isolated('test');

  it('retries every failed job of one task once: dry run, progress, a second click joins, a second run finds none', async () => {
    const node = await iso.node();
    const a = await shellTask(node, 'a');
    const b = await shellTask(node, 'b');
    await history(node, a, 'failed', 600);
    await history(node, a, 'succeeded', 50);
    await history(node, b, 'failed', 40);
    const progress: BulkOperation[] = [];
    node.engine.bus.subscribe((m) => {
      if (m.event === 'bulk.progress') progress.push(m.data as BulkOperation);
    });

    const filter = { taskId: a, status: 'failed' as const };
    expect((await node.call('jobs.bulkPreview', { action: 'retry', filter })).matching).toBe(600);
    expect((await node.call('jobs.bulkPreview', { action: 'cancel', filter })).matching).toBe(0);

    // A double click: two starts at once, the second with the filter's keys in another order.
    const [op, again] = await Promise.all([
      node.call('jobs.bulkStart', { action: 'retry', filter }),
      node.call('jobs.bulkStart', { action: 'retry', filter: { status: 'failed', taskId: a } }),
    ]);
    expect(op.total).toBe(600);
    expect(again.id).toBe(op.id);
    expect(await node.call('jobs.bulkStart', { action: 'retry', filter })).toMatchObject({ id: op.id });

    const done = await ended(node, op.id);
    expect(done).toMatchObject({ state: 'finished', done: 600, skipped: 0, failed: 0 });
    const pool = node.engine.context.pool;
    expect(
      await count(pool, "SELECT COUNT(*) n FROM jobs WHERE task_id=? AND status='failed' AND retried_as IS NULL", [a]),
    ).toBe(0);
    // Each retry made exactly one new run of the task; task b and the succeeded jobs are untouched.
    expect(await count(pool, 'SELECT COUNT(DISTINCT retried_as) n FROM jobs WHERE task_id=?', [a])).toBe(600);
    // 600 failed, 50 succeeded, the task's own first run (2099) and the 600 retries.
    expect(await count(pool, 'SELECT COUNT(*) n FROM jobs WHERE task_id=?', [a])).toBe(1251);
    expect(await count(pool, 'SELECT COUNT(*) n FROM jobs WHERE task_id=?', [b])).toBe(41);
    // Progress went up in steps and ended with the final state.
    const counts = progress.filter((p) => p.id === op.id).map((p) => p.done);
    expect(counts.length).toBeGreaterThan(3);
    expect(counts).toEqual([...counts].sort((x, y) => x - y));
    expect(progress.at(-1)).toMatchObject({ id: op.id, state: 'finished', done: 600 });

    expect((await node.call('jobs.bulkPreview', { action: 'retry', filter })).matching).toBe(0);
    const [detail] = (await node.call('jobs.list', { taskId: a, status: 'failed', limit: 1 })).items;
    expect((await node.call('jobs.get', { id: detail!.id })).retriedAs).toMatch(/^\d+$/);
    const ops = await node.call('jobs.bulkList', {});
    expect(ops.items.map((o) => o.id)).toContain(op.id);
  });

  it('stops half-way when asked, and what it did matches its counts', async () => {
    const node = await iso.node();
    const c = await shellTask(node, 'c');
    await history(node, c, 'failed', 3000);
    const op = await node.call('jobs.bulkStart', { action: 'retry', filter: { taskId: c } });
    await waitFor(async () => ((await node.call('jobs.bulkGet', { id: op.id })).done > 0 ? true : null), {
      timeoutMs: 20_000,
      what: 'the first retries',
    });
    expect((await node.call('jobs.bulkStop', { id: op.id })).state).toMatch(/stopping|stopped/);
    const stopped = await ended(node, op.id);
    expect(stopped.state).toBe('stopped');
    expect(stopped.done).toBeLessThan(3000);
    const pool = node.engine.context.pool;
    expect(await count(pool, 'SELECT COUNT(*) n FROM jobs WHERE task_id=? AND retried_as IS NOT NULL', [c])).toBe(
      stopped.done,
    );
    expect((await node.call('jobs.bulkPreview', { action: 'retry', filter: { taskId: c } })).matching).toBe(
      3000 - stopped.done,
    );
  });

  it('cancels every waiting job a filter matches, in MySQL and in the Redis queue', async () => {
    const node = await iso.node();
    const d = await shellTask(node, 'd');
    const later = new Date(Date.now() + 3_600_000);
    await bulkJobs(
      node,
      d,
      Array.from({ length: 300 }, () => later),
    );
    await history(node, d, 'succeeded', 20, later);
    // 300 waiting, and the task's own first run.
    expect((await node.call('jobs.bulkPreview', { action: 'cancel', filter: { taskId: d } })).matching).toBe(301);
    const op = await node.call('jobs.bulkStart', { action: 'cancel', filter: { taskId: d } });
    const done = await ended(node, op.id);
    expect(done, String(done.firstError)).toMatchObject({ state: 'finished', total: 301, done: 301, failed: 0 });
    const pool = node.engine.context.pool;
    expect(
      await count(pool, "SELECT COUNT(*) n FROM jobs WHERE task_id=? AND status IN ('waiting','ready')", [d]),
    ).toBe(0);
    const snapshot = await node.call('queues.snapshot', {});
    expect(snapshot.waiting.count + snapshot.ready.count).toBe(0);
  });

  it('refuses bad requests with the field named, and filters history by node, time and id', async () => {
    const node = await iso.node();
    const e = await shellTask(node, 'e');
    await history(node, e, 'failed', 5, new Date('2026-01-01T00:00:00Z'));
    await history(node, e, 'failed', 3, new Date('2026-06-01T00:00:00Z'));

    const refused = async (method: 'jobs.bulkPreview' | 'jobs.bulkGet' | 'jobs.list', input: unknown) => {
      const res = await node.api.call(method, input);
      expect(res.ok).toBe(false);
      return res.ok ? null : res.error;
    };
    expect((await refused('jobs.bulkPreview', { action: 'delete' }))?.message).toMatch(/action/);
    expect(
      await refused('jobs.bulkPreview', {
        action: 'retry',
        filter: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
      }),
    ).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/to/) });
    expect(await refused('jobs.bulkGet', { id: 'bulk-00000000-0000' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refused('jobs.list', { nodeId: 'x' })).toMatchObject({ code: 'BAD_INPUT' });

    const range = await node.call('jobs.list', { from: '2026-05-01T00:00:00Z', to: '2026-07-01T00:00:00Z' });
    expect(range.items).toHaveLength(3);
    const one = range.items[0]!;
    expect((await node.call('jobs.list', { id: one.id })).items.map((j) => j.id)).toEqual([one.id]);
    expect((await node.call('jobs.list', { nodeId: node.engine.nodeId })).items).toHaveLength(0);
    await node.engine.context.pool.query('UPDATE jobs SET node_id=? WHERE id=?', [node.engine.nodeId, one.id]);
    expect((await node.call('jobs.list', { nodeId: node.engine.nodeId })).items.map((j) => j.id)).toEqual([one.id]);
  });
});
