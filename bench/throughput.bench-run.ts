import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import type { RowDataPacket } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { version as bullmqVersion } from 'bullmq/package.json';
import type { MethodInput } from '../src/shared/contract';
import {
  benchDatabase,
  benchPrefix,
  bullConnection,
  dropPrefix,
  fill,
  get,
  machineBusyMs,
  runTrue,
  finishedJobs,
  fmt,
  printTable,
  REDIS_URL,
  spawnerCpuMs,
  startTickr,
  type BenchNode,
} from './lib/common';
import { QUICK, recordFigures, round, serverDeadlocks, sized } from './lib/figures';
import { batchSummary, resetBatchStats } from '../src/main/engine/batch-stats';
import { deadlockRetries } from '../src/main/engine/store/db';
import { printProfiles, profileFigures, profileStatements } from './lib/profile';

/**
 * Throughput, Tickr vs BullMQ on the same Redis doing the same work, at concurrency 8.
 *  - "enqueue → last done": the worker/node runs while the jobs are added, 50 adds in flight at a
 *    time on both sides (Tickr through its API, tasks.runNow); also reported: the add rate alone.
 *  - "run phase only": all jobs queued first, then the clock starts with processing (BullMQ: the
 *    worker starts; Tickr: an idle node is woken, as the node that queued them would wake it),
 *    after an untimed run phase of WARM_UP_JOBS on each side.
 * The machine's limit is the same work with no queue at all: 8 loops doing it back to back.
 * The last test counts the MySQL statements a Tickr job costs, to show where its time goes.
 */

/**
 * Jobs per run: 2,000 shell jobs; 1,000 for the HTTP variant, which keeps `npm run bench` short.
 * --quick: 200 of each.
 */
const JOBS = sized({ shell: 2_000, http: 1_000 }, { shell: 200, http: 200 });
/**
 * Jobs each side runs, untimed, in a run phase of its own just before the timed one, so that the
 * run phase measures the steady state a long-running node is in: V8 compiles a hot path in tiers
 * over the first few thousand calls, and Tickr's path (MySQL, Redis, the runner) is longer than a
 * BullMQ worker's. Warm-up rounds of 1,000 HTTP jobs ran at 460, 650, 810, 1,020 and 1,120 jobs/s
 * in one process, a fresh node each (docs/benchmarks.md, December 8th). The enqueue → last done
 * column stays without one: it shows a node soon after its start.
 */
const WARM_UP_JOBS = sized({ shell: 1_000, http: 3_000 }, { shell: 100, http: 200 });
const CONCURRENCY = 8;
const ADDS_IN_FLIGHT = 50;

// Tickr runs `$SHELL -c command`; the BullMQ processor and the machine limit run /bin/sh. Same
// shell on all sides, or the comparison would measure bash against dash.
process.env.SHELL = '/bin/sh';

type Kind = 'shell' | 'http';
interface Timing {
  /** First add → last job done. */
  e2eMs: number;
  /** First add → last add returned, in the same run. */
  addMs: number;
  /** Processing start → last job done, everything queued beforehand. */
  runMs: number;
  /** CPU time of this process during the run phase (spawned children not included). */
  runCpuMs: number;
  /** CPU time of every process on the machine during the run phase (null without /proc). */
  runMachineCpuMs: number | null;
  /** The server's deadlock counter over the run phase (server-wide; null when unreadable). */
  runDeadlocks?: number | null;
}

interface Timed {
  ms: number;
  cpuMs: number;
  machineCpuMs: number | null;
}

/** Runs `fn`, returning its wall time and the CPU time this process (and Tickr's job spawner) spent meanwhile. */
async function timed(fn: () => Promise<void>): Promise<Timed> {
  const cpu = process.cpuUsage();
  const spawner = spawnerCpuMs();
  const machine = machineBusyMs();
  const t0 = performance.now();
  await fn();
  const used = process.cpuUsage(cpu);
  const machineAfter = machineBusyMs();
  return {
    ms: performance.now() - t0,
    cpuMs: (used.user + used.system) / 1000 + spawnerCpuMs() - spawner,
    machineCpuMs: machine === null || machineAfter === null ? null : machineAfter - machine,
  };
}

async function inBatches(n: number, add: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < n; i += ADDS_IN_FLIGHT)
    await Promise.all(Array.from({ length: Math.min(ADDS_IN_FLIGHT, n - i) }, add));
}

/**
 * The machine's own limit: the same work in CONCURRENCY loops, no queue. Best of 3 after a warm-up
 * (JIT, sockets), as a limit should be: one short run is easily beaten later by a warmer process.
 */
async function machineLimit(work: () => Promise<void>, n: number): Promise<Timed> {
  const loops = (count: number): Promise<Timed> => {
    let left = count;
    return timed(async () => {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (left-- > 0) await work();
        }),
      );
    });
  };
  await loops(n / 4);
  const runs = [await loops(n), await loops(n), await loops(n)];
  return runs.reduce((best, r) => (r.ms < best.ms ? r : best));
}

function taskInput(kind: Kind, url: string): MethodInput<'tasks.create'> {
  // Disabled: no scheduled first job; runNow jobs, and jobs queued directly, still run. Overlap
  // 'allow': the jobs of this one task run side by side, as BullMQ's do (the default, 'skip',
  // would skip a run while another of the task runs).
  const common = { name: `bench-${kind}`, enabled: false, maxAttempts: 1, overlap: 'allow' } as const;
  return kind === 'shell'
    ? { ...common, type: 'shell', command: 'true' }
    : { ...common, type: 'http', http: { method: 'GET', url } };
}

/** A Tickr node on a fresh database and prefix, with one task of `kind`; cleaned up after `fn`. */
async function withTickr<T>(
  kind: Kind,
  url: string,
  fn: (node: BenchNode, taskId: string, dbUrl: string) => Promise<T>,
): Promise<T> {
  const db = benchDatabase();
  const prefix = benchPrefix('throughput');
  const node = await startTickr({ mysqlUrl: db.url, prefix, config: { concurrency: CONCURRENCY } });
  try {
    const task = await node.call('tasks.create', taskInput(kind, url));
    return await fn(node, task.id, db.url);
  } finally {
    await node.stop();
    await dropPrefix(prefix);
    await db.drop();
  }
}

/** Every one of the n jobs ran exactly once, and succeeded. */
async function expectEachRanOnce(node: BenchNode, n: number): Promise<void> {
  const [rows] = await node.engine.context.pool.query<RowDataPacket[]>(
    "SELECT COUNT(*) AS n, COUNT(DISTINCT job_id) AS jobs, MAX(attempt) AS maxAttempt, SUM(outcome='succeeded') AS ok FROM attempts",
  );
  expect(rows[0]).toMatchObject({ n: String(n), jobs: String(n), maxAttempt: 1, ok: String(n) });
}

/** Tickr, enqueue → last done: 50 tasks.runNow calls in flight on a running node. */
async function tickrE2e(node: BenchNode, taskId: string, n: number): Promise<{ e2eMs: number; addMs: number }> {
  const done = finishedJobs(node.engine, n);
  const t0 = performance.now();
  await inBatches(n, () => node.call('tasks.runNow', { id: taskId }));
  const addMs = performance.now() - t0;
  expect(await done).toEqual({ succeeded: n });
  return { e2eMs: performance.now() - t0, addMs };
}

/** Tickr, run phase, part 1: n jobs queued by another process (MySQL rows + ids in Redis) while the node idles. */
async function queueJobs(node: BenchNode, taskId: string, dbUrl: string, n: number): Promise<void> {
  await fill({
    mode: 'tickr',
    mysql: dbUrl,
    task: taskId,
    n,
    dueMs: Date.now(),
    redis: REDIS_URL,
    waitingKey: `${node.prefix}waiting`,
  });
}

/** Tickr, run phase, part 2: the node is woken, as the node that queued the jobs would wake it. */
function runQueued(node: BenchNode, n: number): Promise<Timed> {
  return timed(async () => {
    const done = finishedJobs(node.engine, n);
    node.engine.context.wake.notify();
    expect(await done).toEqual({ succeeded: n });
  });
}

async function tickr(kind: Kind, url: string): Promise<Timing> {
  const n = JOBS[kind];
  const e2e = await withTickr(kind, url, async (node, taskId) => {
    const t = await tickrE2e(node, taskId, n);
    await expectEachRanOnce(node, n);
    return t;
  });
  await withTickr(kind, url, async (node, taskId, dbUrl) => {
    await queueJobs(node, taskId, dbUrl, WARM_UP_JOBS[kind]);
    await runQueued(node, WARM_UP_JOBS[kind]);
  });
  const run = await withTickr(kind, url, async (node, taskId, dbUrl) => {
    await queueJobs(node, taskId, dbUrl, n);
    const before = await serverDeadlocks();
    const t = await runQueued(node, n);
    const after = await serverDeadlocks();
    await expectEachRanOnce(node, n);
    return { ...t, deadlocks: before !== null && after !== null ? after - before : null };
  });
  return { ...e2e, runMs: run.ms, runCpuMs: run.cpuMs, runMachineCpuMs: run.machineCpuMs, runDeadlocks: run.deadlocks };
}

async function bullmqOnce(
  kind: Kind,
  url: string,
  phase: 'e2e' | 'run',
  n = JOBS[kind],
): Promise<Timed & { addMs: number }> {
  const prefix = benchPrefix('bullmq');
  const connection = bullConnection();
  const queue = new Queue('throughput', { connection, prefix });
  const worker = new Worker('throughput', kind === 'shell' ? runTrue : () => get(url), {
    connection,
    prefix,
    concurrency: CONCURRENCY,
    autorun: false,
  });
  const counts = { succeeded: 0, failed: 0 };
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`BullMQ: only ${counts.succeeded + counts.failed} of ${n} jobs finished`)),
      120_000,
    );
    const count = (key: keyof typeof counts) => (): void => {
      counts[key] += 1;
      if (counts.succeeded + counts.failed < n) return;
      clearTimeout(timer);
      resolve();
    };
    worker.on('completed', count('succeeded'));
    worker.on('failed', count('failed'));
  });
  try {
    await queue.waitUntilReady();
    if (phase === 'run') await inBatches(n, () => queue.add('true', {}));
    if (phase === 'e2e') {
      void worker.run();
      await worker.waitUntilReady();
    }
    let addMs = 0;
    const t = await timed(async () => {
      if (phase === 'run') void worker.run();
      const t0 = performance.now();
      if (phase === 'e2e') await inBatches(n, () => queue.add('true', {}));
      addMs = performance.now() - t0;
      await done;
    });
    expect(counts).toEqual({ succeeded: n, failed: 0 });
    expect(await queue.getCompletedCount()).toBe(n);
    return { ...t, addMs };
  } finally {
    await worker.close();
    await queue.close();
    await dropPrefix(prefix);
  }
}

async function bullmq(kind: Kind, url: string): Promise<Timing> {
  const e2e = await bullmqOnce(kind, url, 'e2e');
  await bullmqOnce(kind, url, 'run', WARM_UP_JOBS[kind]);
  const run = await bullmqOnce(kind, url, 'run');
  return { e2eMs: e2e.ms, addMs: e2e.addMs, runMs: run.ms, runCpuMs: run.cpuMs, runMachineCpuMs: run.machineCpuMs };
}

function report(
  title: string,
  n: number,
  limitLabel: string,
  limit: Timed,
  bull: Timing,
  tickrT: Timing,
): Record<string, unknown> {
  const rate = (ms: number): string => `${fmt.n(n / (ms / 1000))} /s`;
  const cpu = (ms: number): string => `${fmt.n(ms / n, 2)} ms`;
  const machineCpu = (ms: number | null): string => (ms === null ? 'n/a' : cpu(ms));
  const ratioOf = (a: number | null, b: number | null): string => (a === null || b === null ? '' : fmt.ratio(a / b));
  const faster = (a: number, b: number): string => fmt.ratio(b / a); // a ratio of rates is the inverse ratio of times
  printTable(
    title,
    ['', 'enqueue → last done', 'run phase only', 'adds alone', 'CPU per job, run phase', 'machine CPU per job'],
    [
      [limitLabel, rate(limit.ms), rate(limit.ms), '', cpu(limit.cpuMs), machineCpu(limit.machineCpuMs)],
      [
        `BullMQ ${bullmqVersion}`,
        rate(bull.e2eMs),
        rate(bull.runMs),
        rate(bull.addMs),
        cpu(bull.runCpuMs),
        machineCpu(bull.runMachineCpuMs),
      ],
      [
        'Tickr',
        rate(tickrT.e2eMs),
        rate(tickrT.runMs),
        rate(tickrT.addMs),
        cpu(tickrT.runCpuMs),
        machineCpu(tickrT.runMachineCpuMs),
      ],
      [
        'Tickr / BullMQ',
        faster(tickrT.e2eMs, bull.e2eMs),
        faster(tickrT.runMs, bull.runMs),
        faster(tickrT.addMs, bull.addMs),
        fmt.ratio(tickrT.runCpuMs / bull.runCpuMs),
        ratioOf(tickrT.runMachineCpuMs, bull.runMachineCpuMs),
      ],
      [
        'Tickr / machine limit',
        faster(tickrT.e2eMs, limit.ms),
        faster(tickrT.runMs, limit.ms),
        '',
        fmt.ratio(tickrT.runCpuMs / limit.cpuMs),
        ratioOf(tickrT.runMachineCpuMs, limit.machineCpuMs),
      ],
      [
        'BullMQ / machine limit',
        faster(bull.e2eMs, limit.ms),
        faster(bull.runMs, limit.ms),
        '',
        fmt.ratio(bull.runCpuMs / limit.cpuMs),
        ratioOf(bull.runMachineCpuMs, limit.machineCpuMs),
      ],
    ],
    [
      `${fmt.n(n)} jobs, concurrency ${CONCURRENCY}, one Redis. Rates: jobs per second, higher is better. CPU: this Node process (and Tickr's spawner), lower is better.`,
      'machine CPU: every process on the machine over the run phase (MySQL, Redis, spawner and shells too): on a quiet machine the whole cost of a job, which bounds the rate at cores × 1000 / ms.',
      '"adds alone": the enqueue part of the first column (50 adds in flight while the worker/node processes).',
    ],
  );
  const perSec = (ms: number): number | null => round(n / (ms / 1000));
  const perJob = (ms: number): number | null => round(ms / n);
  return {
    jobs: n,
    concurrency: CONCURRENCY,
    runPerSec: { tickr: perSec(tickrT.runMs), bullmq: perSec(bull.runMs), machineLimit: perSec(limit.ms) },
    runRatio: { tickrVsBullmq: round(bull.runMs / tickrT.runMs), tickrVsLimit: round(limit.ms / tickrT.runMs) },
    e2ePerSec: { tickr: perSec(tickrT.e2eMs), bullmq: perSec(bull.e2eMs) },
    e2eRatio: round(bull.e2eMs / tickrT.e2eMs),
    addsPerSec: { tickr: perSec(tickrT.addMs), bullmq: perSec(bull.addMs) },
    addsRatio: round(bull.addMs / tickrT.addMs),
    cpuMsPerJob: { tickr: perJob(tickrT.runCpuMs), bullmq: perJob(bull.runCpuMs), machineLimit: perJob(limit.cpuMs) },
    cpuRatio: round(tickrT.runCpuMs / bull.runCpuMs),
    machineCpuMsPerJob: {
      tickr: tickrT.runMachineCpuMs === null ? null : perJob(tickrT.runMachineCpuMs),
      bullmq: bull.runMachineCpuMs === null ? null : perJob(bull.runMachineCpuMs),
      machineLimit: limit.machineCpuMs === null ? null : perJob(limit.machineCpuMs),
    },
    runDeadlocksServerWide: tickrT.runDeadlocks ?? null,
  };
}

describe('throughput: Tickr vs BullMQ', () => {
  let server: Server;
  let url = '';

  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('shell job: `/bin/sh -c true`', async () => {
    const limit = await machineLimit(runTrue, JOBS.shell);
    const bull = await bullmq('shell', url);
    const tickrT = await tickr('shell', url);
    const figures = report(
      'Throughput: shell job `/bin/sh -c true`',
      JOBS.shell,
      `machine limit (${CONCURRENCY} spawn loops)`,
      limit,
      bull,
      tickrT,
    );
    recordFigures('throughput', { shell: figures });
  });

  it('no process spawn: HTTP GET to a local server', async () => {
    const limit = await machineLimit(() => get(url), JOBS.http);
    const bull = await bullmq('http', url);
    const tickrT = await tickr('http', url);
    const figures = report(
      'Throughput: HTTP GET to a local server (no spawn)',
      JOBS.http,
      `machine limit (${CONCURRENCY} request loops)`,
      limit,
      bull,
      tickrT,
    );
    recordFigures('throughput', { http: figures });
  });

  it('profile: what a Tickr job costs in MySQL statements', async () => {
    // Statement counts are exact at any size; 300 jobs per phase keep this part short (--quick: 100).
    const n = sized(300, 100);
    const measure = (phase: 'create + run' | 'run only') =>
      withTickr('shell', url, async (node, taskId, dbUrl) => {
        if (phase === 'run only') await queueJobs(node, taskId, dbUrl, n);
        const profile = profileStatements([node.engine.context.pool, node.engine.context.pipelinePool]);
        resetBatchStats();
        const retriedBefore = deadlockRetries();
        const wallMs = phase === 'run only' ? (await runQueued(node, n)).ms : (await tickrE2e(node, taskId, n)).e2eMs;
        profile.stop();
        const batches = {
          claim: batchSummary('claim'),
          finish: batchSummary('finish'),
          create: batchSummary('create'),
          ack: batchSummary('ack'),
          deadlockRetries: deadlockRetries() - retriedBefore,
        };
        return { profile, jobs: n, wallMs, batches };
      });
    // --quick profiles the run phase alone: the figures of the issue are about it.
    const createAndRun = QUICK ? null : await measure('create + run');
    const runOnly = await measure('run only');
    printProfiles(createAndRun ? { 'create + run': createAndRun, 'run only': runOnly } : { 'run only': runOnly });
    const figures = (ph: typeof runOnly | null): Record<string, number | null> | null =>
      ph && Object.fromEntries(Object.entries(profileFigures(ph.profile, ph.jobs)).map(([k, v]) => [k, round(v)]));
    recordFigures('throughput', {
      profile: { jobs: n, createAndRun: figures(createAndRun), runOnly: figures(runOnly) },
      // The engine's own counters (engine/batch-stats.ts): ids per claim, results per
      // completion write, jobs per run-now group, ids per ack; and deadlock victims it retried.
      batches: {
        claimMean: round(runOnly.batches.claim.mean),
        claimMax: runOnly.batches.claim.max,
        completionMean: round(runOnly.batches.finish.mean),
        completionMax: runOnly.batches.finish.max,
        createMean: createAndRun ? round(createAndRun.batches.create.mean) : null,
        ackMean: round(runOnly.batches.ack.mean),
        deadlockRetries: runOnly.batches.deadlockRetries + (createAndRun?.batches.deadlockRetries ?? 0),
      },
    });
  });
});
