import { performance } from 'node:perf_hooks';
import type { RowDataPacket } from 'mysql2';
import { expect, it } from 'vitest';
import {
  benchDatabase,
  benchPrefix,
  dropPrefix,
  fill,
  finishedJobs,
  fmt,
  printTable,
  REDIS_URL,
  startTickr,
} from './lib/common';
import { QUICK, recordFigures, round, serverDeadlocks, serverVariable, sized } from './lib/figures';
import { printProfiles, profileFigures, profileStatements, type StatementProfile } from './lib/profile';

/**
 * History must not slow the hot path: the run phase of N shell jobs (`/bin/sh -c true`,
 * concurrency 8, as in the throughput bench) on an empty database, then on one that already holds
 * 1,000,000 finished jobs (each with its attempt; no log chunks) of the same task and 100,000
 * waiting jobs of another task due tomorrow (rows in MySQL and ids in the waiting set). On the
 * server as it is configured: MariaDB's default buffer pool is 128 MB, smaller than these tables.
 * --quick: 50,000 finished and 5,000 waiting. The statement profile of both runs shows which
 * statements the history makes slower.
 */
const HISTORY = sized({ finished: 1_000_000, waiting: 100_000 }, { finished: 50_000, waiting: 5_000 });
const JOBS = sized(2_000, 200);
const WARM_UP = sized(200, 50);
const CONCURRENCY = 8;

process.env.SHELL = '/bin/sh';

interface Run {
  ms: number;
  profile: StatementProfile;
  fillMs: number;
  tableMb: number;
  deadlocks: number | null;
}

async function runPhase(history: boolean): Promise<Run> {
  const db = benchDatabase();
  const prefix = benchPrefix('large-db');
  const node = await startTickr({
    mysqlUrl: db.url,
    prefix,
    config: { concurrency: CONCURRENCY, retentionStartDelayMs: 3_600_000 },
  });
  try {
    const common = { type: 'shell', command: 'true', enabled: false, maxAttempts: 1, overlap: 'allow' } as const;
    const task = await node.call('tasks.create', { ...common, name: 'bench-shell' });
    const later = await node.call('tasks.create', { ...common, name: 'later' });
    const t0 = performance.now();
    if (history) {
      const finished = await fill({ mode: 'history', mysql: db.url, task: task.id, n: HISTORY.finished });
      expect(finished.jobs).toBe(HISTORY.finished);
      const waiting = await fill({
        mode: 'tickr',
        mysql: db.url,
        task: later.id,
        n: HISTORY.waiting,
        dueMs: Date.now() + 86_400_000,
        redis: REDIS_URL,
        waitingKey: `${node.prefix}waiting`,
      });
      expect(waiting.jobs).toBe(HISTORY.waiting);
    }
    const fillMs = performance.now() - t0;
    // An untimed warm-up batch first, in both runs: else the first (empty) run pays the JIT alone.
    const queue = (n: number): Promise<unknown> =>
      fill({
        mode: 'tickr',
        mysql: db.url,
        task: task.id,
        n,
        dueMs: Date.now(),
        redis: REDIS_URL,
        waitingKey: `${node.prefix}waiting`,
      });
    await queue(WARM_UP);
    const warm = finishedJobs(node.engine, WARM_UP);
    node.engine.context.wake.notify();
    expect(await warm).toEqual({ succeeded: WARM_UP });
    await queue(JOBS);
    const pool = node.engine.context.pool;
    const [size] = await pool.query<RowDataPacket[]>(
      "SELECT SUM(data_length + index_length) AS bytes FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('jobs', 'attempts')",
    );
    const deadlocks = await serverDeadlocks();
    const profile = profileStatements([pool, node.engine.context.pipelinePool]);
    const started = performance.now();
    const done = finishedJobs(node.engine, JOBS, 300_000);
    node.engine.context.wake.notify();
    expect(await done).toEqual({ succeeded: JOBS });
    const ms = performance.now() - started;
    profile.stop();
    const deadlocksAfter = await serverDeadlocks();
    const [ran] = await pool.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM attempts a JOIN jobs j ON j.id = a.job_id WHERE j.task_id = ? AND a.node_id <> 'bench'",
      [task.id],
    );
    expect(Number(ran[0]!.n)).toBe(WARM_UP + JOBS); // each of the new jobs ran once
    return {
      ms,
      profile,
      fillMs,
      tableMb: Number(size[0]!.bytes) / 2 ** 20,
      deadlocks: deadlocks !== null && deadlocksAfter !== null ? deadlocksAfter - deadlocks : null,
    };
  } finally {
    await node.stop();
    await dropPrefix(prefix);
    await db.drop();
  }
}

it(`shell jobs/s with ${fmt.n(HISTORY.finished)} finished and ${fmt.n(HISTORY.waiting)} waiting jobs, against an empty database`, async () => {
  const empty = await runPhase(false);
  const large = await runPhase(true);
  const bufferPoolMb = Math.round(Number(await serverVariable('innodb_buffer_pool_size')) / 2 ** 20);
  const rate = (r: Run): number => JOBS / (r.ms / 1000);
  const ratio = rate(large) / rate(empty);
  printTable(
    `Large history: ${fmt.n(JOBS)} shell jobs, run phase, concurrency ${CONCURRENCY}${QUICK ? ' (quick: a smaller history)' : ''}`,
    ['database', 'jobs + attempts tables', 'jobs/s', 'deadlocks (server-wide)'],
    [
      ['empty', `${fmt.n(empty.tableMb, 1)} MB`, fmt.n(rate(empty)), String(empty.deadlocks ?? 'n/a')],
      [
        `${fmt.n(HISTORY.finished)} finished + ${fmt.n(HISTORY.waiting)} waiting`,
        `${fmt.n(large.tableMb, 1)} MB`,
        fmt.n(rate(large)),
        String(large.deadlocks ?? 'n/a'),
      ],
      ['large / empty', '', fmt.ratio(ratio), ''],
    ],
    [
      `InnoDB buffer pool: ${bufferPoolMb} MB. History loaded in ${fmt.n(large.fillMs / 1000, 1)} s (not timed).`,
      'The finished jobs belong to the task that runs; the waiting ones to another, due tomorrow.',
    ],
  );
  printProfiles({
    empty: { profile: empty.profile, jobs: JOBS, wallMs: empty.ms },
    'large history': { profile: large.profile, jobs: JOBS, wallMs: large.ms },
  });
  recordFigures('large-db', {
    finishedJobs: HISTORY.finished,
    waitingJobs: HISTORY.waiting,
    quickSizes: QUICK,
    jobs: JOBS,
    concurrency: CONCURRENCY,
    innodbBufferPoolMb: bufferPoolMb,
    tablesMb: { empty: round(empty.tableMb), large: round(large.tableMb) },
    fillSeconds: round(large.fillMs / 1000),
    emptyPerSec: round(rate(empty)),
    largePerSec: round(rate(large)),
    ratio: round(ratio),
    deadlocksServerWide: { empty: empty.deadlocks, large: large.deadlocks },
    profile: {
      empty: profileFigures(empty.profile, JOBS),
      large: profileFigures(large.profile, JOBS),
    },
  });
}, 900_000);
