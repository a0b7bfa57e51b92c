#!/usr/bin/env node
// Bulk loader for the benchmarks, run as a child process (see fill() in common.ts) so that the
// process being measured never pays for it. Prints one JSON object.
//
//   --mode=tickr  --mysql=URL --task=ID --n=N --dueMs=MS [--spreadMs=MS] [--redis=URL --waitingKey=KEY]
//       inserts N waiting jobs of task ID into the jobs table (multi-row INSERTs), due at MS (with
//       --spreadMs, job i is due at MS + i × spreadMs / N); with --redis, also ZADDs their ids to
//       KEY scored by their due times, as the node that created them would have.
//   --mode=history --mysql=URL --task=ID --n=N
//       inserts N finished (succeeded) jobs of task ID, each with its attempt, finished over the
//       last 30 days: 1,000 rows, then INSERT … SELECT copies of them doubling up to N, so that a
//       million rows take seconds, not a million round trips.
//   --mode=bullmq --redis=URL --prefix=P --queue=Q --n=N --delayMs=MS
//       adds N BullMQ jobs delayed by MS (addBulk, 1,000 at a time, 4 calls in flight).
import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split(/=(.*)/s).slice(0, 2)));
const n = Number(args.n);
const started = performance.now();

async function fillTickr() {
  // timezone 'Z' as the engine's pool: DATETIME(3) columns hold UTC.
  const db = await mysql.createConnection({
    uri: args.mysql,
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  const redis = args.redis ? new Redis(args.redis) : null;
  try {
    const spread = Number(args.spreadMs ?? 0);
    const dueOf = (i) => new Date(Number(args.dueMs) + Math.floor((i * spread) / n));
    const now = new Date();
    const ROWS = 5_000; // one statement stays well under max_allowed_packet
    for (let i = 0; i < n; i += ROWS) {
      const rows = Array.from({ length: Math.min(ROWS, n - i) }, (_, k) => dueOf(i + k)).map((due) => [
        args.task,
        'waiting',
        0,
        1,
        due,
        null,
        due,
        null,
        null,
        null,
        now,
        now,
      ]);
      await db.query(
        `INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, occurrence_at, due_at, pinned_node_id, error,
           finished_at, created_at, updated_at) VALUES ?`,
        [rows],
      );
    }
    const [ids] = await db.query("SELECT id, due_at FROM jobs WHERE task_id=? AND status='waiting' ORDER BY id", [
      args.task,
    ]);
    if (redis) {
      for (let i = 0; i < ids.length; i += 1_000) {
        const members = ids.slice(i, i + 1_000).flatMap((r) => [r.due_at.getTime(), String(r.id)]);
        await redis.zadd(args.waitingKey, ...members);
      }
    }
    return { jobs: ids.length, ms: Math.round(performance.now() - started) };
  } finally {
    await db.end();
    redis?.disconnect();
  }
}

async function fillHistory() {
  const db = await mysql.createConnection({ uri: args.mysql, timezone: 'Z' });
  try {
    const cols =
      'task_id, status, attempt, max_attempts, scheduled_for, due_at, started_at, finished_at, exit_code, node_id, created_at, updated_at';
    const now = Date.now();
    const SEED = Math.min(1_000, n);
    const seed = Array.from({ length: SEED }, (_, i) => {
      const finished = new Date(now - Math.floor((i * 30 * 86_400_000) / SEED));
      const started = new Date(finished.getTime() - 5);
      return [args.task, 'succeeded', 1, 1, started, started, started, finished, 0, 'bench', started, finished];
    });
    await db.query(`INSERT INTO jobs (${cols}) VALUES ?`, [seed]);
    for (let count = SEED; count < n;) {
      const take = Math.min(count, n - count);
      const [res] = await db.query(
        `INSERT INTO jobs (${cols}) SELECT ${cols} FROM jobs WHERE task_id = ? AND status = 'succeeded' ORDER BY id LIMIT ?`,
        [args.task, take],
      );
      count += res.affectedRows;
    }
    await db.query(
      `INSERT INTO attempts (job_id, attempt, node_id, claim_token, started_at, finished_at, exit_code, outcome)
       SELECT id, 1, 'bench', REPEAT('a', 32), started_at, finished_at, 0, 'succeeded' FROM jobs WHERE task_id = ? AND status = 'succeeded'`,
      [args.task],
    );
    await db.query('ANALYZE TABLE jobs, attempts');
    const [[{ jobs }]] = await db.query(
      "SELECT COUNT(*) AS jobs FROM jobs WHERE task_id = ? AND status = 'succeeded'",
      [args.task],
    );
    return { jobs: Number(jobs), ms: Math.round(performance.now() - started) };
  } finally {
    await db.end();
  }
}

async function fillBullmq() {
  const u = new URL(args.redis);
  const queue = new Queue(args.queue, {
    prefix: args.prefix,
    connection: {
      host: u.hostname,
      port: Number(u.port || 6379),
      password: decodeURIComponent(u.password) || undefined,
    },
  });
  try {
    const batch = (size) =>
      Array.from({ length: size }, () => ({ name: 'true', data: {}, opts: { delay: Number(args.delayMs) } }));
    for (let i = 0; i < n; i += 4_000) {
      const sizes = [0, 1, 2, 3].map((k) => Math.max(0, Math.min(1_000, n - i - k * 1_000))).filter((size) => size > 0);
      await Promise.all(sizes.map((size) => queue.addBulk(batch(size))));
    }
    return { jobs: await queue.getDelayedCount(), ms: Math.round(performance.now() - started) };
  } finally {
    await queue.close();
  }
}

const modes = { tickr: fillTickr, history: fillHistory, bullmq: fillBullmq };
const result = modes[args.mode] ? await modes[args.mode]() : null;
if (!result) {
  console.error(`fill.mjs: unknown --mode=${args.mode}`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
