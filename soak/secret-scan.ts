import { readdirSync, readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { RowDataPacket } from 'mysql2';
import type { Connection } from 'mysql2/promise';
import type { Job, LogPage, Page, SystemEvent } from '../src/shared/types';
import type { SoakNode } from './cluster';
import type { Violation } from './checks';
import type { RunLog } from './run-log';
import type { PlantedSecrets } from './secrets';

/**
 * Reads, through the API, what a person could see (events, task views, job pages and logs) so
 * that the answers land in api-answers.log, and dumps every Redis key and value into the run
 * folder: then the planted secrets are searched for in every file there and in every text column
 * of every MySQL table.
 */
async function readEverything(nodes: SoakNode[], redisUrl: string, log: RunLog, jobIds: string[]): Promise<void> {
  for (const n of nodes) {
    let cursor: string | null = null;
    do {
      const page: Page<SystemEvent> = await n.call('events.list', { limit: 200, ...(cursor ? { cursor } : {}) });
      cursor = page.nextCursor;
    } while (cursor);
    let taskCursor: string | null = null;
    do {
      const page: Page<unknown> = await n.call('tasks.list', {
        limit: 100,
        ...(taskCursor ? { cursor: taskCursor } : {}),
      });
      taskCursor = page.nextCursor;
    } while (taskCursor);
  }
  const reader = nodes[0]!;
  for (const id of jobIds) {
    await reader.call<Job>('jobs.get', { id });
    await reader.call<LogPage>('jobs.logs', { id, limit: 5000 });
  }
  await dumpRedis(redisUrl, log, 'end');
}

/**
 * Appends every Redis key with its type and value to redis-dump.txt: at the end, and every few
 * seconds during the soak (Redis is emptied and restored by the faults, so the end alone is not
 * all it held).
 */
export async function dumpRedis(redisUrl: string, log: RunLog, label: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null });
  redis.on('error', () => undefined); // Redis down for a fault: this dump is skipped
  try {
    await redis.connect();
    const out: string[] = [`# ${label} ${new Date().toISOString()}`];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        let value: unknown;
        if (type === 'string') value = await redis.get(key);
        else if (type === 'list') value = await redis.lrange(key, 0, -1);
        else if (type === 'set') value = await redis.smembers(key);
        else if (type === 'zset') value = await redis.zrange(key, 0, -1, 'WITHSCORES');
        else if (type === 'hash') value = await redis.hgetall(key);
        else if (type === 'stream') value = await redis.xrange(key, '-', '+');
        out.push(`${key}\t${type}\t${JSON.stringify(value)}`);
      }
    } while (cursor !== '0');
    log.append('redis-dump.txt', `${out.join('\n')}\n`);
  } finally {
    redis.disconnect();
  }
}

/** Every CHAR/TEXT/JSON/BLOB column of every table, searched in MySQL itself (no dump of big logs). */
async function scanMysql(db: Connection, database: string, secrets: [string, string][]): Promise<string[]> {
  const [cols] = await db.query<RowDataPacket[]>(
    `SELECT table_name AS t, column_name AS c FROM information_schema.columns
     WHERE table_schema=? AND data_type IN ('char','varchar','tinytext','text','mediumtext','longtext','json','blob','mediumblob','longblob')`,
    [database],
  );
  const hits: string[] = [];
  for (const { t, c } of cols) {
    for (const [name, value] of secrets) {
      const [rows] = await db.query<RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM \`${t}\` WHERE LOCATE(?, \`${c}\`) > 0`,
        [value],
      );
      if (Number(rows[0]?.n) > 0) hits.push(`the ${name} secret is in MySQL ${t}.${c} (${rows[0]?.n} rows)`);
    }
  }
  return hits;
}

export async function scanForSecrets(opts: {
  nodes: SoakNode[];
  redisUrl: string;
  db: Connection;
  database: string;
  log: RunLog;
  secrets: PlantedSecrets;
  /** Jobs whose pages and logs are read through the API (the secret task's, and a sample). */
  jobIds: string[];
}): Promise<{ violations: Violation[]; filesScanned: number; bytesScanned: number }> {
  await readEverything(opts.nodes, opts.redisUrl, opts.log, opts.jobIds);
  const secrets = Object.entries(opts.secrets) as [string, string][];
  const hits = await scanMysql(opts.db, opts.database, secrets);
  let bytes = 0;
  const files = readdirSync(opts.log.dir);
  for (const name of files) {
    const content = readFileSync(opts.log.file(name));
    bytes += content.length;
    for (const [secret, value] of secrets) {
      if (content.includes(value)) hits.push(`the ${secret} secret is in ${name}`);
    }
  }
  return {
    violations: hits.map((detail) => ({ check: 'secret', detail })),
    filesScanned: files.length,
    bytesScanned: bytes,
  };
}
