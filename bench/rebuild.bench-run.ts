import { performance } from 'node:perf_hooks';
import type { RowDataPacket } from 'mysql2';
import { expect, it } from 'vitest';
import {
  benchDatabase,
  benchPrefix,
  dropPrefix,
  fill,
  fmt,
  keysUnder,
  median,
  printTable,
  startTickr,
  type BenchNode,
} from './lib/common';

/**
 * "Redis lost its state": 100,000 waiting jobs in MySQL, every key under the node's prefix gone,
 * then the engine's rebuild. Target: at most 2 s. The machine's own limit is the least the same
 * job needs here: one SELECT of the 100,000 ids and due times, and ZADDs of 1,000 ids each.
 */
const JOBS = 100_000;
const RUNS = 3;
const TARGET_MS = 2_000;

/** Deletes every key under the node's prefix (the shared Redis keeps everyone else's). */
async function loseRedisState(node: BenchNode): Promise<void> {
  const redis = node.engine.context.redis;
  const keys = await keysUnder(redis, node.prefix);
  for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
}

/**
 * Runs the engine's rebuild. The node's own health probe (every second) also notices the missing
 * marker and may start the same rebuild first; ours then finds the work done and returns null, and
 * the time comes from the `redis.rebuilt` event the rebuild records either way.
 */
async function rebuild(node: BenchNode): Promise<{ jobs: number; ms: number; wallMs: number }> {
  const t0 = performance.now();
  const result = await node.engine.redisState.rebuild('bench');
  const wallMs = performance.now() - t0;
  if (result) return { ...result, wallMs };
  const [rows] = await node.engine.context.pool.query<RowDataPacket[]>(
    "SELECT data_json FROM system_events WHERE kind='redis.rebuilt' ORDER BY id DESC LIMIT 1",
  );
  const data = JSON.parse(String(rows[0]?.data_json)) as { jobs: number; ms: number };
  return { jobs: data.jobs, ms: data.ms, wallMs: data.ms };
}

async function machineLimit(node: BenchNode): Promise<number> {
  const { pool, redis } = node.engine.context;
  const scratch = `${node.prefix}bench-floor`;
  const t0 = performance.now();
  const [rows] = await pool.query<RowDataPacket[]>("SELECT id, due_at FROM jobs WHERE status='waiting'");
  const pipe = redis.pipeline();
  for (let i = 0; i < rows.length; i += 1000)
    pipe.zadd(scratch, ...rows.slice(i, i + 1000).flatMap((r) => [(r.due_at as Date).getTime(), String(r.id)]));
  await pipe.exec();
  const ms = performance.now() - t0;
  expect(await redis.zcard(scratch)).toBe(JOBS);
  await redis.del(scratch);
  return ms;
}

it(`rebuilds Redis from MySQL: ${fmt.n(JOBS)} waiting jobs`, async () => {
  const db = benchDatabase();
  const prefix = benchPrefix('rebuild');
  const node = await startTickr({ mysqlUrl: db.url, prefix, config: { concurrency: 2 } });
  try {
    const task = await node.call('tasks.create', {
      name: 'bench-rebuild',
      type: 'shell',
      command: 'true',
      enabled: false,
    });
    // Due tomorrow: the rebuilt ids stay waiting, none is promoted or run.
    const filled = await fill({ mode: 'tickr', mysql: db.url, task: task.id, n: JOBS, dueMs: Date.now() + 86_400_000 });
    expect(filled.jobs).toBe(JOBS);

    const runs: { ms: number; wallMs: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      await loseRedisState(node);
      const r = await rebuild(node);
      expect(r.jobs).toBe(JOBS);
      expect(await node.engine.context.redis.zcard(`${node.prefix}waiting`)).toBe(JOBS);
      runs.push(r);
    }
    const limitMs = await machineLimit(node);

    const ms = runs.map((r) => r.ms);
    const wall = runs.map((r) => r.wallMs);
    printTable(
      `Rebuild of the Redis queues from MySQL: ${fmt.n(JOBS)} waiting jobs (${RUNS} runs)`,
      ['', 'min', 'median', 'vs 2 s target', 'vs machine limit'],
      [
        [
          'rebuild (as recorded by the engine)',
          `${fmt.n(Math.min(...ms))} ms`,
          `${fmt.n(median(ms))} ms`,
          fmt.ratio(median(ms) / TARGET_MS),
          fmt.ratio(median(ms) / limitMs),
        ],
        [
          'rebuild() call, lock and checks included',
          `${fmt.n(Math.min(...wall))} ms`,
          `${fmt.n(median(wall))} ms`,
          fmt.ratio(median(wall) / TARGET_MS),
          fmt.ratio(median(wall) / limitMs),
        ],
        [
          'machine limit: 1 SELECT + ZADD 1,000 ids per command',
          `${fmt.n(limitMs)} ms`,
          '',
          fmt.ratio(limitMs / TARGET_MS),
          '1.00×',
        ],
      ],
      [
        `Ratios are times: below 1.00× is within the target. ${fmt.n(JOBS)} jobs were loaded into MySQL in ${fmt.n(filled.ms ?? 0)} ms (not timed here).`,
      ],
    );
  } finally {
    await node.stop();
    await dropPrefix(prefix);
    await db.drop();
  }
});
