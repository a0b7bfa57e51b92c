import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import {
  benchDatabase,
  benchPrefix,
  bullConnection,
  dropPrefix,
  fill,
  fmt,
  printTable,
  REDIS_URL,
  redisBytesUnder,
  sleep,
  startTickr,
} from './common';

/**
 * Memory of one node (Tickr, or a BullMQ worker with its queue) idle and with 100,000 jobs
 * waiting, plus what those jobs take in Redis. Each subject runs in a vitest worker process of its
 * own (one per bench file), and both load the same modules (this one imports the engine and
 * bullmq), so their numbers compare. The jobs are added by a separate process, as another node
 * or producer would add them, so the node's memory holds only what the node itself keeps.
 */
export type Subject = 'tickr' | 'bullmq';
const JOBS = 100_000;
const DAY_MS = 86_400_000;
const SETTLE_MS = 1_000;

interface Sample {
  rss: number;
  heapUsed: number;
}

export interface MemoryResult {
  baseline: Sample;
  idle: Sample;
  loaded: Sample;
  redisIdle: number;
  redisLoaded: number;
  /** For Tickr, the waiting sorted set alone (the one key that grows with jobs). */
  redisMainKey: number | null;
}

async function sample(): Promise<Sample> {
  if (!globalThis.gc) throw new Error('run with --expose-gc (bench/vitest.bench.config.ts sets it)');
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await sleep(50);
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed };
}

/** The baseline, once the start-up garbage of the worker process is collected and returned. */
async function settledSample(): Promise<Sample> {
  await sample();
  await sleep(SETTLE_MS);
  return sample();
}

async function measureTickr(redis: Redis): Promise<MemoryResult> {
  const db = benchDatabase();
  const prefix = benchPrefix('memory');
  const baseline = await settledSample();
  const node = await startTickr({ mysqlUrl: db.url, prefix, config: { concurrency: 8 } });
  try {
    const task = await node.call('tasks.create', {
      name: 'bench-memory',
      type: 'shell',
      command: 'true',
      enabled: false,
    });
    await sleep(SETTLE_MS);
    const idle = await sample();
    const redisIdle = (await redisBytesUnder(redis, node.prefix)).bytes;
    const filled = await fill({
      mode: 'tickr',
      mysql: db.url,
      task: task.id,
      n: JOBS,
      dueMs: Date.now() + DAY_MS,
      redis: REDIS_URL,
      waitingKey: `${node.prefix}waiting`,
    });
    expect(filled.jobs).toBe(JOBS);
    node.engine.context.wake.notify(); // the node looks at its queues, as after any new job
    await sleep(SETTLE_MS);
    const loaded = await sample();
    expect(await redis.zcard(`${node.prefix}waiting`)).toBe(JOBS);
    return {
      baseline,
      idle,
      loaded,
      redisIdle,
      redisLoaded: (await redisBytesUnder(redis, node.prefix)).bytes,
      redisMainKey: Number(await redis.memory('USAGE', `${node.prefix}waiting`, 'SAMPLES', 0)),
    };
  } finally {
    await node.stop();
    await dropPrefix(prefix);
    await db.drop();
  }
}

async function measureBullmq(redis: Redis): Promise<MemoryResult> {
  const prefix = benchPrefix('memory-bullmq');
  const connection = bullConnection();
  const baseline = await settledSample();
  const queue = new Queue('memory', { connection, prefix });
  const worker = new Worker('memory', async () => undefined, { connection, prefix, concurrency: 8 });
  try {
    await worker.waitUntilReady();
    await sleep(SETTLE_MS);
    const idle = await sample();
    const redisIdle = (await redisBytesUnder(redis, prefix)).bytes;
    const filled = await fill({ mode: 'bullmq', redis: REDIS_URL, prefix, queue: 'memory', n: JOBS, delayMs: DAY_MS });
    expect(filled.jobs).toBe(JOBS);
    await sleep(SETTLE_MS);
    const loaded = await sample();
    expect(await queue.getDelayedCount()).toBe(JOBS);
    return {
      baseline,
      idle,
      loaded,
      redisIdle,
      redisLoaded: (await redisBytesUnder(redis, prefix)).bytes,
      redisMainKey: null,
    };
  } finally {
    await worker.close();
    await queue.close();
    await dropPrefix(prefix);
  }
}

/** Results meet in a folder keyed by the vitest main process, the parent of both workers. */
const resultsDir = path.join(os.tmpdir(), `tickr-bench-memory-${process.ppid}`);

export async function memoryBench(subject: Subject): Promise<void> {
  const redis = new Redis(REDIS_URL);
  let result: MemoryResult;
  try {
    result = subject === 'tickr' ? await measureTickr(redis) : await measureBullmq(redis);
  } finally {
    redis.disconnect();
  }
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, `${subject}.json`), JSON.stringify(result));
  const other = path.join(resultsDir, `${subject === 'tickr' ? 'bullmq' : 'tickr'}.json`);
  if (!existsSync(other)) {
    process.stdout.write(
      `\n[memory] ${subject} measured; the comparison prints once the other memory bench file has run\n`,
    );
    return;
  }
  const results = {
    [subject]: result,
    [subject === 'tickr' ? 'bullmq' : 'tickr']: JSON.parse(readFileSync(other, 'utf8')) as MemoryResult,
  } as Record<Subject, MemoryResult>;
  rmSync(resultsDir, { recursive: true, force: true });
  printComparison(results.tickr, results.bullmq);
}

function printComparison(t: MemoryResult, b: MemoryResult): void {
  const row = (label: string, f: (r: MemoryResult) => number, show: (x: number) => string = fmt.mb): string[] => [
    label,
    show(f(t)),
    show(f(b)),
    fmt.ratio(f(t) / f(b)),
  ];
  const perJob = (x: number): string => `${fmt.n(x)} B`;
  printTable(
    `Memory: one node idle, and with ${fmt.n(JOBS)} jobs waiting (Tickr: waiting, due tomorrow; BullMQ: delayed by a day)`,
    ['', 'Tickr', 'BullMQ', 'Tickr / BullMQ'],
    [
      row('process RSS, idle', (r) => r.idle.rss),
      row(`process RSS, ${fmt.n(JOBS)} waiting`, (r) => r.loaded.rss),
      row('RSS the node adds (idle − before start)', (r) => r.idle.rss - r.baseline.rss),
      row('heap used, idle', (r) => r.idle.heapUsed),
      row(`heap used, ${fmt.n(JOBS)} waiting`, (r) => r.loaded.heapUsed),
      row('heap the node adds (idle − before start)', (r) => r.idle.heapUsed - r.baseline.heapUsed),
      row(`Redis: memory for ${fmt.n(JOBS)} jobs`, (r) => r.redisLoaded - r.redisIdle),
      row('Redis: bytes per job', (r) => (r.redisLoaded - r.redisIdle) / JOBS, perJob),
    ],
    [
      'Both measured the same way: a vitest worker process with the engine and bullmq loaded, after a forced GC.',
      'RSS drifts down by several MB after start-up in both (V8 hands pages back late): compare columns, not rows.',
      `Redis: sum of MEMORY USAGE … SAMPLES 0 over every key of the prefix (Tickr's waiting set alone: ${fmt.mb(t.redisMainKey ?? 0)}).`,
      "MySQL holds Tickr's job rows (the source of truth); BullMQ keeps its whole job in Redis.",
    ],
  );
}
