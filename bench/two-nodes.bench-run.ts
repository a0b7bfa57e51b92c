import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { RowDataPacket } from 'mysql2';
import mysql from 'mysql2/promise';
import { expect, it } from 'vitest';
import { spawnNode, type NodeProcess } from '../tests/helpers/node-process';
import {
  benchDatabase,
  benchPrefix,
  dropPrefix,
  fill,
  fmt,
  MYSQL_ROOT_URL,
  printTable,
  processCpuMs,
  REDIS_URL,
  sleep,
} from './lib/common';
import { recordFigures, round, serverDeadlocks, sized } from './lib/figures';

/**
 * Two nodes against one: the run phase of N shell jobs (`/bin/sh -c true`) on one headless node
 * (`tickr serve`, a process of its own, from the build in out/), then on two such nodes sharing
 * the same Redis and MySQL, each at concurrency 8. The jobs are queued first by another process
 * (rows, then ids in the waiting set), then the nodes are woken with a wake signal on the signals
 * channel, as the node that queued them would; the clock runs from the wake to the last job final
 * in MySQL (polled every 20 ms from here). Also: the Node CPU per job of the node processes
 * together, and how the jobs split between the nodes. scripts/bench.mjs builds out/ first.
 */
const JOBS = sized(2_000, 200);
const CONCURRENCY = 8;

interface Run {
  nodes: number;
  ms: number;
  jobsPerSec: number;
  nodeCpuMsPerJob: number | null;
  jobsPerNode: number[];
  deadlocksServerWide: number | null;
}

async function runOn(nodeCount: number): Promise<Run> {
  const db = benchDatabase();
  const prefix = `${benchPrefix('two-nodes')}:`;
  // The connection first: if MySQL is not there, nothing else is left behind.
  const conn = await mysql.createConnection({ uri: MYSQL_ROOT_URL, supportBigNumbers: true });
  const dirs = Array.from({ length: nodeCount }, () => mkdtempSync(path.join(os.tmpdir(), 'tickr-bench-node-')));
  const nodes: NodeProcess[] = [];
  const redis = new Redis(REDIS_URL);
  try {
    for (const [i, dir] of dirs.entries())
      nodes.push(
        await spawnNode({
          TICKR_DATA_DIR: dir,
          TICKR_NODE_NAME: `bench-${i + 1}`,
          TICKR_REDIS_URL: REDIS_URL,
          TICKR_MYSQL_URL: db.url,
          TICKR_REDIS_PREFIX: prefix,
          TICKR_CONCURRENCY: String(CONCURRENCY),
          TICKR_RETENTION_START_DELAY_MS: '3600000',
          SHELL: '/bin/sh',
        }),
      );
    const task = await nodes[0]!.call<{ id: string }>('tasks.create', {
      name: 'bench-shell',
      type: 'shell',
      command: 'true',
      enabled: false,
      maxAttempts: 1,
      overlap: 'allow',
    });
    await fill({
      mode: 'tickr',
      mysql: db.url,
      task: task.id,
      n: JOBS,
      dueMs: Date.now(),
      redis: REDIS_URL,
      waitingKey: `${prefix}waiting`,
    });
    await conn.query(`USE \`${new URL(db.url).pathname.slice(1)}\``);
    // Every node must hear the wake: its subscriber connects after start, not awaited.
    for (let t = 0; Number(await redis.pubsub('NUMSUB', `${prefix}signals`).then((r) => r[1])) < nodeCount; t++) {
      if (t > 100) throw new Error('the nodes never subscribed to the signals channel');
      await sleep(50);
    }
    const deadlocks = await serverDeadlocks();
    const cpu0 = nodes.map((n) => processCpuMs(n.child.pid));
    const t0 = performance.now();
    await redis.publish(`${prefix}signals`, JSON.stringify({ type: 'wake', from: 'bench' }));
    for (;;) {
      const [rows] = await conn.query<RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM jobs WHERE task_id = ? AND status IN ('succeeded', 'failed', 'cancelled', 'skipped')",
        [task.id],
      );
      if (Number(rows[0]!.n) >= JOBS) break;
      if (performance.now() - t0 > 180_000) throw new Error(`only ${rows[0]!.n} of ${JOBS} jobs finished`);
      await sleep(20);
    }
    const ms = performance.now() - t0;
    const cpu1 = nodes.map((n) => processCpuMs(n.child.pid));
    const deadlocksAfter = await serverDeadlocks();
    const [attempts] = await conn.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n, COUNT(DISTINCT job_id) AS jobs, SUM(outcome = 'succeeded') AS ok FROM attempts",
    );
    // Each ran once, and succeeded; if not, say how the others ended.
    const [others] = await conn.query<RowDataPacket[]>(
      "SELECT a.job_id, a.node_id, a.outcome, a.error FROM attempts a WHERE a.outcome <> 'succeeded' LIMIT 5",
    );
    expect(attempts[0], JSON.stringify(others)).toMatchObject({ n: JOBS, jobs: JOBS, ok: String(JOBS) });
    const [split] = await conn.query<RowDataPacket[]>('SELECT node_id, COUNT(*) AS n FROM attempts GROUP BY node_id');
    const cpuMs =
      cpu0.every((c) => c !== null) && cpu1.every((c) => c !== null)
        ? cpu1.reduce((s, c, i) => s + c! - cpu0[i]!, 0)
        : null;
    return {
      nodes: nodeCount,
      ms,
      jobsPerSec: JOBS / (ms / 1000),
      nodeCpuMsPerJob: cpuMs === null ? null : cpuMs / JOBS,
      jobsPerNode: split.map((r) => Number(r.n)).sort((a, b) => b - a),
      deadlocksServerWide: deadlocks !== null && deadlocksAfter !== null ? deadlocksAfter - deadlocks : null,
    };
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    await conn.end();
    redis.disconnect();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await dropPrefix(prefix);
    await db.drop();
  }
}

it(`two nodes (two processes) against one: run phase of ${fmt.n(JOBS)} shell jobs`, async () => {
  const one = await runOn(1);
  const two = await runOn(2);
  const ratio = two.jobsPerSec / one.jobsPerSec;
  const cpu = (r: Run): string => (r.nodeCpuMsPerJob === null ? 'n/a' : `${fmt.n(r.nodeCpuMsPerJob, 2)} ms`);
  printTable(
    `Two nodes against one: ${fmt.n(JOBS)} shell jobs \`/bin/sh -c true\`, run phase`,
    ['', 'jobs/s', 'Node CPU per job', 'jobs per node', 'deadlocks (server-wide)'],
    [
      [
        'one node',
        fmt.n(one.jobsPerSec),
        cpu(one),
        one.jobsPerNode.join(' / '),
        String(one.deadlocksServerWide ?? 'n/a'),
      ],
      [
        'two nodes',
        fmt.n(two.jobsPerSec),
        cpu(two),
        two.jobsPerNode.join(' / '),
        String(two.deadlocksServerWide ?? 'n/a'),
      ],
      ['two / one', fmt.ratio(ratio), '', '', ''],
    ],
    [
      `Each node a \`tickr serve\` process at concurrency ${CONCURRENCY}, on one Redis and one MySQL; ${os.availableParallelism()} CPUs in all.`,
      'Node CPU: the node processes together, spawned shells not included.',
    ],
  );
  recordFigures('two-nodes', {
    jobs: JOBS,
    concurrencyPerNode: CONCURRENCY,
    oneNode: {
      jobsPerSec: round(one.jobsPerSec),
      nodeCpuMsPerJob: round(one.nodeCpuMsPerJob),
      deadlocksServerWide: one.deadlocksServerWide,
    },
    twoNodes: {
      jobsPerSec: round(two.jobsPerSec),
      nodeCpuMsPerJob: round(two.nodeCpuMsPerJob),
      jobsPerNode: two.jobsPerNode,
      deadlocksServerWide: two.deadlocksServerWide,
    },
    ratio: round(ratio),
  });
});
