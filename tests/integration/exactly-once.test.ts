import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { RowDataPacket } from 'mysql2';
import { describe, expect, it } from 'vitest';
import type { TestNode } from '../helpers/engine';
import { isolated } from '../helpers/isolated';
import { waitFor } from '../helpers/services';

/** Queues `n` runs of one task whose command appends its job id to a file. */
async function queueRuns(node: TestNode, file: string, n: number): Promise<string[]> {
  const task = await node.call('tasks.create', {
    name: 'append',
    type: 'shell',
    command: `echo "$TICKR_JOB_ID" >> ${file}`,
    enabled: false,
    overlap: 'allow',
  });
  const ids: string[] = [];
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, () => node.call('tasks.runNow', { id: task.id })),
    );
    ids.push(...batch.map((j) => j.id));
  }
  return ids;
}

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

async function countBy(node: TestNode, sql: string): Promise<RowDataPacket[]> {
  const [rows] = await node.engine.context.pool.query<RowDataPacket[]>(sql);
  return rows;
}

describe('each job runs exactly once (real Redis and MariaDB)', () => {
  const env = isolated();

  it('1,000 jobs at concurrency 8 on one node', async () => {
    const node = await env.node({ config: { concurrency: 8 } });
    const file = path.join(env.dir, 'one-node.txt');
    const started = Date.now();
    const ids = await queueRuns(node, file, 1_000);
    await waitFor(
      async () =>
        lines(file).length >= 1_000 &&
        (await countBy(node, "SELECT COUNT(*) AS n FROM jobs WHERE status='succeeded'"))[0]?.n === '1000',
      {
        timeoutMs: 90_000,
        what: '1,000 jobs to succeed',
      },
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `1,000 jobs (create + run) on one node at concurrency 8: ${seconds.toFixed(1)} s, ${(1000 / seconds).toFixed(0)} jobs/s`,
    );
    const ran = lines(file);
    expect(ran.length).toBe(1_000);
    expect(new Set(ran).size).toBe(1_000);
    expect(new Set(ran)).toEqual(new Set(ids));
    const attempts = await countBy(
      node,
      'SELECT COUNT(*) AS n, COUNT(DISTINCT job_id) AS jobs, MAX(attempt) AS maxAttempt FROM attempts',
    );
    expect(attempts[0]).toMatchObject({ n: '1000', jobs: '1000', maxAttempt: 1 });
  });

  it('two engines on one Redis and MySQL share 1,000 jobs: none twice, both take work', async () => {
    const a = await env.node({ config: { concurrency: 4, nodeName: 'a' } });
    await env.node({ config: { concurrency: 4, nodeName: 'b' } }); // takes its share; checked per node below
    const file = path.join(env.dir, 'two-nodes.txt');
    const ids = await queueRuns(a, file, 1_000);
    await waitFor(
      async () => (await countBy(a, "SELECT COUNT(*) AS n FROM jobs WHERE status='succeeded'"))[0]?.n === '1000',
      {
        timeoutMs: 90_000,
        what: '1,000 jobs to succeed',
      },
    );
    const ran = lines(file);
    expect(ran.length).toBe(1_000);
    expect(new Set(ran)).toEqual(new Set(ids));
    const perNode = await countBy(a, 'SELECT node_id, COUNT(*) AS n FROM attempts GROUP BY node_id');
    expect(perNode).toHaveLength(2);
    for (const row of perNode) expect(Number(row.n)).toBeGreaterThan(100);
    const twice = await countBy(a, 'SELECT COUNT(*) AS n FROM attempts WHERE attempt > 1');
    expect(twice[0]?.n).toBe('0');
  });

  it('shutdown while jobs run: they finish and their final status is in MySQL', async () => {
    const node = await env.node({ config: { concurrency: 4, drainTimeoutMs: 10_000 } });
    const file = path.join(env.dir, 'drain.txt');
    const task = await node.call('tasks.create', {
      name: 'slow',
      type: 'shell',
      command: `sleep 1; echo "$TICKR_JOB_ID" >> ${file}`,
      enabled: false,
      overlap: 'allow',
    });
    const jobs = await Promise.all(Array.from({ length: 4 }, () => node.call('tasks.runNow', { id: task.id })));
    await waitFor(
      async () => (await countBy(node, "SELECT COUNT(*) AS n FROM jobs WHERE status='running'"))[0]?.n === '4',
      { what: '4 running jobs' },
    );
    // A connection of our own: the engine closes its pool on stop.
    const check = await import('mysql2/promise').then((m) => m.createConnection(env.db.url));
    try {
      await node.stop();
      const [rows] = await check.query<RowDataPacket[]>('SELECT id, status FROM jobs ORDER BY id');
      expect(rows.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
      expect(rows.map((r) => String(r.id)).sort()).toEqual(jobs.map((j) => j.id).sort());
      expect(lines(file).sort()).toEqual(jobs.map((j) => j.id).sort());
      const [attempts] = await check.query<RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM attempts WHERE outcome='succeeded' AND finished_at IS NOT NULL",
      );
      expect(Number(attempts[0]?.n)).toBe(4);
    } finally {
      await check.end();
    }
  });

  it('shutdown past the drain limit, with every worker busy, kills what still runs and records it as interrupted', async () => {
    const node = await env.node({ config: { concurrency: 1, drainTimeoutMs: 500, killGraceMs: 200 } });
    const task = await node.call('tasks.create', {
      name: 'endless',
      type: 'shell',
      command: 'sleep 60',
      enabled: false,
      maxAttempts: 2,
    });
    const job = await node.call('tasks.runNow', { id: task.id });
    await waitFor(async () => (await node.call('jobs.get', { id: job.id })).status === 'running', { what: 'running' });
    const check = await import('mysql2/promise').then((m) => m.createConnection(env.db.url));
    try {
      const t0 = Date.now();
      await node.stop();
      expect(Date.now() - t0).toBeLessThan(5_000);
      const [rows] = await check.query<RowDataPacket[]>('SELECT status, attempt FROM jobs WHERE id=?', [job.id]);
      expect(rows[0]).toMatchObject({ status: 'waiting', attempt: 1 });
      const [attempts] = await check.query<RowDataPacket[]>('SELECT outcome, error FROM attempts WHERE job_id=?', [
        job.id,
      ]);
      expect(attempts[0]).toMatchObject({ outcome: 'interrupted', error: 'interrupted by shutdown' });
    } finally {
      await check.end();
    }
  });
});
