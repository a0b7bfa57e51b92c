import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue, Worker, type Job as BullJob } from 'bullmq';
import { version as bullmqVersion } from 'bullmq/package.json';
import type { RowDataPacket } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../src/shared/types';
import {
  benchDatabase,
  benchPrefix,
  bullConnection,
  dropPrefix,
  fill,
  get,
  runTrue,
  finishedJobs,
  fmt,
  printTable,
  REDIS_URL,
  sleep,
  startTickr,
} from './lib/common';
import { percentile, QUICK, recordFigures, round, sized } from './lib/figures';

/**
 * Lateness: how long after its due time a job starts (Tickr: the claim's started_at against the
 * job's due_at in MySQL; BullMQ: a delayed job's processedOn against its timestamp + delay), for
 *  - "spread": N jobs due one after another over SPREAD_MS on an otherwise idle node, concurrency 8;
 *  - "sparse" (full run only): 100 jobs over 5 s, far below either side's capacity, so that the
 *    lateness is the scheduler's precision alone, without queueing behind other due jobs;
 *  - "busy": fewer jobs due over the same time while every one of the 8 workers is kept busy with
 *    other jobs (HTTP GETs a local server answers after BUSY_MS; each one finished is replaced at
 *    once), so a due job waits for the next worker to come free: this shows the scheduling delay on
 *    top of that wait, for both.
 * The jobs themselves are `/bin/sh -c true`. All of them are queued before the first is due (LEAD_MS).
 */
const CONCURRENCY = 8;
// --quick: the same rate of due jobs (200/s), over 1 s.
const SPREAD = sized({ jobs: 1_000, ms: 5_000 }, { jobs: 200, ms: 1_000 });
const BUSY = sized({ jobs: 200, ms: 5_000 }, { jobs: 50, ms: 1_000 });
/** Well below either side's capacity: the scheduler's own precision, with no queueing in it. Full run only. */
const SPARSE = { jobs: 100, ms: 5_000 };
const BUSY_MS = 100;
const LEAD_MS = sized(1_500, 1_000);

process.env.SHELL = '/bin/sh';

interface Lateness {
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  jobs: number;
}

function summary(ms: number[]): Lateness {
  return {
    p50Ms: round(percentile(ms, 50)),
    p99Ms: round(percentile(ms, 99)),
    maxMs: round(Math.max(...ms)),
    jobs: ms.length,
  };
}

/** Tickr: the due jobs are queued by another process (rows, then ids in the waiting set) while the node idles. */
async function tickrLateness(n: number, spreadMs: number, slowUrl: string | null): Promise<number[]> {
  const db = benchDatabase();
  const prefix = benchPrefix('lateness');
  const node = await startTickr({ mysqlUrl: db.url, prefix, config: { concurrency: CONCURRENCY } });
  let busy = false;
  let unsubscribe = (): void => undefined;
  try {
    const common = { enabled: false, maxAttempts: 1, overlap: 'allow' } as const;
    const due = await node.call('tasks.create', { ...common, name: 'due', type: 'shell', command: 'true' });
    if (slowUrl) {
      const other = await node.call('tasks.create', {
        ...common,
        name: 'busy',
        type: 'http',
        http: { method: 'GET', url: slowUrl },
      });
      // Every busy job that finishes is replaced at once, so all workers stay busy.
      busy = true;
      unsubscribe = node.engine.bus.subscribe((m) => {
        const job = m.data as Job;
        if (m.event !== 'job.updated' || job.taskId !== other.id || job.status !== 'succeeded' || !busy) return;
        void node.call('tasks.runNow', { id: other.id }).catch(() => undefined);
      });
      await Promise.all(Array.from({ length: CONCURRENCY }, () => node.call('tasks.runNow', { id: other.id })));
    }
    const dueMs = Date.now() + LEAD_MS;
    const done = finishedJobs(node.engine, n, 60_000 + spreadMs);
    const filled = await fill({
      mode: 'tickr',
      mysql: db.url,
      task: due.id,
      n,
      dueMs,
      spreadMs,
      redis: REDIS_URL,
      waitingKey: `${node.prefix}waiting`,
    });
    expect(Date.now()).toBeLessThan(dueMs); // queued before the first was due, or lateness means nothing
    expect(filled.jobs).toBe(n);
    node.engine.context.wake.notify(); // as the node that queued them would wake it
    // finishedJobs counts the busy task's jobs too: wait for the due ones by their own count.
    await done.catch(() => undefined);
    for (let t = 0; t < 600; t++) {
      const [rows] = await node.engine.context.pool.query<RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM jobs WHERE task_id = ? AND status = 'succeeded'",
        [due.id],
      );
      if (Number(rows[0]!.n) >= n) break;
      await sleep(100);
    }
    busy = false;
    const [rows] = await node.engine.context.pool.query<RowDataPacket[]>(
      "SELECT TIMESTAMPDIFF(MICROSECOND, due_at, started_at) / 1000 AS late FROM jobs WHERE task_id = ? AND status = 'succeeded'",
      [due.id],
    );
    expect(rows.length).toBe(n);
    return rows.map((r) => Number(r.late));
  } finally {
    busy = false;
    unsubscribe();
    await node.stop();
    await dropPrefix(prefix);
    await db.drop();
  }
}

/** BullMQ: the same jobs as delayed jobs, added (addBulk) while the worker idles. */
async function bullmqLateness(n: number, spreadMs: number, slowUrl: string | null): Promise<number[]> {
  const prefix = benchPrefix('bullmq-lateness');
  const connection = bullConnection();
  const queue = new Queue('lateness', { connection, prefix });
  const worker = new Worker('lateness', (job: BullJob) => (job.name === 'busy' && slowUrl ? get(slowUrl) : runTrue()), {
    connection,
    prefix,
    concurrency: CONCURRENCY,
  });
  const late: number[] = [];
  let busy = slowUrl !== null;
  const finished = new Promise<void>((resolve) => {
    worker.on('completed', (job) => {
      if (job.name === 'busy') {
        if (busy) void queue.add('busy', {}).catch(() => undefined);
        return;
      }
      late.push(job.processedOn! - (job.data as { due: number }).due);
      if (late.length === n) resolve();
    });
  });
  try {
    await worker.waitUntilReady();
    if (slowUrl) await queue.addBulk(Array.from({ length: CONCURRENCY }, () => ({ name: 'busy', data: {} })));
    const dueMs = Date.now() + LEAD_MS;
    const now = Date.now();
    const jobs = Array.from({ length: n }, (_, i) => {
      const due = dueMs + Math.floor((i * spreadMs) / n);
      return { name: 'due', data: { due }, opts: { delay: due - now, timestamp: now } };
    });
    for (let i = 0; i < n; i += 1_000) await queue.addBulk(jobs.slice(i, i + 1_000));
    expect(Date.now()).toBeLessThan(dueMs);
    await Promise.race([
      finished,
      sleep(60_000 + spreadMs).then(() => {
        throw new Error(`BullMQ: only ${late.length} of ${n} due jobs finished`);
      }),
    ]);
    busy = false;
    return late;
  } finally {
    busy = false;
    await worker.close();
    await queue.close();
    await dropPrefix(prefix);
  }
}

describe('lateness: Tickr vs BullMQ', () => {
  let server: Server;
  let slowUrl = '';

  beforeAll(async () => {
    server = createServer((_req, res) => void setTimeout(() => res.end('ok'), BUSY_MS));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    slowUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const report = (title: string, tickr: Lateness, bull: Lateness, notes: string[]): void => {
    const ms = (x: number | null): string => (x === null ? '—' : `${fmt.n(x, 1)} ms`);
    printTable(
      title,
      ['', 'jobs', 'p50', 'p99', 'max'],
      [
        [`BullMQ ${bullmqVersion}`, fmt.n(bull.jobs), ms(bull.p50Ms), ms(bull.p99Ms), ms(bull.maxMs)],
        ['Tickr', fmt.n(tickr.jobs), ms(tickr.p50Ms), ms(tickr.p99Ms), ms(tickr.maxMs)],
      ],
      notes,
    );
  };

  it(`${fmt.n(SPREAD.jobs)} jobs due over ${SPREAD.ms / 1000} s`, async () => {
    const bull = summary(await bullmqLateness(SPREAD.jobs, SPREAD.ms, null));
    const tickr = summary(await tickrLateness(SPREAD.jobs, SPREAD.ms, null));
    report(`Lateness: ${fmt.n(SPREAD.jobs)} jobs due over ${SPREAD.ms / 1000} s (shell \`true\`)`, tickr, bull, [
      `Start minus due time, lower is better. Concurrency ${CONCURRENCY}, one Redis; all jobs queued ${LEAD_MS} ms before the first was due.`,
      `Due at ${fmt.n(SPREAD.jobs / (SPREAD.ms / 1000))} jobs/s: where that nears a side's run-phase rate, its lateness is mostly queueing.`,
    ]);
    recordFigures('lateness', {
      spread: {
        jobs: SPREAD.jobs,
        spreadMs: SPREAD.ms,
        duePerSec: SPREAD.jobs / (SPREAD.ms / 1000),
        concurrency: CONCURRENCY,
        tickr,
        bullmq: bull,
      },
    });
  });

  // Defined in the full run only, to keep --quick under a minute.
  if (!QUICK)
    it(`${fmt.n(SPARSE.jobs)} jobs due over ${SPARSE.ms / 1000} s, far below capacity`, async () => {
      const bull = summary(await bullmqLateness(SPARSE.jobs, SPARSE.ms, null));
      const tickr = summary(await tickrLateness(SPARSE.jobs, SPARSE.ms, null));
      report(`Lateness, far below capacity: ${fmt.n(SPARSE.jobs)} jobs due over ${SPARSE.ms / 1000} s`, tickr, bull, [
        `Due at ${fmt.n(SPARSE.jobs / (SPARSE.ms / 1000))} jobs/s: the scheduler's own precision, no queueing behind other due jobs.`,
      ]);
      recordFigures('lateness', {
        sparse: {
          jobs: SPARSE.jobs,
          spreadMs: SPARSE.ms,
          duePerSec: SPARSE.jobs / (SPARSE.ms / 1000),
          tickr,
          bullmq: bull,
        },
      });
    });

  it(`${fmt.n(BUSY.jobs)} jobs due over ${BUSY.ms / 1000} s while every worker is busy`, async () => {
    const bull = summary(await bullmqLateness(BUSY.jobs, BUSY.ms, slowUrl));
    const tickr = summary(await tickrLateness(BUSY.jobs, BUSY.ms, slowUrl));
    report(`Lateness while every worker is busy: ${fmt.n(BUSY.jobs)} jobs due over ${BUSY.ms / 1000} s`, tickr, bull, [
      `All ${CONCURRENCY} workers run other jobs (HTTP GETs answered after ${BUSY_MS} ms, each replaced when it finishes),`,
      `so a due job waits for a worker to come free: ~${fmt.n(BUSY_MS / CONCURRENCY, 1)} ms on average if the busy jobs are staggered.`,
    ]);
    recordFigures('lateness', {
      busy: { jobs: BUSY.jobs, spreadMs: BUSY.ms, busyJobMs: BUSY_MS, concurrency: CONCURRENCY, tickr, bullmq: bull },
    });
  });
});
