import path from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { startNode } from '../helpers/engine';
import { appendCommand, count, duplicates, queueTaskOnce, rows, sideEffects } from '../helpers/jobs';
import { isolated } from '../helpers/isolated';
import { REDIS_URL, tempDir, waitFor } from '../helpers/services';

/**
 * Faults inside a node: a crash in the middle of a queue move, a wake-up that arrives while the
 * scheduler computes, a rebuild racing with new jobs, a push to Redis that fails after the
 * insert. Each checks from MySQL and from side effects that nothing was lost or run twice.
 */
describe('node faults (real Redis and MariaDB)', () => {
  const env = isolated();

  it('1. a node killed between taking an id from Redis and claiming it in MySQL: the job runs once after restart', async () => {
    const dataDir = tempDir('tickr-node-1');
    let halted!: () => void;
    const taken = new Promise<void>((resolve) => (halted = resolve));
    const first = await startNode({
      mysqlUrl: env.db.url,
      prefix: env.prefix,
      dataDir: dataDir.path,
      faults: {
        // The id now sits in this node's active list; MySQL still says the job waits.
        afterTake: () => {
          halted();
          return new Promise<void>(() => undefined);
        },
      },
    });
    const file = path.join(env.dir, 'half-move.txt');
    const taskId = await queueTaskOnce(first, 'half', appendCommand(file));
    const job = await first.call('tasks.runNow', { id: taskId });
    await taken;
    await first.engine.halt();
    const redis = new Redis(REDIS_URL);
    expect(await redis.lrange(`${env.prefix}active:${first.engine.nodeId}`, 0, -1)).toEqual([job.id]);
    redis.disconnect();

    const second = await env.node({ dataDir: dataDir.path });
    expect(second.engine.nodeId).toBe(first.engine.nodeId);
    await waitFor(async () => (await second.call('jobs.get', { id: job.id })).status === 'succeeded', {
      what: 'the job to run after restart',
    });
    expect(sideEffects(file)).toEqual([`${job.id} 1`]);
    expect(await count(second.engine.context.pool, 'SELECT COUNT(*) FROM attempts WHERE job_id=?', [job.id])).toBe(1);
    dataDir.remove();
  });

  it('5. a job due in 50 ms created while the scheduler is busy computing still starts on time', async () => {
    let busy: Promise<void> | null = null;
    let release!: () => void;
    let holdNext = false;
    const node = await env.node({
      faults: {
        afterPromote: () => {
          if (!holdNext) return;
          holdNext = false;
          busy = new Promise<void>((r) => (release = r));
          return busy;
        },
      },
    });
    const file = path.join(env.dir, 'wakeup.txt');
    const taskId = await queueTaskOnce(node, 'warm-up', appendCommand(file));
    // Let the scheduler settle into its idle sleep, then hold it inside its next computation.
    await new Promise((r) => setTimeout(r, 200));
    holdNext = true;
    node.engine.context.wake.notify();
    await waitFor(async () => busy !== null, { what: 'the scheduler to be busy' });
    const created = await node.call('tasks.create', {
      name: 'soon',
      type: 'shell',
      command: appendCommand(file),
      schedule: { type: 'once', delayMs: 50 },
    });
    void taskId;
    await new Promise((r) => setTimeout(r, 20));
    release(); // the computation ends after the wake-up was sent
    const job = await waitFor(
      async () => {
        const j = (await node.call('jobs.list', { taskId: created.id })).items[0];
        return j && j.startedAt ? j : null;
      },
      { timeoutMs: 10_000, what: 'the job to start' },
    );
    const lateMs = new Date(job.startedAt!).getTime() - new Date(job.dueAt).getTime();
    expect(lateMs).toBeGreaterThanOrEqual(0);
    // The scheduler's idle sleep is 60 s: a lost wake-up would start it a minute late.
    expect(lateMs).toBeLessThan(1_000);
  });

  it('6. rebuilds racing with jobs being created: every job runs exactly once', async () => {
    const a = await env.node({ config: { concurrency: 4, nodeName: 'a' } });
    const b = await env.node({ config: { concurrency: 4, nodeName: 'b' } });
    const file = path.join(env.dir, 'race.txt');
    const taskId = await queueTaskOnce(a, 'race', appendCommand(file));
    const redis = new Redis(REDIS_URL);
    const ids: string[] = [];
    let wipes = 0;
    const creating = (async () => {
      for (let i = 0; i < 300; i++) ids.push((await (i % 2 ? a : b).call('tasks.runNow', { id: taskId })).id);
    })();
    // Meanwhile, wipe the queues and the generation marker again and again: each wipe forces a rebuild.
    while (ids.length < 300) {
      const keys = await redis.keys(`${env.prefix}*`);
      if (keys.length) await redis.del(...keys);
      wipes += 1;
      await new Promise((r) => setTimeout(r, 150));
    }
    await creating;
    redis.disconnect();
    const pool = a.engine.context.pool;
    await waitFor(async () => (await count(pool, "SELECT COUNT(*) FROM jobs WHERE status='succeeded'")) === 300, {
      timeoutMs: 60_000,
      what: '300 jobs to succeed',
    });
    const effects = sideEffects(file);
    expect(effects).toHaveLength(300);
    expect(duplicates(effects)).toEqual([]);
    expect(await count(pool, 'SELECT COUNT(*) FROM attempts')).toBe(300);
    expect(wipes).toBeGreaterThan(3);
    expect(await count(pool, "SELECT COUNT(*) FROM system_events WHERE kind='redis.rebuilt'")).toBeGreaterThan(1);
  });

  it('7. the push to Redis fails after the MySQL insert: the safety sweep queues the job and it runs', async () => {
    let failPush = true;
    const node = await env.node({
      config: { sweepMs: 1_000 },
      faults: {
        beforePush: () => {
          if (failPush) throw new Error('injected: Redis push failed');
        },
      },
    });
    const file = path.join(env.dir, 'sweep.txt');
    const taskId = await queueTaskOnce(node, 'lost push', appendCommand(file));
    const job = await node.call('tasks.runNow', { id: taskId });
    failPush = false;
    expect(job.status).toBe('waiting');
    const redis = new Redis(REDIS_URL);
    expect(await redis.zscore(`${env.prefix}waiting`, job.id)).toBeNull();
    redis.disconnect();
    await waitFor(async () => (await node.call('jobs.get', { id: job.id })).status === 'succeeded', {
      timeoutMs: 15_000,
      what: 'the swept job to run',
    });
    expect(sideEffects(file)).toEqual([`${job.id} 1`]);
    const events = await rows(
      node.engine.context.pool,
      "SELECT message, data_json FROM system_events WHERE kind='sweep.requeued'",
    );
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(events[0]!.data_json as string)).toMatchObject({ count: 1, jobs: 1 });
  });
});
