import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { version as bullmqVersion } from 'bullmq/package.json';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import {
  benchDatabase,
  benchPrefix,
  bullConnection,
  dropPrefix,
  fmt,
  printTable,
  REDIS_URL,
  sleep,
  startTickr,
} from './lib/common';
import { QUICK, recordFigures, round, sized } from './lib/figures';

/**
 * What an idle node costs: Redis commands per second and CPU (% of one core) of a Tickr node with
 * nothing to do, beside an idle BullMQ Worker (and its Queue) at the same concurrency. Commands
 * are counted in this process, at ioredis's sendCommand, which every command of both goes through
 * (plain calls, pipelines, MULTI, Lua); nothing else in this process talks to Redis during the
 * window, so the count is exact and the shared Redis's other users do not show in it. These are
 * the commands a client sends (what MONITOR shows per connection); the redis.call()s inside a Lua
 * script are not counted again, as INFO commandstats would count them. The full
 * run's window is 30 s, the safety sweep's default period, so the sweep is in it once.
 */
const WINDOW_MS = sized(30_000, 3_000);
/** BullMQ's idle traffic is its blocking pop timing out (every 5 s by default): 10 s show it twice. */
const BULLMQ_WINDOW_MS = sized(10_000, 2_000);
const SETTLE_MS = sized(2_000, 1_000); // start-up work (first sweep, orphan reaping, announcements) is not idle
const CONCURRENCY = 8;

interface Idle {
  redisCommandsPerSec: number | null;
  /**
   * Tickr only: the same window counted by the server, as INFO commandstats would (the
   * redis.call()s inside scripts included), from MONITOR on the node's own connections.
   */
  serverCommandsPerSec?: number | null;
  serverCommandsByName?: Record<string, number>;
  cpuPercentOfCore: number | null;
  commandsByName: Record<string, number>;
}

type SendCommand = (this: Redis, command: { name: string }, ...rest: unknown[]) => unknown;
const proto = Redis.prototype as unknown as { sendCommand: SendCommand };
const original = proto.sendCommand;
let counts: Map<string, number> | null = null;
proto.sendCommand = function (command, ...rest) {
  if (counts) counts.set(command.name, (counts.get(command.name) ?? 0) + 1);
  return original.call(this, command, ...rest);
};

interface ServerCounted {
  connections: number;
  commands: number;
  seconds: number;
  byName: Record<string, number>;
}

interface ServerCount {
  /** Resolves with the count once the child's window (as long as ours) is over. */
  result: Promise<ServerCounted>;
}

const MONITOR_SCRIPT = fileURLToPath(new URL('./lib/monitor-count.mjs', import.meta.url));

/** Starts bench/lib/monitor-count.mjs on the node's connections; resolves once its MONITOR is on. */
async function serverCount(nodeId: string, ms: number): Promise<ServerCount> {
  const child = spawn(
    process.execPath,
    [MONITOR_SCRIPT, `--redis=${REDIS_URL}`, `--name=tickr:${nodeId}:`, `--ms=${ms}`],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  let ready: () => void = () => undefined;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const result = new Promise<ServerCounted>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.startsWith('ready\n')) ready();
    });
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.slice('ready\n'.length)))
        : reject(new Error(`monitor-count exited with ${code}`)),
    );
  });
  await isReady;
  return { result };
}

/** Counts every Redis command and this process's CPU over the window. */
async function idleWindow(windowMs: number, startServerCount?: () => Promise<ServerCount>): Promise<Idle> {
  await sleep(SETTLE_MS);
  // The start-up's garbage is collected now, not in the window: left to itself, V8's memory
  // reducer collects it once some seconds into an idle process (about 100 ms of CPU in one
  // profile, 16 s after start), which is start-up work, not what idling costs.
  (globalThis as { gc?: () => void }).gc?.();
  const server = await startServerCount?.();
  counts = new Map();
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await sleep(windowMs);
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - t0) / 1000;
  const counted = server ? await server.result : undefined;
  // The child must have found the node's connections, or its zero would look like a result.
  if (counted) expect(counted.connections).toBeGreaterThan(0);
  const byName = Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
  counts = null;
  const total = Object.values(byName).reduce((s, n) => s + n, 0);
  return {
    redisCommandsPerSec: round(total / seconds),
    ...(counted
      ? { serverCommandsPerSec: round(counted.commands / counted.seconds), serverCommandsByName: counted.byName }
      : {}),
    cpuPercentOfCore: round(((used.user + used.system) / 1000 / (seconds * 1000)) * 100),
    commandsByName: byName,
  };
}

async function tickrIdle(): Promise<Idle> {
  const db = benchDatabase();
  const prefix = benchPrefix('idle');
  const node = await startTickr({ mysqlUrl: db.url, prefix, config: { concurrency: CONCURRENCY } });
  try {
    return await idleWindow(WINDOW_MS, () => serverCount(node.engine.nodeId, WINDOW_MS));
  } finally {
    await node.stop();
    await dropPrefix(prefix);
    await db.drop();
  }
}

async function bullmqIdle(): Promise<Idle> {
  const prefix = benchPrefix('bullmq-idle');
  const connection = bullConnection();
  const queue = new Queue('idle', { connection, prefix });
  const worker = new Worker('idle', async () => undefined, { connection, prefix, concurrency: CONCURRENCY });
  try {
    await queue.waitUntilReady();
    await worker.waitUntilReady();
    return await idleWindow(BULLMQ_WINDOW_MS);
  } finally {
    await worker.close();
    await queue.close();
    await dropPrefix(prefix);
  }
}

it(`idle node: Redis commands/s and CPU over ${WINDOW_MS / 1000} s`, async () => {
  const bull = await bullmqIdle();
  const tickr = await tickrIdle();
  // A node that sent nothing at all would mean the counting missed its connections.
  expect(Object.keys(tickr.commandsByName).length).toBeGreaterThan(0);
  const names = (i: Idle): string =>
    Object.entries(i.commandsByName)
      .map(([name, n]) => `${name} ${n}`)
      .join(', ');
  printTable(
    `Idle node: Redis commands and CPU over ${WINDOW_MS / 1000} s${QUICK ? ' (quick)' : ''}`,
    ['', 'Redis commands/s', "the same, scripts' calls included", 'CPU, % of a core'],
    [
      [
        `BullMQ ${bullmqVersion} (Worker + Queue)`,
        fmt.n(bull.redisCommandsPerSec ?? NaN, 2),
        '',
        fmt.n(bull.cpuPercentOfCore ?? NaN, 2),
      ],
      [
        'Tickr',
        fmt.n(tickr.redisCommandsPerSec ?? NaN, 2),
        fmt.n(tickr.serverCommandsPerSec ?? NaN, 2),
        fmt.n(tickr.cpuPercentOfCore ?? NaN, 2),
      ],
    ],
    [
      `Tickr: ${names(tickr)}.`,
      `BullMQ: ${names(bull)}.`,
      'Commands a client sends (as MONITOR shows them per connection); "scripts\' calls included": also the',
      'redis.call()s inside the scripts they run, as INFO commandstats counts them (from MONITOR, Tickr only).',
      `CPU is this whole process (the vitest worker included), after a settle of ${SETTLE_MS / 1000} s from start and a full GC.`,
    ],
  );
  recordFigures('idle', {
    windowMs: WINDOW_MS,
    bullmqWindowMs: BULLMQ_WINDOW_MS,
    concurrency: CONCURRENCY,
    tickr,
    bullmq: bull,
  });
});
