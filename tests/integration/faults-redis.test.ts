import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateServer } from '../../scripts/private-servers.mjs';
import { startNode, type TestNode } from '../helpers/engine';
import { appendCommand, bulkJobs, count, duplicates, queueTaskOnce, rows, sideEffects } from '../helpers/jobs';
import { createTestDatabase, tempDir, testPrefix, waitFor, type TestDatabase } from '../helpers/services';

/**
 * Redis faults, each against a private redis-server on a free port (never the shared one):
 * restarts, a restore from an older snapshot, FLUSHALL, an outage while jobs fall due.
 */
describe('Redis faults (private redis-server, real MariaDB)', () => {
  let db: TestDatabase;
  let redis: PrivateServer;
  let redisDir: { path: string; remove(): void };
  const prefix = testPrefix();
  const nodes: TestNode[] = [];
  const dir = tempDir('tickr-redis-faults');

  beforeEach(async () => {
    db = await createTestDatabase();
    // A folder of the test's own, kept across restarts of the server (its dump.rdb lives there).
    redisDir = tempDir('tickr-redis');
    redis = await startPrivateRedis({ dir: redisDir.path });
  });

  afterAll(() => dir.remove());

  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.stop();
    await redis.stop();
    redisDir.remove();
    await db.drop();
  });

  const node = async (name: string, extra: Parameters<typeof startNode>[0]['config'] = {}): Promise<TestNode> => {
    const n = await startNode({ mysqlUrl: db.url, prefix, config: { redisUrl: redis.url, nodeName: name, ...extra } });
    nodes.push(n);
    return n;
  };

  /** Kills the Redis server and starts it again on the same port and folder, after `downMs`. */
  async function restartRedis(downMs = 300): Promise<void> {
    const { port, dir: redisDir } = redis;
    await redis.stop({ keepDir: true });
    await new Promise((r) => setTimeout(r, downMs));
    redis = await startPrivateRedis({ port, dir: redisDir });
  }

  it('3. two nodes and 1,000 jobs while Redis restarts twice: no job runs twice, none is lost', async () => {
    const a = await node('a', { concurrency: 4 });
    await node('b', { concurrency: 4 }); // the second node shares the work; its share is checked below
    const file = path.join(dir.path, 'restarts.txt');
    const taskId = await queueTaskOnce(a, 'restarts', appendCommand(file));
    const now = Date.now();
    await bulkJobs(
      a,
      taskId,
      Array.from({ length: 1_000 }, (_, i) => new Date(now + i * 3)),
    );
    const pool = a.engine.context.pool;
    const succeeded = (): Promise<number> => count(pool, "SELECT COUNT(*) FROM jobs WHERE status='succeeded'");
    await waitFor(async () => (await succeeded()) >= 250, { timeoutMs: 60_000, what: '250 jobs' });
    await restartRedis();
    await waitFor(async () => (await succeeded()) >= 600, { timeoutMs: 60_000, what: '600 jobs' });
    await restartRedis();
    await waitFor(async () => (await succeeded()) === 1_000, { timeoutMs: 90_000, what: 'all 1,000 jobs' });
    const effects = sideEffects(file);
    expect(effects).toHaveLength(1_000);
    expect(duplicates(effects)).toEqual([]);
    expect(await count(pool, 'SELECT COUNT(*) FROM attempts')).toBe(1_000);
    expect(await count(pool, "SELECT COUNT(*) FROM system_events WHERE kind='redis.rebuilt'")).toBeGreaterThanOrEqual(
      3,
    );
    const perNode = await rows(pool, 'SELECT node_id, COUNT(*) AS n FROM attempts GROUP BY node_id');
    expect(perNode).toHaveLength(2);
  });

  it('4. Redis restarted from an older snapshot: newer jobs still run, finished ones do not run again', async () => {
    const a = await node('a', { sweepMs: 600_000 });
    const file = path.join(dir.path, 'snapshot.txt');
    const taskId = await queueTaskOnce(a, 'snap', appendCommand(file));
    const pool = a.engine.context.pool;
    // At snapshot time: `early` waits (due in 1.5 s); the snapshot holds its id in the waiting set.
    const early = await bulkJobs(a, taskId, [new Date(Date.now() + 1_500)]);
    const client = new Redis(redis.url);
    await client.save();
    client.disconnect();
    // After the snapshot: `early` runs and finishes; `late` is created, due in 4 s.
    await waitFor(async () => (await a.call('jobs.get', { id: early[0]! })).status === 'succeeded', {
      what: 'early job',
    });
    const late = await bulkJobs(a, taskId, [new Date(Date.now() + 4_000)]);
    // Redis comes back from the old dump.rdb: `early` is back in waiting, `late` is unknown to it.
    await restartRedis();
    await waitFor(async () => (await a.call('jobs.get', { id: late[0]! })).status === 'succeeded', {
      timeoutMs: 20_000,
      what: 'late job',
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(sideEffects(file).sort()).toEqual([`${early[0]} 1`, `${late[0]} 1`].sort());
    expect(await count(pool, 'SELECT COUNT(*) FROM attempts')).toBe(2);
    const rebuilt = await rows(
      pool,
      "SELECT message FROM system_events WHERE kind='redis.rebuilt' ORDER BY id DESC LIMIT 1",
    );
    expect(rebuilt[0]?.message).toContain('run_id changed');
  });

  it('8. FLUSHALL with 10,000 waiting jobs: all run once, none before its due time', async () => {
    const a = await node('a', { concurrency: 16, sweepMs: 600_000 });
    const file = path.join(dir.path, 'flushall.txt');
    const taskId = await queueTaskOnce(a, 'flush', appendCommand(file));
    const start = Date.now() + 3_000;
    // Due over 3 s; the first third overdue by the time the rebuild is done.
    const dues = Array.from({ length: 10_000 }, (_, i) => new Date(start + Math.floor(i * 0.3)));
    await bulkJobs(a, taskId, dues);
    const client = new Redis(redis.url);
    expect(await client.zcard(`${prefix}waiting`)).toBe(10_000);
    await client.flushall();
    client.disconnect();
    const pool = a.engine.context.pool;
    await waitFor(async () => (await count(pool, "SELECT COUNT(*) FROM jobs WHERE status='succeeded'")) === 10_000, {
      timeoutMs: 240_000,
      intervalMs: 500,
      what: '10,000 jobs',
    });
    const effects = sideEffects(file);
    expect(effects).toHaveLength(10_000);
    expect(duplicates(effects)).toEqual([]);
    expect(await count(pool, 'SELECT COUNT(*) FROM jobs WHERE started_at < due_at')).toBe(0);
    const rebuilt = await rows(
      pool,
      "SELECT data_json FROM system_events WHERE kind='redis.rebuilt' ORDER BY id DESC LIMIT 1",
    );
    expect(JSON.parse(rebuilt[0]!.data_json as string)).toMatchObject({ jobs: 10_000 });
  }, 300_000); // 10,000 process spawns on 2 cores: about a minute, more on a busy machine

  it('10. Redis down for 10 s while jobs fall due: they all start within 1 s of its return', async () => {
    const a = await node('a', { concurrency: 8, sweepMs: 600_000 });
    const file = path.join(dir.path, 'outage.txt');
    const taskId = await queueTaskOnce(a, 'outage', appendCommand(file));
    const ids = await bulkJobs(
      a,
      taskId,
      Array.from({ length: 8 }, (_, i) => new Date(Date.now() + 2_000 + i * 500)),
    );
    const { port, dir: redisDir } = redis;
    await redis.stop({ keepDir: true });
    await waitFor(async () => a.engine.health().redis.status === 'down', {
      timeoutMs: 2_000,
      what: 'health to show Redis down',
    });
    await new Promise((r) => setTimeout(r, 10_000));
    expect(await count(a.engine.context.pool, 'SELECT COUNT(*) FROM attempts')).toBe(0);
    redis = await startPrivateRedis({ port, dir: redisDir });
    const back = Date.now();
    const pool = a.engine.context.pool;
    await waitFor(async () => (await count(pool, "SELECT COUNT(*) FROM jobs WHERE status='succeeded'")) === 8, {
      timeoutMs: 15_000,
      what: '8 jobs',
    });
    const started = await rows(pool, 'SELECT started_at FROM attempts ORDER BY started_at');
    for (const r of started) expect((r.started_at as Date).getTime() - back).toBeLessThan(1_000);
    expect(
      sideEffects(file)
        .map((l) => l.split(' ')[0])
        .sort(),
    ).toEqual([...ids].sort());
  });

  it('a node started while Redis is down comes up, and runs jobs once Redis appears', async () => {
    const { port, dir: redisDir } = redis;
    await redis.stop({ keepDir: true });
    const a = await node('a', { sweepMs: 600_000 });
    expect(a.engine.health().redis.status).toBe('down');
    const file = path.join(dir.path, 'late-redis.txt');
    // Creating a task needs only MySQL: it is durable, and queued once Redis is there.
    const task = await a.call('tasks.create', { name: 'early', type: 'shell', command: appendCommand(file) });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(sideEffects(file)).toEqual([]);
    redis = await startPrivateRedis({ port, dir: redisDir });
    await waitFor(async () => a.engine.health().redis.status === 'up', { timeoutMs: 5_000, what: 'Redis up' });
    const job = await waitFor(
      async () => (await a.call('jobs.list', { taskId: task.id })).items.find((j) => j.status === 'succeeded'),
      { timeoutMs: 10_000, what: 'the job' },
    );
    expect(sideEffects(file)).toEqual([`${job.id} 1`]);
  });
});
