import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';

/** The shared servers CI and developers run; tests only ever create their own keys and databases there. */
export const REDIS_URL = process.env.TICKR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const MYSQL_ROOT_URL = process.env.TICKR_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A database of its own for one test file, dropped afterwards. */
export async function createTestDatabase(rootUrl = MYSQL_ROOT_URL): Promise<TestDatabase> {
  const name = `tickr_t_${randomBytes(6).toString('hex')}`;
  const base = rootUrl.replace(/\/+$/, '');
  return {
    name,
    url: `${base}/${name}`,
    async drop() {
      const u = new URL(base);
      const conn = await mysql.createConnection({
        host: u.hostname,
        port: Number(u.port || 3306),
        user: u.username || 'root',
        password: decodeURIComponent(u.password),
      });
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}

export function testPrefix(): string {
  return `tickr-test-${randomUUID()}:`;
}

/** Deletes every key under `prefix`. */
export async function dropPrefix(prefix: string, url = REDIS_URL): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export function tempDir(label = 'tickr'): { path: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `${label}-`));
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function waitFor<T>(
  fn: () => Promise<T | null | undefined | false>,
  opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${opts.what ?? 'condition'}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
  }
}
