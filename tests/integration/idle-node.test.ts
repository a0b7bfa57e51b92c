import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateServer } from '../../scripts/private-servers.mjs';
import { startNode, type TestNode } from '../helpers/engine';
import { bulkJobs, count, queueTaskOnce } from '../helpers/jobs';
import { createTestDatabase, testPrefix, waitFor, type TestDatabase } from '../helpers/services';

/**
 * An idle node's cost to Redis, and its health probe: one plain command (INCR of the MySQL probe
 * counter), whose counter is also how a node sees Redis lose its keys without a reconnect
 * (recovery/redis-state.ts). Each test has a private redis-server, so the server's own command
 * counts (INFO commandstats, scripts' own calls included) are the nodes' alone.
 */
describe('an idle node and its health probe (private redis-server, real MariaDB)', () => {
  let db: TestDatabase;
  let redis: PrivateServer;
  let admin: Redis;
  const prefix = testPrefix();
  const nodes: TestNode[] = [];

  beforeEach(async () => {
    db = await createTestDatabase();
    redis = await startPrivateRedis();
    admin = new Redis(redis.url);
  });

  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.stop();
    admin.disconnect();
    await redis.stop();
    await db.drop();
  });

  const node = async (name: string): Promise<TestNode> => {
    const n = await startNode({
      mysqlUrl: db.url,
      prefix,
      config: { redisUrl: redis.url, nodeName: name, sweepMs: 60_000 },
    });
    nodes.push(n);
    return n;
  };

  /** Every command the server ran, scripts' own calls included, except `except`'s. */
  async function serverCommands(except: readonly string[]): Promise<Record<string, number>> {
    const stats = String(await admin.info('commandstats'));
    const calls: Record<string, number> = {};
    for (const m of stats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      if (!except.includes(m[1]!)) calls[m[1]!] = Number(m[2]);
    }
    return calls;
  }

  it('an idle node costs the server at most one command a second, counted by the server', async () => {
    await node('idle');
    await new Promise((r) => setTimeout(r, 1_500)); // past the start's own commands
    await admin.config('RESETSTAT');
    const seconds = 10;
    await new Promise((r) => setTimeout(r, seconds * 1_000));
    // The admin connection's own INFO and CONFIG are not the node's.
    const calls = await serverCommands(['info', 'config|resetstat', 'config']);
    const total = Object.values(calls).reduce((a, b) => a + b, 0);
    expect(total, JSON.stringify(calls)).toBeLessThanOrEqual(seconds);
    expect(calls.incr, JSON.stringify(calls)).toBeGreaterThanOrEqual(seconds / 1.25 - 1); // it does probe
    expect(calls.evalsha ?? 0).toBe(0);
  }, 30_000);

  it('FLUSHALL under two idle nodes: the next probes see the counter go back, and exactly one rebuilds', async () => {
    const a = await node('a');
    await node('b');
    const pool = a.engine.context.pool;
    const rebuilds = () => count(pool, "SELECT COUNT(*) FROM system_events WHERE kind='redis.rebuilt'");
    expect(await rebuilds()).toBe(1); // the first start's, on an empty Redis
    const seeded = Number(await admin.get(`${prefix}mysql-probes`));
    expect(seeded).toBeGreaterThan(Date.now() * 1000 - 60_000_000); // seeded by that rebuild

    const taskId = await queueTaskOnce(a, 'after-flush', 'true');
    const [later] = await bulkJobs(a, taskId, [new Date(Date.now() + 60_000)]);
    expect(await admin.zscore(`${prefix}waiting`, later!)).not.toBeNull();
    await admin.flushall();
    await waitFor(async () => (await rebuilds()) === 2, { timeoutMs: 10_000, what: 'the rebuild after FLUSHALL' });
    // Both nodes looked (the counter went back for each); the one that waited for the rebuild's
    // lock found the markers matching and skipped, so the count stays at one rebuild.
    await new Promise((r) => setTimeout(r, 1_500)); // past a probe of each node
    expect(await rebuilds()).toBe(2);
    expect(Number(await admin.get(`${prefix}mysql-probes`))).toBeGreaterThan(seeded);
    expect(await admin.get(`${prefix}generation`)).toBe('2');
    // The job due in a minute is back in its waiting set.
    expect(await admin.zscore(`${prefix}waiting`, later!)).not.toBeNull();
  }, 40_000);
});
