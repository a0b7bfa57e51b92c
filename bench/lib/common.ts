import { performance } from 'node:perf_hooks';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { RowDataPacket } from 'mysql2';
import mysql from 'mysql2/promise';
import { request } from 'undici';
import { createApi } from '../../src/main/api';
import { defaultConfig, type EngineConfig } from '../../src/main/engine/config';
import type { FaultHooks } from '../../src/main/engine/context';
import { Engine } from '../../src/main/engine/engine';
import type { MethodInput, MethodName, MethodOutput } from '../../src/shared/contract';
import type { Job } from '../../src/shared/types';

/** The same shared servers (and variables) as the tests; a bench only creates its own keys and databases there. */
export const REDIS_URL = process.env.TICKR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const MYSQL_ROOT_URL = (process.env.TICKR_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');

// ---------------------------------------------------------------- isolation: own database, own prefix

export interface BenchDb {
  url: string;
  drop(): Promise<void>;
}

export function benchDatabase(): BenchDb {
  const name = `tickr_bench_${randomBytes(5).toString('hex')}`;
  return {
    url: `${MYSQL_ROOT_URL}/${name}`,
    async drop() {
      const conn = await mysql.createConnection(MYSQL_ROOT_URL);
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``).finally(() => conn.end());
    },
  };
}

export function benchPrefix(what: string): string {
  return `tickr-bench-${what}-${randomBytes(5).toString('hex')}`;
}

/** Every key under `prefix`, by SCAN (never KEYS or FLUSHALL: the Redis is shared). */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

export async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await keysUnder(redis, prefix);
    for (let i = 0; i < keys.length; i += 1000) await redis.unlink(...keys.slice(i, i + 1000));
  } finally {
    redis.disconnect();
  }
}

/** Sum of MEMORY USAGE (exact: SAMPLES 0) over every key under `prefix`. */
export async function redisBytesUnder(redis: Redis, prefix: string): Promise<{ keys: number; bytes: number }> {
  const keys = await keysUnder(redis, prefix);
  const pipe = redis.pipeline();
  for (const k of keys) pipe.memory('USAGE', k, 'SAMPLES', 0);
  const res = (await pipe.exec()) ?? [];
  return { keys: keys.length, bytes: res.reduce((sum, [, v]) => sum + Number(v ?? 0), 0) };
}

export function bullConnection(): ConnectionOptions {
  const u = new URL(REDIS_URL);
  // BullMQ workers need maxRetriesPerRequest: null on their blocking connection.
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    password: decodeURIComponent(u.password) || undefined,
    maxRetriesPerRequest: null,
  };
}

// ---------------------------------------------------------------- a Tickr node in this process

export interface BenchNode {
  engine: Engine;
  /** The engine's Redis key prefix (ends with ':'). */
  prefix: string;
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  stop(): Promise<void>;
}

/** Starts an engine on `mysqlUrl` with the key prefix `prefix:`. */
export async function startTickr(opts: {
  mysqlUrl: string;
  prefix: string;
  config?: Partial<EngineConfig>;
  /** Hooks into the node's path (the retention bench times the claim from afterTake). */
  faults?: FaultHooks;
}): Promise<BenchNode> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tickr-bench-node-'));
  const config: EngineConfig = {
    ...defaultConfig(dataDir),
    redisUrl: REDIS_URL,
    mysqlUrl: opts.mysqlUrl,
    redisPrefix: `${opts.prefix}:`,
    nodeName: 'bench',
    concurrency: 8,
    ...opts.config,
  };
  const engine = new Engine(config, {
    logger: {
      info: () => undefined,
      warn: (m) => console.warn(`[tickr] ${m}`),
      error: (m) => console.error(`[tickr] ${m}`),
    },
    faults: opts.faults,
  });
  await engine.start();
  const api = createApi(engine);
  return {
    engine,
    prefix: config.redisPrefix,
    async call(method, input) {
      const res = await api.call(method, input);
      if (!res.ok) throw new Error(`${method}: ${res.error.code}: ${res.error.message}`);
      return res.data as MethodOutput<typeof method>;
    },
    async stop() {
      await engine.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'skipped']);

/**
 * Resolves when `n` distinct jobs reached a final status on this engine's bus (no polling), with
 * the count of each status, e.g. { succeeded: n } when all went well.
 */
export function finishedJobs(engine: Engine, n: number, timeoutMs = 120_000): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const final = new Map<string, string>();
    const timer = setTimeout(() => {
      unsubscribe();
      // Say where the rest are, so a stuck run can be told from a slow one.
      engine.context.pool
        .query<RowDataPacket[]>('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status')
        .then(([rows]) => rows.map((r) => `${r.status}: ${r.n}`).join(', '))
        .catch((err: Error) => `statuses unknown: ${err.message}`)
        .then((statuses) =>
          reject(
            new Error(`only ${final.size} of ${n} jobs finished within ${timeoutMs} ms (jobs in MySQL: ${statuses})`),
          ),
        );
    }, timeoutMs);
    const unsubscribe = engine.bus.subscribe((m) => {
      if (m.event !== 'job.updated') return;
      const job = m.data as Job;
      if (!FINAL.has(job.status)) return;
      final.set(job.id, job.status);
      if (final.size < n) return;
      clearTimeout(timer);
      unsubscribe();
      const counts: Record<string, number> = {};
      for (const status of final.values()) counts[status] = (counts[status] ?? 0) + 1;
      resolve(counts);
    });
  });
}

// ---------------------------------------------------------------- bulk loading, out of process

const FILL_SCRIPT = fileURLToPath(new URL('./fill.mjs', import.meta.url));

/**
 * Runs bench/lib/fill.mjs in a child process: the bulk load is the work of "another node or
 * producer", so it never shows in this process's memory. Returns the child's JSON answer.
 */
export async function fill(args: Record<string, string | number>): Promise<Record<string, number>> {
  const argv = Object.entries(args).map(([k, v]) => `--${k}=${v}`);
  const { stdout } = await promisify(execFile)(process.execPath, [FILL_SCRIPT, ...argv], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as Record<string, number>;
}

// ---------------------------------------------------------------- numbers and tables

/** How many timed calls a query bench takes the median of (after one untimed warm-up call). */
export const TIMED_CALLS = 30;

/**
 * The median time of `calls` calls of `fn`, after one untimed call that warms the buffer pool for
 * this access path: what the jobs.list, Queues and Dashboard benches report per query.
 */
export async function medianTime(fn: () => Promise<unknown>, calls = TIMED_CALLS): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const fmt = {
  n: (x: number, digits = 0): string =>
    x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }),
  ratio: (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '—'),
  mb: (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`,
};

/** Prints an aligned table straight to stdout (vitest's console capture would decorate it). */
export function printTable(title: string, header: string[], rows: string[][], notes: string[] = []): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [
    '',
    `== ${title}`,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    ...notes.map((n) => `   ${n}`),
    '',
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * utime + stime of a process so far, in ms, from /proc/<pid>/stat (in 1/100 s ticks); null when
 * there is no such process or no /proc.
 */
export function processCpuMs(pid: number | string | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/**
 * CPU time (ms) of this process's job spawners (the engine's `node -e` child that forks shell
 * jobs, execution/workers/spawner): Tickr's Node CPU per job counts it with the engine's own, so
 * moving the forks out of the engine does not hide their cost. 0 where /proc is not there.
 */
export function spawnerCpuMs(): number {
  let total = 0;
  let children: string[] = [];
  try {
    children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/);
  } catch {
    return 0;
  }
  for (const pid of children.filter(Boolean)) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('The spawner process')) continue;
    } catch {
      continue; // The process ended meanwhile.
    }
    total += processCpuMs(pid) ?? 0;
  }
  return total;
}

/**
 * CPU time (ms) every process on this machine has spent so far, from the first line of
 * /proc/stat: user, nice, system, irq and softirq (not idle, iowait or the hypervisor's steal;
 * guest time is already inside user). Over a run phase it is the whole cost of the jobs, the
 * engine's or BullMQ's but also MySQL's, Redis's, the spawner's and the shells', which on a
 * machine with nothing else running bounds the rate at (cores × 1000) / (ms per job). null where
 * /proc is not there.
 */
export function machineBusyMs(): number | null {
  try {
    const [user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const ticks = [user, nice, system, irq, softirq].reduce<number>((sum, t) => sum + (t ?? 0), 0);
    return ticks * 10; // USER_HZ is 100 on every Linux Node supports: a tick is 10 ms
  } catch {
    return null;
  }
}

/**
 * One `/bin/sh -c true`, the shell job of the benchmarks, run directly (BullMQ's processor, the
 * limit). Its stdout and stderr are read through pipes until they close, as a Tickr shell job's
 * are (it records them), so that every side does the same work: with `stdio: 'ignore'`, as
 * before December 8th, 8 spawn loops ran 8–18 % faster at 0.13–0.16 ms less CPU per spawn.
 */
export function runTrue(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', 'true'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', () => undefined);
    child.stderr.on('data', () => undefined);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`sh exited with ${code}`))));
  });
}

/**
 * One GET of `url`, its body read, the HTTP job of the benchmarks; throws on an error status.
 * undici's request(), the client Tickr's HTTP jobs use (http-executor.ts), so that BullMQ's
 * processor and the machine limit do the same work as a Tickr job, and the ratios compare the
 * queues rather than two HTTP clients (fetch costs about four times the CPU per request).
 */
export async function get(url: string): Promise<void> {
  const res = await request(url);
  await res.body.text();
  if (res.statusCode >= 400) throw new Error(`HTTP ${res.statusCode}`);
}
