import type { ResultSetHeader } from 'mysql2';
import type { Pool } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { keysUnder } from '../../bench/lib/common';
import type { RetentionCounts } from '../../src/shared/types';
import type { TestNode } from '../helpers/engine';
import { isolated } from '../helpers/isolated';
import { count, rows } from '../helpers/jobs';

const DAY = 86_400_000;

interface Seed {
  status: 'waiting' | 'ready' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'skipped';
  /** Finished this many days ago (finished jobs only). */
  daysAgo?: number;
  logs?: number;
}

/**
 * Writes one job straight into MySQL, with an attempt and `logs` log chunks when it ran. Pending
 * jobs are due tomorrow and a running one holds a lease for an hour on a node that is not this
 * one, so neither the promoter, the sweep nor the lease reaper touches them during a test.
 */
async function seedJob(pool: Pool, taskId: string, s: Seed): Promise<string> {
  const now = Date.now();
  const finished = s.daysAgo === undefined ? null : new Date(now - s.daysAgo * DAY);
  const created = new Date(now - (s.daysAgo ?? 1) * DAY - 60_000);
  const due = s.status === 'waiting' || s.status === 'ready' ? new Date(now + DAY) : created;
  const running = s.status === 'running';
  const [res] = await pool.query<ResultSetHeader>(
    `INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, due_at, started_at, finished_at,
       node_id, claim_token, lease_until, created_at, updated_at) VALUES (?)`,
    [
      [
        taskId,
        s.status,
        s.status === 'waiting' || s.status === 'ready' ? 0 : 1,
        3,
        created,
        due,
        finished ?? (running ? new Date(now) : null),
        finished,
        running ? 'another-node' : null,
        running ? 'a'.repeat(32) : null,
        running ? new Date(now + 3_600_000) : null,
        created,
        finished ?? created,
      ],
    ],
  );
  const id = String(res.insertId);
  if (finished || running) {
    await pool.query(
      `INSERT INTO attempts (job_id, attempt, node_id, claim_token, started_at, finished_at, outcome) VALUES (?)`,
      [[id, 1, 'another-node', 'a'.repeat(32), created, finished, running ? 'running' : s.status]],
    );
  }
  const logs = s.logs ?? 0;
  if (logs > 0) {
    await pool.query('INSERT INTO job_logs (job_id, seq, attempt, stream, at, text) VALUES ?', [
      Array.from({ length: logs }, (_, k) => [id, k + 1, 1, 'stdout', created, `line ${k}`]),
    ]);
  }
  return id;
}

async function task(node: TestNode, name: string): Promise<string> {
  return (await node.call('tasks.create', { name, type: 'shell', command: 'true', enabled: false })).id;
}

async function existing(pool: Pool, ids: string[]): Promise<string[]> {
  const r = await rows(pool, 'SELECT id FROM jobs WHERE id IN (?) ORDER BY id', [ids]);
  return r.map((x) => String(x.id));
}

const logCount = (pool: Pool, id: string): Promise<number> =>
  count(pool, 'SELECT COUNT(*) FROM job_logs WHERE job_id = ?', [id]);

/** Every job id any Redis list or sorted set under the prefix holds. */
async function idsInRedis(node: TestNode, prefix: string): Promise<Set<string>> {
  const redis = node.engine.context.redis;
  const out = new Set<string>();
  for (const key of await keysUnder(redis, prefix)) {
    const type = await redis.type(key);
    if (type === 'zset') for (const m of await redis.zrange(key, 0, -1)) out.add(m);
    if (type === 'list') for (const m of await redis.lrange(key, 0, -1)) out.add(m);
  }
  return out;
}

describe('retention: pruning job history, logs and events by policy (real MySQL and Redis)', () => {
  const env = isolated('test');

  it('prunes exactly what the policy says, keeps pending, running, the newest and live retries, and records the counts', async () => {
    const node = await env.node({ config: { retentionBatchSize: 3, retentionPauseMs: 1 } });
    const pool = node.engine.context.pool;
    const [a, b, c] = [await task(node, 'a'), await task(node, 'b'), await task(node, 'c')];

    const aOld = await seedJob(pool, a, { status: 'succeeded', daysAgo: 40, logs: 3 });
    const aRetried = await seedJob(pool, a, { status: 'failed', daysAgo: 40, logs: 1 });
    const aWaiting = await seedJob(pool, a, { status: 'waiting' });
    const aRunning = await seedJob(pool, a, { status: 'running', logs: 1 });
    const aReady = await seedJob(pool, a, { status: 'ready' });
    const aRetry = await seedJob(pool, a, { status: 'waiting' });
    await pool.query('UPDATE jobs SET retried_as = ? WHERE id = ?', [aRetry, aRetried]);
    const aSucceeded10 = await seedJob(pool, a, { status: 'succeeded', daysAgo: 10, logs: 2 });
    const aFailed10 = await seedJob(pool, a, { status: 'failed', daysAgo: 10, logs: 2 });
    const aSucceeded1 = await seedJob(pool, a, { status: 'succeeded', daysAgo: 1, logs: 2 });

    const bCancelled = await seedJob(pool, b, { status: 'cancelled', daysAgo: 50, logs: 1 });
    const bSkipped = await seedJob(pool, b, { status: 'skipped', daysAgo: 45, logs: 1 });
    const bNewest = await seedJob(pool, b, { status: 'succeeded', daysAgo: 40, logs: 2 });

    // Task c: a running job first, then 8 recent successes; the cap (5) keeps the newest five.
    const cRunning = await seedJob(pool, c, { status: 'running' });
    const cDone: string[] = [];
    for (let i = 0; i < 8; i++) cDone.push(await seedJob(pool, c, { status: 'succeeded', daysAgo: 1, logs: 1 }));

    // Events are written as they happen, so ids follow time: start the table afresh in that order.
    await pool.query('DELETE FROM system_events');
    await pool.query('INSERT INTO system_events (at, level, kind, message) VALUES (?), (?)', [
      [new Date(Date.now() - 40 * DAY), 'info', 'test.old', 'old'],
      [new Date(Date.now() - DAY), 'info', 'test.recent', 'recent'],
    ]);

    const set = await node.call('retention.set', { maxJobsPerTask: 5 });
    expect(set.policy).toEqual({ keepDays: 30, maxJobsPerTask: 5, succeededLogDays: 7, eventDays: 30 });

    const outcome = await node.engine.retention.runOnce();
    const pruned = [aOld, bCancelled, bSkipped, ...cDone.slice(0, 3)];
    const expected: RetentionCounts = { jobs: 6, attempts: 6, logChunks: 3 + 1 + 1 + 3 + 2 + 2, events: 1 };
    expect(outcome).toMatchObject({ ran: true, counts: expected, stopped: false });

    expect(await existing(pool, pruned)).toEqual([]);
    const kept = [
      aRetried,
      aWaiting,
      aRunning,
      aReady,
      aRetry,
      aSucceeded10,
      aFailed10,
      aSucceeded1,
      bNewest,
      cRunning,
    ];
    kept.push(...cDone.slice(3));
    expect(await existing(pool, kept)).toEqual([...kept].sort((x, y) => Number(x) - Number(y)));
    // Attempts and logs went with their jobs.
    expect(await count(pool, 'SELECT COUNT(*) FROM attempts WHERE job_id IN (?)', [pruned])).toBe(0);
    expect(await count(pool, 'SELECT COUNT(*) FROM job_logs WHERE job_id IN (?)', [pruned])).toBe(0);
    // Succeeded jobs past 7 days lost their logs, kept their row and attempt; others kept theirs.
    expect(await logCount(pool, aSucceeded10)).toBe(0);
    expect(await logCount(pool, bNewest)).toBe(0);
    expect(await count(pool, 'SELECT COUNT(*) FROM attempts WHERE job_id = ?', [aSucceeded10])).toBe(1);
    expect(await logCount(pool, aFailed10)).toBe(2);
    expect(await logCount(pool, aSucceeded1)).toBe(2);
    expect(await logCount(pool, aRetried)).toBe(1);
    expect(await logCount(pool, aRunning)).toBe(1);
    // Old events went, recent ones stayed.
    const kinds = (await rows(pool, 'SELECT kind FROM system_events')).map((r) => String(r.kind));
    expect(kinds).not.toContain('test.old');
    expect(kinds).toContain('test.recent');

    // The run is an event with its counts, and retention.get reports it as the last run.
    const events = await node.call('events.list', { kind: 'retention.pruned' });
    expect(events.items).toHaveLength(1);
    expect(events.items[0]!.data).toMatchObject({ ...expected, stopped: false });
    const state = await node.call('retention.get', {});
    expect(state.lastRun?.counts).toEqual(expected);
    expect(state.running).toBe(false);
    expect(state.nextRunAt).not.toBeNull();

    // No Redis queue names a pruned job.
    const inRedis = await idsInRedis(node, env.prefix);
    expect(pruned.filter((id) => inRedis.has(id))).toEqual([]);

    // A second run finds nothing more to prune.
    expect(await node.engine.retention.runOnce()).toMatchObject({
      ran: true,
      counts: { jobs: 0, attempts: 0, logChunks: 0, events: 0 },
    });
  });

  it('a retry that finished no longer holds its origin back', async () => {
    const node = await env.node();
    const pool = node.engine.context.pool;
    const t = await task(node, 't');
    const origin = await seedJob(pool, t, { status: 'failed', daysAgo: 40 });
    const retry = await seedJob(pool, t, { status: 'failed', daysAgo: 39 });
    await pool.query('UPDATE jobs SET retried_as = ? WHERE id = ?', [retry, origin]);
    const newest = await seedJob(pool, t, { status: 'succeeded', daysAgo: 1 });
    await node.engine.retention.runOnce();
    expect(await existing(pool, [origin, retry, newest])).toEqual([newest]);
  });

  it('a small batch size still prunes everything due, in many batches', async () => {
    const node = await env.node({ config: { retentionBatchSize: 7, retentionPauseMs: 0 } });
    const pool = node.engine.context.pool;
    const t = await task(node, 't');
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push(await seedJob(pool, t, { status: 'failed', daysAgo: 31 + (i % 5), logs: 3 }));
    const outcome = await node.engine.retention.runOnce();
    // The newest of the task stays; each pruned job took its attempt and three log chunks along.
    expect(outcome).toMatchObject({ ran: true, counts: { jobs: 59, attempts: 59, logChunks: 177, events: 0 } });
    expect(await count(pool, 'SELECT COUNT(*) FROM jobs WHERE task_id = ?', [t])).toBe(1);
    expect(await count(pool, 'SELECT COUNT(*) FROM job_logs')).toBe(3);
  });

  it('two nodes pruning at once: one runs, the other finds the lock taken and does nothing', async () => {
    const config = { retentionBatchSize: 20, retentionPauseMs: 20 };
    const first = await env.node({ config });
    const second = await env.node({ config });
    const pool = first.engine.context.pool;
    const t = await task(first, 't');
    const now = new Date();
    const old = new Date(now.getTime() - 40 * DAY);
    // 400 old finished jobs: 20 batches with a pause between, long enough for the overlap.
    await pool.query(
      'INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, due_at, finished_at, created_at, updated_at) VALUES ?',
      [Array.from({ length: 400 }, () => [t, 'succeeded', 1, 3, old, old, old, old, old])],
    );
    const [x, y] = await Promise.all([first.engine.retention.runOnce(), second.engine.retention.runOnce()]);
    const ran = [x, y].filter((o) => o.ran);
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatchObject({ counts: { jobs: 399 } });
    expect(await count(pool, 'SELECT COUNT(*) FROM jobs WHERE task_id = ?', [t])).toBe(1);
    expect(await count(pool, "SELECT COUNT(*) FROM system_events WHERE kind = 'retention.pruned'")).toBe(1);
    // Released at the end: the other node can prune next time.
    expect(await second.engine.retention.runOnce()).toMatchObject({ ran: true, counts: { jobs: 0 } });
  });

  it('a node that stops mid-run ends the run after its batch and frees the lock', async () => {
    const node = await env.node({ config: { retentionBatchSize: 10, retentionPauseMs: 200 } });
    const other = await env.node();
    const pool = node.engine.context.pool;
    const t = await task(node, 't');
    const old = new Date(Date.now() - 40 * DAY);
    await pool.query(
      'INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, due_at, finished_at, created_at, updated_at) VALUES ?',
      [Array.from({ length: 200 }, () => [t, 'succeeded', 1, 3, old, old, old, old, old])],
    );
    const run = node.engine.retention.runOnce();
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    await node.engine.retention.stop();
    expect(Date.now() - t0).toBeLessThan(2_000);
    const outcome = await run;
    expect(outcome).toMatchObject({ ran: true, stopped: true });
    const left = await count(other.engine.context.pool, 'SELECT COUNT(*) FROM jobs WHERE task_id = ?', [t]);
    expect(left).toBeGreaterThan(1);
    expect(left).toBeLessThan(200);
    // The lock is free: the other node prunes the rest.
    expect(await other.engine.retention.runOnce()).toMatchObject({ ran: true, counts: { jobs: left - 1 } });
  });

  it('the timer prunes on its own once the node is ready, and tells when it tries next', async () => {
    const node = await env.node({ config: { retentionStartDelayMs: 200, retentionIntervalMs: 60_000 } });
    const pool = node.engine.context.pool;
    const t = await task(node, 't');
    const old = await seedJob(pool, t, { status: 'succeeded', daysAgo: 40 });
    await seedJob(pool, t, { status: 'succeeded', daysAgo: 1 });
    await new Promise<void>((resolve) => {
      const off = node.engine.bus.subscribe((m) => {
        if (m.event === 'event.appended' && (m.data as { kind: string }).kind === 'retention.pruned') {
          off();
          resolve();
        }
      });
    });
    expect(await existing(pool, [old])).toEqual([]);
    const state = await node.call('retention.get', {});
    expect(state.lastRun?.counts.jobs).toBe(1);
    // The next try is an interval after this one.
    expect(Date.parse(state.nextRunAt!) - Date.now()).toBeGreaterThan(50_000);
  });

  it('retention.runNow prunes in the background and retention.set refuses bad values naming the field', async () => {
    const node = await env.node();
    const pool = node.engine.context.pool;
    const t = await task(node, 't');
    await seedJob(pool, t, { status: 'failed', daysAgo: 40 });
    await seedJob(pool, t, { status: 'failed', daysAgo: 1 });
    const appended = new Promise<void>((resolve) => {
      const off = node.engine.bus.subscribe((m) => {
        if (m.event === 'event.appended' && (m.data as { kind: string }).kind === 'retention.pruned') {
          off();
          resolve();
        }
      });
    });
    await node.call('retention.runNow', {});
    await appended;
    expect(await count(pool, 'SELECT COUNT(*) FROM jobs WHERE task_id = ?', [t])).toBe(1);

    const bad = await node.api.call('retention.set', { keepDays: 0 });
    expect(bad).toEqual({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringMatching(/^keepDays: /) } });
    expect((await node.call('retention.get', {})).policy.keepDays).toBe(30);
  });
});
