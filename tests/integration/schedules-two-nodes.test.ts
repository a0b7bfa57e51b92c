import path from 'node:path';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2';
import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/types';
import type { TestNode } from '../helpers/engine';
import { isolated } from '../helpers/isolated';
import { sideEffects } from '../helpers/jobs';
import { waitFor } from '../helpers/services';

/**
 * Two nodes share one Redis and one MySQL and both run the same 20 recurring tasks, every 1 s,
 * for 30 s. Each occurrence must exist once and run once: the claim (one compare-and-set) and the
 * materialisation (INSERT IGNORE on (task, occurrence), under the task's row lock) are what
 * guarantee it, whichever node gets there first.
 */
const TASKS = 20;
const RUN_MS = 30_000;

describe('two nodes, 20 recurring tasks every 1 s, 30 s (real Redis and MariaDB)', () => {
  const iso = isolated('file');
  // The second test goes on with the nodes and the reader the first one started.
  let check: mysql.Pool;
  let nodes: [TestNode, TestNode];

  it('runs each occurrence exactly once', async () => {
    const a = await iso.node({ config: { concurrency: 4, nodeName: 'a' } });
    const b = await iso.node({ config: { concurrency: 4, nodeName: 'b' } });
    nodes = [a, b];
    check = mysql.createPool({ uri: iso.db.url, timezone: 'Z', connectionLimit: 2 });
    iso.onCleanup(() => check.end());
    const file = path.join(iso.dir, 'effects.txt');

    // Half the tasks are created through each node. `all` + `allow`: no occurrence may be
    // dropped or skipped for lag or overlap, so every occurrence must show exactly one run.
    const tasks: Task[] = [];
    for (let i = 0; i < TASKS; i++) {
      tasks.push(
        await (i % 2 ? b : a).call('tasks.create', {
          name: `t${i}`,
          type: 'shell',
          command: `echo "$TICKR_JOB_ID $TICKR_TASK_ID" >> ${file}`,
          schedule: { type: 'interval', everyMs: 1_000 },
          catchUp: 'all',
          overlap: 'allow',
          maxAttempts: 1,
        }),
      );
    }
    await new Promise((r) => setTimeout(r, RUN_MS));
    for (const t of tasks) await a.call('tasks.pause', { id: t.id });
    await waitFor(
      async () => {
        const [rows] = await check.query<RowDataPacket[]>(
          "SELECT COUNT(*) AS n FROM jobs WHERE status IN ('running','waiting','ready')",
        );
        return Number(rows[0]?.n) === 0;
      },
      { what: 'every job to settle', timeoutMs: 15_000 },
    );

    // No occurrence has two jobs (the unique key says so; this checks it holds).
    const [dupOcc] = await check.query<RowDataPacket[]>(
      'SELECT task_id, occurrence_at, COUNT(*) AS n FROM jobs WHERE occurrence_at IS NOT NULL GROUP BY task_id, occurrence_at HAVING n > 1',
    );
    expect(dupOcc).toEqual([]);

    // Every job of an occurrence ran exactly once: one attempt, succeeded.
    const [jobs] = await check.query<RowDataPacket[]>(
      `SELECT j.id, j.task_id, j.occurrence_at, j.status, j.attempt, COUNT(a.job_id) AS attempts, SUM(a.outcome='succeeded') AS ok
       FROM jobs j LEFT JOIN attempts a ON a.job_id = j.id WHERE j.occurrence_at IS NOT NULL
       GROUP BY j.id, j.task_id, j.occurrence_at, j.status, j.attempt ORDER BY j.task_id, j.occurrence_at`,
    );
    const ran = jobs.filter((j) => j.status !== 'cancelled');
    for (const j of ran) {
      expect({ id: j.id, status: j.status, attempts: Number(j.attempts), ok: Number(j.ok) }).toEqual({
        id: j.id,
        status: 'succeeded',
        attempts: 1,
        ok: 1,
      });
    }
    // Pausing cancelled only occurrences that had not started.
    for (const j of jobs.filter((j) => j.status === 'cancelled')) expect(Number(j.attempts)).toBe(0);

    // Each task's occurrences are one second apart from the first to the last: none missing.
    for (const t of tasks) {
      const occ = ran.filter((j) => String(j.task_id) === t.id).map((j) => (j.occurrence_at as Date).getTime());
      expect(occ.length, `task ${t.id}`).toBeGreaterThanOrEqual(RUN_MS / 1_000 - 3);
      for (let i = 1; i < occ.length; i++) expect(occ[i]! - occ[i - 1]!, `task ${t.id}`).toBe(1_000);
    }

    // One side effect per run, none twice, and both nodes did work.
    const lines = sideEffects(file).map((l) => l.split(' ')[0]!);
    expect(lines.length).toBe(ran.length);
    expect(new Set(lines).size).toBe(lines.length);
    expect(new Set(lines)).toEqual(new Set(ran.map((j) => String(j.id))));
    const [perNode] = await check.query<RowDataPacket[]>(
      'SELECT node_id, COUNT(*) AS n FROM attempts GROUP BY node_id',
    );
    expect(perNode).toHaveLength(2);
    for (const row of perNode) expect(Number(row.n)).toBeGreaterThan(ran.length / 10);
    console.log(
      `two nodes: ${ran.length} occurrences of ${TASKS} tasks ran once each; per node: ${perNode.map((r) => `${String(r.n)}`).join(' + ')}`,
    );
  });

  it('overlap holds across nodes: 20 simultaneous manual runs of a skip task and a queue task, through both nodes', async () => {
    const [a, b] = nodes;
    const hourly = { type: 'interval' as const, everyMs: 3_600_000 };
    const skip = await a.call('tasks.create', {
      name: 'skip',
      type: 'shell',
      command: 'sleep 1',
      schedule: hourly,
      overlap: 'skip',
    });
    const queue = await a.call('tasks.create', {
      name: 'queue',
      type: 'shell',
      command: 'sleep 1',
      schedule: hourly,
      overlap: 'queue',
    });
    const burst = (id: string) =>
      Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? b : a).call('tasks.runNow', { id })));
    const jobs = [...(await burst(skip.id)), ...(await burst(queue.id))];
    await waitFor(
      async () => {
        const [rows] = await check.query<RowDataPacket[]>(
          "SELECT COUNT(*) AS n FROM jobs WHERE id IN (?) AND status IN ('waiting','ready','running')",
          [jobs.map((j) => j.id)],
        );
        return Number(rows[0]?.n) === 0;
      },
      { what: 'the bursts to settle', timeoutMs: 15_000 },
    );
    for (const [task, runs] of [
      [skip, 1],
      [queue, 2],
    ] as const) {
      const [attempts] = await check.query<RowDataPacket[]>(
        'SELECT a.started_at, a.finished_at FROM attempts a JOIN jobs j ON j.id = a.job_id WHERE j.task_id=? ORDER BY a.started_at',
        [task.id],
      );
      // One runs; skip drops the other 19, queue keeps one more and drops 18.
      expect(attempts, task.name).toHaveLength(runs);
      for (let i = 1; i < attempts.length; i++)
        expect((attempts[i]!.started_at as Date).getTime()).toBeGreaterThanOrEqual(
          (attempts[i - 1]!.finished_at as Date).getTime(),
        );
      const [skipped] = await check.query<RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM jobs WHERE task_id=? AND status='skipped'",
        [task.id],
      );
      expect(Number(skipped[0]?.n), task.name).toBe(20 - runs);
    }
  });
});
