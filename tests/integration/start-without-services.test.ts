import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startPrivateRedis, type PrivateServer } from '../../scripts/private-servers.mjs';
import { startNode, type TestNode } from '../helpers/engine';
import {
  createTestDatabase,
  dropPrefix,
  MYSQL_ROOT_URL,
  testPrefix,
  waitFor,
  type TestDatabase,
} from '../helpers/services';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';

/**
 * A node starts whatever the state of Redis and MySQL (issue 11): it shows them down, refuses
 * writes with STORE_UNAVAILABLE, and connects on its own once they answer, migrating a database
 * it has never seen. The shared servers are never touched: MySQL is reached through a TCP proxy
 * that refuses connections until the test lets them through, and Redis is a private instance
 * started late on a port nothing listened on.
 */
describe('starting with the services down', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
  });

  const mysqlTarget = (): { host: string; port: number } => {
    const u = new URL(MYSQL_ROOT_URL);
    return { host: u.hostname, port: Number(u.port || 3306) };
  };

  async function proxiedDatabase(): Promise<{ db: TestDatabase; proxy: TcpProxy; url: string }> {
    const db = await createTestDatabase();
    const proxy = await startTcpProxy(mysqlTarget());
    proxy.cut();
    cleanups.push(
      () => db.drop(),
      () => proxy.close(),
    );
    const root = new URL(MYSQL_ROOT_URL);
    root.host = `127.0.0.1:${proxy.port}`;
    return { db, proxy, url: `${root.toString().replace(/\/+$/, '')}/${db.name}` };
  }

  async function start(opts: { mysqlUrl: string; redisUrl?: string }): Promise<TestNode> {
    const prefix = testPrefix();
    const node = await startNode({
      mysqlUrl: opts.mysqlUrl,
      prefix,
      config: opts.redisUrl === undefined ? {} : { redisUrl: opts.redisUrl },
    });
    cleanups.push(async () => {
      await node.stop();
      if (opts.redisUrl === undefined) await dropPrefix(prefix);
    });
    return node;
  }

  async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
    return promise.then(
      () => undefined,
      (err: { code?: string }) => err.code,
    );
  }

  async function databaseExists(name: string): Promise<boolean> {
    const u = new URL(MYSQL_ROOT_URL);
    const conn = await mysql.createConnection({ host: u.hostname, port: Number(u.port || 3306), user: u.username });
    try {
      const [rows] = await conn.query('SHOW DATABASES LIKE ?', [name]);
      return (rows as unknown[]).length > 0;
    } finally {
      await conn.end();
    }
  }

  it('with MySQL down it starts, shows MySQL down, refuses writes, then migrates a new database and runs a job once MySQL answers', async () => {
    const { db, proxy, url } = await proxiedDatabase();
    const node = await start({ mysqlUrl: url });

    expect(node.engine.storeReady).toBe(false);
    const health = await node.call('health.get', {});
    expect(health.mysql.status).toBe('down');
    expect(await codeOf(node.call('tasks.create', { name: 'early', type: 'shell', command: 'true' }))).toBe(
      'STORE_UNAVAILABLE',
    );
    const refused = await node.api.call('tasks.list', {});
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/MySQL has not answered yet/);
    // Nothing was half-made: the database does not exist yet.
    expect(await databaseExists(db.name)).toBe(false);

    proxy.restore();
    await waitFor(async () => node.engine.storeReady, { timeoutMs: 15_000, what: 'the node to reach MySQL' });
    expect(await databaseExists(db.name)).toBe(true);
    await waitFor(async () => (await node.call('health.get', {})).mysql.status === 'up', {
      timeoutMs: 10_000,
      what: 'MySQL to show up',
    });

    const task = await node.call('tasks.create', { name: 'after', type: 'shell', command: 'echo ran' });
    const job = await waitFor(
      async () => {
        const page = await node.call('jobs.list', { taskId: task.id });
        return page.items.find((j) => j.status === 'succeeded');
      },
      { timeoutMs: 20_000, what: 'the job to succeed' },
    );
    expect(job.attempt).toBe(1);
  });

  it('with Redis down it starts, shows Redis down, and runs the job it accepted once Redis answers', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const port = await freePort();
    const redisUrl = `redis://127.0.0.1:${port}`;
    const node = await start({ mysqlUrl: db.url, redisUrl });

    expect(node.engine.storeReady).toBe(true);
    expect((await node.call('health.get', {})).redis.status).toBe('down');
    // MySQL is the truth: the task and its job are accepted; Redis is rebuilt from them later.
    const task = await node.call('tasks.create', { name: 'waits-for-redis', type: 'shell', command: 'echo ok' });

    const redis: PrivateServer = await startPrivateRedis({ port });
    cleanups.push(() => redis.stop());
    const job = await waitFor(
      async () => (await node.call('jobs.list', { taskId: task.id })).items.find((j) => j.status === 'succeeded'),
      { timeoutMs: 30_000, what: 'the job to run once Redis answered' },
    );
    expect(job.attempt).toBe(1);
    const client = new Redis(redisUrl);
    try {
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
  });

  it('with both down it starts, and stops at once while it still waits for them', async () => {
    const { url } = await proxiedDatabase();
    const node = await start({ mysqlUrl: url, redisUrl: `redis://127.0.0.1:${await freePort()}` });
    const health = await node.call('health.get', {});
    expect([health.redis.status, health.mysql.status]).toEqual(['down', 'down']);

    const started = performance.now();
    await node.stop();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(node.engine.storeReady).toBe(false);
  });
});
