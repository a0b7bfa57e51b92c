import type { Redis } from 'ioredis';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { MysqlServerInfo, RedisPersistence, RedisServerInfo } from '../../../shared/types';

/**
 * Server facts change rarely (a version, a memory limit, how Redis persists), so they are read once
 * a minute and after each reconnect, never per probe: an idle node must stay under one Redis
 * command a second (tests/integration/idle-node.test.ts). Each read is one INFO and one CONFIG GET.
 */
export const SERVER_INFO_EVERY_MS = 60_000;

/** `INFO`'s `key:value` lines as a map; section headers and blank lines are skipped. */
export function parseInfo(info: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of info.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) out.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return out;
}

function numberOf(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/**
 * How Redis keeps its data across a restart: RDB when `save` has rules, AOF when `aof_enabled`.
 * `save` is null when CONFIG is not allowed (managed services rename it): then only AOF is known.
 */
export function persistenceOf(aofEnabled: string | undefined, save: string | null): RedisPersistence {
  const aof = aofEnabled === '1';
  if (save === null) return aof ? 'aof' : 'unknown';
  const rdb = save.trim() !== '';
  if (rdb && aof) return 'rdb+aof';
  if (rdb) return 'rdb';
  return aof ? 'aof' : 'none';
}

export function redisInfoFrom(info: string, save: string | null, readAt: Date): RedisServerInfo {
  const fields = parseInfo(info);
  const maxmemory = numberOf(fields.get('maxmemory'));
  return {
    version: fields.get('redis_version') ?? null,
    usedMemoryBytes: numberOf(fields.get('used_memory')),
    // 0 means no limit: Redis grows until the OS says no.
    maxmemoryBytes: maxmemory === 0 ? null : maxmemory,
    maxmemoryPolicy: fields.get('maxmemory_policy') ?? null,
    persistence: persistenceOf(fields.get('aof_enabled'), save),
    readAt: readAt.toISOString(),
  };
}

async function readSaveRules(redis: Redis): Promise<string | null> {
  try {
    const answer = (await redis.config('GET', 'save')) as unknown;
    return Array.isArray(answer) && typeof answer[1] === 'string' ? answer[1] : null;
  } catch {
    return null;
  }
}

/** Reads and keeps the latest server facts of Redis and MySQL; failures keep the last good read. */
export class ServerInfoReader {
  redis: RedisServerInfo | null = null;
  mysql: MysqlServerInfo | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly redisClient: Redis,
    private readonly pool: Pool,
    private readonly everyMs: number = SERVER_INFO_EVERY_MS,
  ) {}

  start(): void {
    this.stop();
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Reads both servers now (calls during a read share it). */
  refresh(): Promise<void> {
    this.reading ??= Promise.all([this.refreshRedis(), this.refreshMysql()])
      .then(() => undefined)
      .finally(() => {
        this.reading = null;
      });
    return this.reading;
  }

  async refreshRedis(): Promise<void> {
    // A Redis that is down gets no command queued for later (ioredis would hold it until reconnect).
    if (this.redisClient.status !== 'ready') return;
    try {
      const info = await this.redisClient.info();
      this.redis = redisInfoFrom(info, await readSaveRules(this.redisClient), new Date());
    } catch {
      // The probe reports the outage; the last facts read stay shown until the next read.
    }
  }

  async refreshMysql(): Promise<void> {
    try {
      const [rows] = await this.pool.query<RowDataPacket[]>('SELECT VERSION() AS v');
      const version = rows[0]?.v;
      this.mysql = { version: typeof version === 'string' ? version : null, readAt: new Date().toISOString() };
    } catch {
      // As for Redis: MySQL's probe shows it down.
    }
  }
}
