#!/usr/bin/env node
// `npm run bench`: Tickr against BullMQ on the same Redis (throughput, lateness, idle cost, two
// nodes, a large history, memory) and the Redis rebuild from MySQL, each printed as a table of
// ratios against BullMQ or this machine's limit. The benchmarks are bench/*.bench-run.ts, run by
// vitest (the engine imports its Lua scripts with Vite's `?raw`), one file per worker process, one
// file at a time. Extra arguments go to vitest, e.g. `npm run bench -- bench/rebuild.bench-run.ts`.
//
// `npm run bench -- --quick`: only the benches of the JSON line, each with fewer jobs
// (TICKR_BENCH_QUICK=1), in under a minute.
//
// Each bench writes its figures to a file in a temporary directory (TICKR_BENCH_FIGURES); at the
// end they are merged into one line, `BENCH_JSON {…}`, with the targets of issue 12 beside them.
//
// Like `npm test` it installs nothing and uses the Redis and MySQL at TICKR_TEST_REDIS_URL /
// TICKR_TEST_MYSQL_URL (default 127.0.0.1:6379 and root@127.0.0.1:3306), starting a private one
// for the run if one is not reachable and its server is installed. Each benchmark works in its own
// key prefix and database and removes them afterwards.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import { run, servicesForRun } from './private-servers.mjs';

/** The benches whose figures make up the JSON line: what --quick runs. */
const JSON_BENCHES = ['throughput', 'durable-floor', 'lateness', 'idle', 'two-nodes', 'large-db'].map(
  (b) => `bench/${b}.bench-run.ts`,
);

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const vitestArgs = args.filter((a) => a !== '--quick');
const explicitFiles = vitestArgs.some((a) => !a.startsWith('-'));

const services = await servicesForRun('bench');
const figuresDir = mkdtempSync(path.join(os.tmpdir(), 'tickr-bench-figures-'));

// Numbers are only as good as the machine is quiet: say how busy it was when the run started.
const [load] = os.loadavg();
console.log(
  `[bench] ${os.availableParallelism()} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, load average ${load.toFixed(2)}${quick ? ', quick mode' : ''}`,
);
if (load > os.availableParallelism() / 2)
  console.log('[bench] the machine is busy: other work competes with the benchmarks and skews the ratios');
// The two-node bench runs `tickr serve` processes from out/: build it from this tree first, so it
// never measures a stale build.
if (!explicitFiles || vitestArgs.some((a) => a.includes('two-nodes'))) {
  console.log('[bench] building out/ for the two-node bench (electron-vite build)');
  const built = await run(['electron-vite', 'build', '--logLevel', 'warn'], services.env);
  if (built !== 0) {
    await services.stop();
    process.exit(built);
  }
}
const started = Date.now();
const code = await run(
  [
    'vitest',
    'run',
    '--config',
    'bench/vitest.bench.config.ts',
    ...(quick && !explicitFiles ? JSON_BENCHES : []),
    ...vitestArgs,
  ],
  { ...services.env, TICKR_BENCH_FIGURES: figuresDir, ...(quick ? { TICKR_BENCH_QUICK: '1' } : {}) },
);
const line = await benchJson(load, Date.now() - started).catch((err) => {
  console.error(`[bench] could not assemble the JSON line: ${err.message}`);
  return null;
});
if (line) console.log(`BENCH_JSON ${JSON.stringify(line)}`);
rmSync(figuresDir, { recursive: true, force: true });
await services.stop();
process.exit(code);

/** Every section the benches wrote, the machine and versions, and each target of issue 12. */
async function benchJson(loadAtStart, wallMs) {
  const sections = {};
  for (const file of readdirSync(figuresDir)
    .filter((f) => f.endsWith('.json'))
    .sort())
    sections[path.basename(file, '.json')] = JSON.parse(readFileSync(path.join(figuresDir, file), 'utf8'));
  return {
    quick,
    wallSeconds: Math.round(wallMs / 1000),
    machine: await machine(loadAtStart),
    targets: targets(sections),
    ...sections,
  };
}

async function machine(loadAtStart) {
  const env = services.env;
  const redisUrl = env.TICKR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const mysqlUrl = env.TICKR_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
  const redis = new Redis(redisUrl, { lazyConnect: true });
  let redisVersion = null;
  try {
    await redis.connect();
    redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? null;
  } catch {
    redisVersion = null;
  } finally {
    redis.disconnect();
  }
  let mysqlVersion = null;
  let bufferPoolMb = null;
  try {
    const conn = await mysql.createConnection(mysqlUrl);
    const [rows] = await conn.query('SELECT VERSION() AS v, @@innodb_buffer_pool_size AS b');
    mysqlVersion = rows[0].v;
    bufferPoolMb = Math.round(Number(rows[0].b) / 2 ** 20);
    await conn.end();
  } catch {
    mysqlVersion = null;
  }
  const require = createRequire(import.meta.url);
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? null,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverageAtStart: Math.round(loadAtStart * 100) / 100,
    node: process.version,
    redis: redisVersion,
    mysql: mysqlVersion,
    innodbBufferPoolMb: bufferPoolMb,
    bullmq: require('bullmq/package.json').version,
  };
}

/**
 * The target table of issue 12, figure by figure: the measured value, the bound and whether it is
 * met (null when the bench that measures it did not run, or the target is "report it").
 */
function targets(s) {
  const at = (obj, ...keys) => keys.reduce((o, k) => (o == null ? undefined : o[k]), obj) ?? null;
  const row = (figure, value, op, bound) => ({
    figure,
    value,
    target: op ? `${op} ${bound}` : 'report',
    met: value === null || !op ? null : op === '>=' ? value >= bound : op === '<=' ? value <= bound : value < bound,
  });
  // The floor's cost per job in batches of `batch`, over BullMQ's HTTP job less the limit's GET.
  const floorOverBullmqQueue = (batch, floorFigure, httpFigure) =>
    ratioOf(
      at(s, 'durable-floor', 'byBatch', batch, floorFigure),
      difference(
        at(s, 'throughput', 'http', httpFigure, 'bullmq'),
        at(s, 'throughput', 'http', httpFigure, 'machineLimit'),
      ),
    );
  return [
    row('shell jobs/s, run phase: Tickr / BullMQ', at(s, 'throughput', 'shell', 'runRatio', 'tickrVsBullmq'), '>=', 1),
    row(
      'shell jobs/s, run phase: Tickr / spawn limit',
      at(s, 'throughput', 'shell', 'runRatio', 'tickrVsLimit'),
      '>=',
      0.9,
    ),
    row('HTTP jobs/s, run phase: Tickr / BullMQ', at(s, 'throughput', 'http', 'runRatio', 'tickrVsBullmq'), '>=', 1),
    row('Node CPU per shell job: Tickr / BullMQ', at(s, 'throughput', 'shell', 'cpuRatio'), '<=', 1),
    row('Node CPU per HTTP job: Tickr / BullMQ', at(s, 'throughput', 'http', 'cpuRatio'), '<=', 1),
    row('enqueue, 50 concurrent: Tickr / BullMQ adds', at(s, 'throughput', 'shell', 'addsRatio'), '>=', 1),
    row('lateness p99 (ms), jobs due over a spread: Tickr', at(s, 'lateness', 'spread', 'tickr', 'p99Ms'), '<=', 5),
    row('lateness p99 (ms), same: BullMQ', at(s, 'lateness', 'spread', 'bullmq', 'p99Ms')),
    row('lateness p99 (ms), far below capacity (full run only): Tickr', at(s, 'lateness', 'sparse', 'tickr', 'p99Ms')),
    row(
      'lateness p99 (ms), far below capacity (full run only): BullMQ',
      at(s, 'lateness', 'sparse', 'bullmq', 'p99Ms'),
    ),
    row('lateness p99 (ms), every worker busy: Tickr', at(s, 'lateness', 'busy', 'tickr', 'p99Ms')),
    row('lateness p99 (ms), every worker busy: BullMQ', at(s, 'lateness', 'busy', 'bullmq', 'p99Ms')),
    // The "3/s" counts as INFO commandstats does: a script's redis.call()s each count.
    row(
      "idle node: Redis commands/s, scripts' calls included",
      at(s, 'idle', 'tickr', 'serverCommandsPerSec'),
      '<=',
      1,
    ),
    row('idle node: Redis commands/s a client sends', at(s, 'idle', 'tickr', 'redisCommandsPerSec')),
    row('idle node: CPU, % of a core', at(s, 'idle', 'tickr', 'cpuPercentOfCore'), '<', 1),
    row('two nodes / one node, shell jobs/s', at(s, 'two-nodes', 'ratio')),
    row('shell jobs/s, large history / empty database', at(s, 'large-db', 'ratio'), '>=', 0.9),
    row('deadlock victims, profile run (this process)', at(s, 'throughput', 'profile', 'runOnly', 'deadlockVictims')),
    row('claim batch size (mean)', at(s, 'throughput', 'batches', 'claimMean')),
    row('completion batch size (mean)', at(s, 'throughput', 'batches', 'completionMean')),
    // What the HTTP targets are up against (bench/durable-floor.bench-run.ts): the fewest MySQL
    // writes a durable job can have, with no engine, beside what BullMQ's queue costs per job
    // (its HTTP job less the same GET in the limit's loops). Above 1: the writes alone cost more.
    row(
      "durable floor in batches of 8, machine CPU per job: / BullMQ's per HTTP job less the limit's",
      floorOverBullmqQueue('8', 'machineCpuMsPerJob', 'machineCpuMsPerJob'),
    ),
    row(
      "durable floor in batches of 1, Node CPU per job: / BullMQ's per HTTP job less the limit's",
      floorOverBullmqQueue('1', 'nodeCpuMsPerJob', 'cpuMsPerJob'),
    ),
  ];
}

/** a / b to 3 significant digits, or null when either is missing or b is not positive. */
function ratioOf(a, b) {
  return a === null || b === null || b <= 0 ? null : Number((a / b).toPrecision(3));
}

function difference(a, b) {
  return a === null || b === null ? null : a - b;
}
