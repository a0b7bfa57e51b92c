import path from 'node:path';
import mysql from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import type { Job, JobDetail, Task } from '../../src/shared/types';
import { appendCommand, sideEffects } from '../helpers/jobs';
import { spawnNode, type NodeProcess } from '../helpers/node-process';
import { alive, readPids } from '../helpers/processes';
import { isolated } from '../helpers/isolated';
import { tempDir, waitFor } from '../helpers/services';

describe('a node killed with SIGKILL while a job runs (real processes, Redis and MariaDB)', () => {
  const iso = isolated('file');
  const dataDir = tempDir('tickr-crash-node');
  const procs: NodeProcess[] = [];
  iso.onCleanup(async () => {
    for (const p of procs) await p.stop();
    dataDir.remove();
  });

  /** A real `tickr serve` on this file's database and prefix; the same `dataDir` is the same node. */
  async function crashyNode(name: string, nodeDataDir: string): Promise<NodeProcess> {
    const node = await spawnNode({
      TICKR_MYSQL_URL: iso.db.url,
      TICKR_REDIS_PREFIX: iso.prefix,
      TICKR_DATA_DIR: nodeDataDir,
      TICKR_NODE_NAME: name,
    });
    procs.push(node);
    return node;
  }

  it('2. after restart the job is not stuck in running: the old attempt is ended and recorded as interrupted, and the job retried once', async () => {
    const first = await crashyNode('crashy', dataDir.path);
    const file = path.join(iso.dir, 'effects.txt');
    const pidFile = path.join(iso.dir, 'pids.txt');
    const task = await first.call<Task>('tasks.create', {
      name: 'long job',
      type: 'shell',
      command: appendCommand(file, `echo $$ >> ${pidFile}; sleep 6; `),
      maxAttempts: 3,
      retryDelayMs: 100,
    });
    const job = await waitFor(
      async () =>
        (await first.call<{ items: Job[] }>('jobs.list', { taskId: task.id })).items.find(
          (j) => j.status === 'running',
        ),
      {
        what: 'the job to run',
      },
    );
    await waitFor(async () => readPids(pidFile).length === 1, { what: 'the job process' });
    const [orphanPid] = readPids(pidFile);

    await first.kill();
    const check = await mysql.createConnection(iso.db.url);
    try {
      const [stuck] = await check.query<mysql.RowDataPacket[]>('SELECT status FROM jobs WHERE id=?', [job.id]);
      expect(stuck[0]?.status).toBe('running');
      // The job's process group outlives the node: SIGKILL does not reach a detached group.
      expect(alive(orphanPid!)).toBe(true);

      const second = await crashyNode('crashy', dataDir.path);
      // The restarted node ends the old attempt's processes before retrying the job.
      await waitFor(async () => !alive(orphanPid!), { timeoutMs: 5_000, what: 'the orphaned process to be ended' });
      const done = await waitFor(
        async () => {
          const j = await second.call<JobDetail>('jobs.get', { id: job.id });
          return j.status === 'succeeded' ? j : null;
        },
        { timeoutMs: 30_000, what: 'the retried job to succeed' },
      );
      expect(done.attempts.map((a) => a.outcome)).toEqual(['interrupted', 'succeeded']);
      expect(done.attempts[0]?.error).toContain('found at restart');
      // One side effect, from the second attempt: the first never got to write it.
      expect(sideEffects(file)).toEqual([`${job.id} 2`]);
      const [running] = await check.query<mysql.RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM jobs WHERE status='running'",
      );
      expect(Number(running[0]?.n)).toBe(0);
    } finally {
      await check.end();
    }
  });

  it('after restart, what the job left behind is ended even when its shell had exited after the crash', async () => {
    // The nodes of the test before share this database: stopped, so the job surely runs on this one.
    for (const p of procs.splice(0)) await p.stop();
    const crashDir = tempDir('tickr-crash-node-leader');
    iso.onCleanup(() => crashDir.remove());
    const first = await crashyNode('crashy-2', crashDir.path);
    const leaderFile = path.join(iso.dir, 'leader.txt');
    const childFile = path.join(iso.dir, 'child.txt');
    // The shell starts a child in its group, then exits on its own 2 s later.
    const task = await first.call<Task>('tasks.create', {
      name: 'leaves a child',
      type: 'shell',
      command: `sleep 60 & echo $! >> ${childFile}; echo $$ >> ${leaderFile}; sleep 2`,
      maxAttempts: 1,
    });
    await waitFor(async () => readPids(childFile).length === 1 && readPids(leaderFile).length === 1, {
      what: 'the job to start its child',
    });
    const [leader] = readPids(leaderFile);
    const [child] = readPids(childFile);

    await first.kill();
    // With no node to end it, the shell exits by itself: the group has no leader any more.
    await waitFor(async () => !alive(leader!), { timeoutMs: 10_000, what: 'the job shell to exit' });
    expect(alive(child!)).toBe(true);

    const second = await crashyNode('crashy-2', crashDir.path);
    await waitFor(async () => !alive(child!), { timeoutMs: 5_000, what: 'the leftover child to be ended' });
    const job = await waitFor(
      async () =>
        (await second.call<{ items: Job[] }>('jobs.list', { taskId: task.id })).items.find(
          (j) => j.status === 'failed',
        ),
      { timeoutMs: 10_000, what: 'the interrupted job to be recorded' },
    );
    const detail = await second.call<JobDetail>('jobs.get', { id: job.id });
    expect(detail.attempts.map((a) => a.outcome)).toEqual(['interrupted']);
  });
});
