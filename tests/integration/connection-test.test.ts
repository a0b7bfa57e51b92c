import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startPrivateRedis, type PrivateServer } from '../../scripts/private-servers.mjs';
import { testConnection } from '../../src/main/engine/health/connection-test';
import { createTestDatabase, MYSQL_ROOT_URL, REDIS_URL, type TestDatabase } from '../helpers/services';

/**
 * "Test connection" against real servers and deliberately wrong targets: each failure comes back
 * with the code of its cause, and no answer ever holds the password it was given.
 */
const root = new URL(MYSQL_ROOT_URL);
const mysqlAt = (user: string, password: string, database: string, query = ''): string =>
  `mysql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${root.hostname}:${root.port || 3306}/${database}${query}`;

async function asRoot<T>(fn: (conn: mysql.Connection) => Promise<T>): Promise<T> {
  const conn = await mysql.createConnection({
    host: root.hostname,
    port: Number(root.port || 3306),
    user: decodeURIComponent(root.username || 'root'),
    password: decodeURIComponent(root.password),
  });
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

describe('settings.testConnection: Redis', () => {
  let evicting: PrivateServer | null = null;
  afterAll(async () => evicting?.stop());

  it('passes against the shared Redis and reports its version', async () => {
    const r = await testConnection({ service: 'redis', url: REDIS_URL });
    expect(r.problem).toBeNull();
    expect(r.ok).toBe(true);
    expect(r.serverVersion).toMatch(/^\d+\.\d+/);
  });

  it('says the connection was refused on a free port', async () => {
    const port = await freePort();
    const r = await testConnection({ service: 'redis', url: `redis://127.0.0.1:${port}` });
    expect(r.ok).toBe(false);
    expect(r.problem?.code).toBe('REFUSED');
    expect(r.problem?.message).toContain(`127.0.0.1:${port}`);
  });

  it('says the name did not resolve', async () => {
    const r = await testConnection({ service: 'redis', url: 'redis://nonexistent.invalid:6379' });
    expect(r.problem?.code).toBe('NAME_NOT_RESOLVED');
    expect(r.problem?.message).toContain('nonexistent.invalid');
  });

  it('says the TLS handshake failed when a plain server is spoken to with TLS', async () => {
    const u = new URL(REDIS_URL);
    const r = await testConnection({ service: 'redis', url: `rediss://${u.host}`, timeoutMs: 2_000 });
    expect(r.problem?.code).toBe('TLS_HANDSHAKE');
  });

  it('says authentication failed, without the password in the answer', async () => {
    const password = `wrong-${randomBytes(6).toString('hex')}`;
    const u = new URL(REDIS_URL);
    const r = await testConnection({
      service: 'redis',
      url: `redis://nobody-${randomBytes(3).toString('hex')}:${password}@${u.host}`,
    });
    expect(r.problem?.code).toBe('AUTH_FAILED');
    expect(JSON.stringify(r)).not.toContain(password);
  });

  it('warns when maxmemory-policy may evict keys (a private Redis with allkeys-lru)', async () => {
    evicting = await startPrivateRedis();
    const redis = new Redis(evicting.url);
    await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
    redis.disconnect();
    const r = await testConnection({ service: 'redis', url: evicting.url });
    expect(r.ok).toBe(true);
    expect(r.warnings.join(' ')).toMatch(/maxmemory-policy is allkeys-lru/);
  });
});

describe('settings.testConnection: MySQL', () => {
  let db: TestDatabase;
  const user = `tickr_t_${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  beforeAll(async () => {
    db = await createTestDatabase();
    await asRoot(async (c) => {
      await c.query(`CREATE DATABASE \`${db.name}\``);
      // Enough to connect and read, not to create, alter or index: the rights check must say so.
      await c.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
      await c.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON \`${db.name}\`.* TO '${user}'@'%'`);
    });
  });
  afterAll(async () => {
    await asRoot((c) => c.query(`DROP USER IF EXISTS '${user}'@'%'`));
    await db.drop();
  });

  it('passes as root, with the version and every right checked in a scratch table', async () => {
    const r = await testConnection({ service: 'mysql', url: db.url });
    expect(r.problem).toBeNull();
    expect(r.serverVersion).toMatch(/^\d+\.\d+/);
    const [left] = await asRoot((c) =>
      c.query<mysql.RowDataPacket[]>(
        `SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE 'tickr_rights_check_%'`,
        [db.name],
      ),
    );
    expect(left).toHaveLength(0);
  });

  it('says authentication failed for a wrong password, never echoing it', async () => {
    const wrong = `nope-${randomBytes(6).toString('hex')}`;
    const r = await testConnection({ service: 'mysql', url: mysqlAt('root', wrong, db.name) });
    expect(r.problem?.code).toBe('AUTH_FAILED');
    expect(JSON.stringify(r)).not.toContain(wrong);
  });

  it('says which right the user lacks', async () => {
    const r = await testConnection({ service: 'mysql', url: mysqlAt(user, password, db.name) });
    expect(r.problem?.code).toBe('MISSING_RIGHTS');
    expect(r.problem?.message).toMatch(/CREATE right/);
    expect(JSON.stringify(r)).not.toContain(password);
  });

  it('says the connection was refused on a free port, and the name did not resolve', async () => {
    const port = await freePort();
    const refused = await testConnection({ service: 'mysql', url: `mysql://root@127.0.0.1:${port}/x` });
    expect(refused.problem?.code).toBe('REFUSED');
    const unresolved = await testConnection({ service: 'mysql', url: 'mysql://root@nonexistent.invalid:3306/x' });
    expect(unresolved.problem?.code).toBe('NAME_NOT_RESOLVED');
  });

  it('says the TLS handshake failed against a server without TLS', async () => {
    const r = await testConnection({ service: 'mysql', url: `${db.url}?tls=1` });
    expect(r.problem?.code).toBe('TLS_HANDSHAKE');
  });

  it('refuses a CA file that cannot be read, naming the parameter', async () => {
    const r = await testConnection({ service: 'mysql', url: `${db.url}?tls=1&tls-ca=/nonexistent/ca.pem` });
    expect(r.problem?.code).toBe('BAD_SETTING');
    expect(r.problem?.message).toMatch(/^tls-ca: cannot read/);
  });
});
