import path from 'node:path';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MethodInput } from '../../src/shared/contract';
import type { Task } from '../../src/shared/types';
import type { TestNode } from '../helpers/engine';
import { isolated } from '../helpers/isolated';
import { appendCommand, sideEffects } from '../helpers/jobs';
import { tempDir, waitFor } from '../helpers/services';

/**
 * Recurring schedules against real Redis and MariaDB: catch-up after downtime, overlap, and the
 * task lifecycle (docs/scheduling.md). Every check reads MySQL, the source of truth.
 */

const QUEUED = 'queued: waiting for the previous run of the task to finish';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface JobRec {
  id: string;
  status: string;
  error: string | null;
  occurrence: number | null;
  scheduledFor: number;
  dueAt: number;
  attempt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** A pool of the test's own: it outlives the nodes, which close theirs on stop. */
function openDb(url: string): mysql.Pool {
  return mysql.createPool({ uri: url, timezone: 'Z', connectionLimit: 2 });
}

async function jobsOf(db: mysql.Pool, taskId: string): Promise<JobRec[]> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT * FROM jobs WHERE task_id=? ORDER BY scheduled_for, id', [
    taskId,
  ]);
  const ms = (d: Date | null): number | null => (d ? d.getTime() : null);
  return rows.map((r) => ({
    id: String(r.id),
    status: r.status as string,
    error: r.error as string | null,
    occurrence: ms(r.occurrence_at as Date | null),
    scheduledFor: (r.scheduled_for as Date).getTime(),
    dueAt: (r.due_at as Date).getTime(),
    attempt: Number(r.attempt),
    startedAt: ms(r.started_at as Date | null),
    finishedAt: ms(r.finished_at as Date | null),
  }));
}

/** Every attempt of a task's jobs, by start time. */
async function attemptsOf(
  db: mysql.Pool,
  taskId: string,
): Promise<{ jobId: string; start: number; end: number | null; outcome: string }[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT a.job_id, a.started_at, a.finished_at, a.outcome FROM attempts a JOIN jobs j ON j.id = a.job_id WHERE j.task_id=? ORDER BY a.started_at',
    [taskId],
  );
  return rows.map((r) => ({
    jobId: String(r.job_id),
    start: (r.started_at as Date).getTime(),
    end: r.finished_at ? (r.finished_at as Date).getTime() : null,
    outcome: r.outcome as string,
  }));
}

/** The most attempts of one task that were running at the same instant. */
function maxConcurrent(attempts: { start: number; end: number | null }[]): number {
  const points = attempts.flatMap((a) => [
    { t: a.start, d: 1 },
    { t: a.end ?? Number.MAX_SAFE_INTEGER, d: -1 },
  ]);
  // An end and a start at the same millisecond do not overlap.
  points.sort((x, y) => x.t - y.t || x.d - y.d);
  let now = 0;
  let max = 0;
  for (const p of points) {
    now += p.d;
    max = Math.max(max, now);
  }
  return max;
}

const pending = (jobs: JobRec[]): JobRec[] => jobs.filter((j) => j.status === 'waiting' || j.status === 'ready');

describe('recurring schedules (real Redis and MariaDB)', () => {
  const iso = isolated();
  let check: mysql.Pool | null = null;

  async function node(opts: { dataDir?: string; concurrency?: number } = {}): Promise<TestNode> {
    const n = await iso.node({ dataDir: opts.dataDir, config: { concurrency: opts.concurrency ?? 4 } });
    if (!check) {
      const pool = openDb(iso.db.url);
      check = pool;
      iso.onCleanup(async () => {
        await pool.end();
        check = null;
      });
    }
    return n;
  }

  function everySecond(n: TestNode, name: string, extra: Partial<MethodInput<'tasks.create'>> = {}): Promise<Task> {
    return n.call('tasks.create', {
      name,
      type: 'shell',
      command: 'true',
      schedule: { type: 'interval', everyMs: 1_000 },
      ...extra,
    });
  }

  describe('catch-up after downtime', () => {
    it('a node stopped across several occurrences of a 1 s schedule: skip records them, once runs one, all runs each', async () => {
      const dataDir = tempDir('tickr-catch-up-node');
      try {
        const first = await node({ dataDir: dataDir.path, concurrency: 6 });
        const file = (name: string): string => path.join(iso.dir, `catch-up-${name}.txt`);
        const policies = ['skip', 'once', 'all'] as const;
        // Two tasks per policy: one keeps its pending occurrence over the downtime (claimed late
        // after the restart), one loses it while the node is down (repaired by the start-up check).
        const tasks: Record<string, Task> = {};
        for (const p of policies) {
          for (const variant of ['pending', 'broken']) {
            tasks[`${p}-${variant}`] = await everySecond(first, `${p}-${variant}`, {
              catchUp: p,
              command: appendCommand(file(`${p}-${variant}`)),
            });
          }
        }
        await waitFor(
          async () => {
            for (const t of Object.values(tasks))
              if ((await jobsOf(check!, t.id)).filter((j) => j.status === 'succeeded').length < 2) return false;
            return true;
          },
          { what: 'two runs of every task' },
        );
        await first.stop();
        const stoppedAt = Date.now();
        const lastRun = new Map<string, number>();
        for (const [key, t] of Object.entries(tasks)) {
          const jobs = await jobsOf(check!, t.id);
          lastRun.set(key, Math.max(...jobs.filter((j) => j.status === 'succeeded').map((j) => j.occurrence!)));
          expect(pending(jobs)).toHaveLength(1);
          if (key.endsWith('broken'))
            await check!.query("DELETE FROM jobs WHERE task_id=? AND status IN ('waiting','ready')", [t.id]);
        }
        await sleep(3_500);

        const restartAt = Date.now();
        await node({ dataDir: dataDir.path, concurrency: 6 });
        await sleep(2_500);
        const checkedAt = Date.now();

        for (const [key, t] of Object.entries(tasks)) {
          const policy = key.split('-')[0];
          const jobs = await jobsOf(check!, t.id);
          const after = jobs.filter((j) => j.occurrence !== null && j.occurrence > lastRun.get(key)!);
          // The downtime: occurrences whose window (1 s) closed before the node was back.
          const missedTimes = after.filter((j) => j.occurrence! + 1_000 < restartAt);
          const ran = (j: JobRec): boolean => j.status === 'succeeded';
          expect(jobs.filter((j) => j.status === 'failed')).toEqual([]);
          // Exactly one occurrence waits for the future (the chain is intact).
          expect(pending(jobs).filter((j) => j.occurrence! > checkedAt - 1_000).length, key).toBeGreaterThanOrEqual(1);
          if (policy === 'skip') {
            // Every occurrence is there, one second apart, and the missed ones were recorded, not run.
            const occ = after.map((j) => j.occurrence!);
            for (let i = 1; i < occ.length; i++) expect(occ[i]! - occ[i - 1]!, key).toBe(1_000);
            expect(missedTimes.length, key).toBeGreaterThanOrEqual(2);
            for (const j of missedTimes) {
              expect(j.status, key).toBe('skipped');
              expect(j.error, key).toMatch(/^missed: /);
              expect(j.attempt, key).toBe(0);
            }
            // Regular runs resumed after the restart.
            expect(after.filter((j) => ran(j) && j.startedAt! >= restartAt).length, key).toBeGreaterThanOrEqual(1);
          } else if (policy === 'once') {
            // One run stood for the whole downtime; the other missed occurrences made no rows. The
            // downtime ends at the first ordinary occurrence (due at itself) after the restart.
            const resumed = after.find((j) => j.dueAt === j.occurrence && j.occurrence! >= restartAt);
            expect(resumed, key).toBeDefined();
            const downtime = after.filter((j) => j.occurrence! < resumed!.occurrence!);
            expect(downtime.length, key).toBe(1);
            expect(ran(downtime[0]!), key).toBe(true);
            expect(downtime[0]!.startedAt!, key).toBeGreaterThanOrEqual(restartAt);
            expect(
              after.filter((j) => j.status === 'skipped'),
              key,
            ).toEqual([]);
          } else {
            // Each missed occurrence ran, once, after the restart, oldest first.
            const occ = after.map((j) => j.occurrence!);
            for (let i = 1; i < occ.length; i++) expect(occ[i]! - occ[i - 1]!, key).toBe(1_000);
            const downtime = after.filter((j) => j.occurrence! < restartAt);
            expect(downtime.length, key).toBeGreaterThanOrEqual(3);
            for (const j of downtime) {
              expect(j.status, key).toBe('succeeded');
              expect(j.attempt, key).toBe(1);
              expect(j.startedAt!, key).toBeGreaterThanOrEqual(restartAt);
            }
            const starts = downtime.map((j) => j.startedAt!);
            expect(
              [...starts].sort((a, b) => a - b),
              key,
            ).toEqual(starts);
          }
          // Nothing ran twice: one side effect per succeeded job.
          const lines = sideEffects(path.join(iso.dir, `catch-up-${key}.txt`)).map((l) => l.split(' ')[0]);
          expect(new Set(lines).size, key).toBe(lines.length);
          expect(new Set(lines), key).toEqual(new Set(jobs.filter(ran).map((j) => j.id)));
        }
        expect(stoppedAt).toBeLessThan(restartAt);
        const [events] = await check!.query<RowDataPacket[]>(
          "SELECT message FROM system_events WHERE kind='schedule.missed'",
        );
        expect(events.length).toBeGreaterThanOrEqual(6);
      } finally {
        dataDir.remove();
      }
    });
  });

  describe('overlap: a task every 1 s whose command sleeps 2.5 s', () => {
    it('skip records the overlapping occurrences, queue runs them back to back with at most one queued, allow overlaps', async () => {
      const n = await node({ concurrency: 8 });
      const tasks = {
        skip: await everySecond(n, 'skip', { overlap: 'skip', command: 'sleep 2.5' }),
        queue: await everySecond(n, 'queue', { overlap: 'queue', command: 'sleep 2.5' }),
        allow: await everySecond(n, 'allow', { overlap: 'allow', command: 'sleep 2.5' }),
      };
      // Sample what MySQL says while they run: never two of skip/queue running, never two queued.
      const deadline = Date.now() + 8_000;
      let maxQueued = 0;
      while (Date.now() < deadline) {
        for (const id of [tasks.skip.id, tasks.queue.id]) {
          const [rows] = await check!.query<RowDataPacket[]>(
            "SELECT SUM(status='running') AS running, SUM(status IN ('waiting','ready') AND error=?) AS queued FROM jobs WHERE task_id=?",
            [QUEUED, id],
          );
          expect(Number(rows[0]?.running ?? 0)).toBeLessThanOrEqual(1);
          maxQueued = Math.max(maxQueued, Number(rows[0]?.queued ?? 0));
          expect(Number(rows[0]?.queued ?? 0)).toBeLessThanOrEqual(1);
        }
        await sleep(100);
      }
      for (const t of Object.values(tasks)) await n.call('tasks.pause', { id: t.id });
      await waitFor(
        async () =>
          (await Promise.all(Object.values(tasks).map((t) => jobsOf(check!, t.id))))
            .flat()
            .every((j) => j.status !== 'running'),
        {
          what: 'the running jobs to finish',
          timeoutMs: 10_000,
        },
      );

      // skip: runs never overlap; the occurrences that came due meanwhile are recorded with the reason.
      const skipJobs = await jobsOf(check!, tasks.skip.id);
      expect(maxConcurrent(await attemptsOf(check!, tasks.skip.id))).toBe(1);
      expect(skipJobs.filter((j) => j.status === 'succeeded').length).toBeGreaterThanOrEqual(2);
      const skipped = skipJobs.filter((j) => j.status === 'skipped');
      expect(skipped.length).toBeGreaterThanOrEqual(3);
      for (const j of skipped) expect(j.error).toBe('previous run still running');

      // queue: never two at once, each next run starts as soon as the previous ends, one queued at most.
      const queueAttempts = await attemptsOf(check!, tasks.queue.id);
      expect(maxConcurrent(queueAttempts)).toBe(1);
      expect(queueAttempts.length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < queueAttempts.length; i++) {
        const gap = queueAttempts[i]!.start - queueAttempts[i - 1]!.end!;
        expect(gap).toBeGreaterThanOrEqual(0);
        expect(gap).toBeLessThan(1_000);
      }
      expect(maxQueued).toBe(1);
      const queueJobs = await jobsOf(check!, tasks.queue.id);
      const full = queueJobs.filter((j) => j.status === 'skipped');
      expect(full.length).toBeGreaterThanOrEqual(1);
      for (const j of full) expect(j.error).toBe('previous run still running (another run is already queued)');
      // A queued run started late, after its occurrence, and it was not marked as missed.
      expect(
        queueJobs.filter((j) => j.status === 'succeeded' && j.startedAt! - j.occurrence! > 1_000).length,
      ).toBeGreaterThanOrEqual(1);

      // allow: the runs overlap, and none was skipped.
      const allowAttempts = await attemptsOf(check!, tasks.allow.id);
      expect(maxConcurrent(allowAttempts)).toBeGreaterThanOrEqual(2);
      expect((await jobsOf(check!, tasks.allow.id)).filter((j) => j.status === 'skipped')).toEqual([]);
    });
  });

  describe('task lifecycle', () => {
    let n: TestNode;
    beforeEach(async () => {
      n = await node({ concurrency: 4 });
    });

    it('update while an occurrence is pending: a changed schedule replaces it atomically; other changes keep it', async () => {
      const task = await n.call('tasks.create', {
        name: 'hourly',
        type: 'shell',
        command: 'true',
        schedule: { type: 'interval', everyMs: 3_600_000 },
      });
      const [before] = pending(await jobsOf(check!, task.id));
      expect(before).toBeDefined();

      const renamed = await n.call('tasks.update', { id: task.id, name: 'still hourly', maxAttempts: 5 });
      expect(renamed.name).toBe('still hourly');
      const kept = pending(await jobsOf(check!, task.id));
      expect(kept.map((j) => j.id)).toEqual([before!.id]);
      const [maxRow] = await check!.query<RowDataPacket[]>('SELECT max_attempts FROM jobs WHERE id=?', [before!.id]);
      expect(maxRow[0]?.max_attempts).toBe(5);

      const t0 = Date.now();
      const updated = await n.call('tasks.update', {
        id: task.id,
        schedule: { type: 'cron', expr: '0 3 * * *', timezone: 'Europe/Berlin' },
      });
      expect(updated.schedule).toEqual({ type: 'cron', expr: '0 3 * * *', timezone: 'Europe/Berlin' });
      const jobs = await jobsOf(check!, task.id);
      const old = jobs.find((j) => j.id === before!.id)!;
      expect(old).toMatchObject({
        status: 'cancelled',
        error: 'replaced: the task was updated',
        occurrence: null,
        scheduledFor: before!.scheduledFor,
      });
      const now = pending(jobs);
      expect(now).toHaveLength(1);
      expect(new Date(now[0]!.dueAt).toISOString()).toMatch(/T0[12]:00:00.000Z$/); // 03:00 in Berlin
      expect(now[0]!.dueAt).toBeGreaterThan(t0);
      expect(updated.nextRunAt).toBe(new Date(now[0]!.dueAt).toISOString());
      // The same schedule with its keys in another order is no change.
      await n.call('tasks.update', {
        id: task.id,
        schedule: { timezone: 'Europe/Berlin', expr: '0 3 * * *', type: 'cron' },
      });
      expect(pending(await jobsOf(check!, task.id)).map((j) => j.id)).toEqual([now[0]!.id]);
    });

    it('update while one runs: the run finishes; the pending occurrence is replaced by the new schedule', async () => {
      const task = await everySecond(n, 'busy', { command: 'sleep 1.5' });
      await waitFor(async () => (await jobsOf(check!, task.id)).some((j) => j.status === 'running'), {
        what: 'a running job',
      });
      const running = (await jobsOf(check!, task.id)).find((j) => j.status === 'running')!;
      await n.call('tasks.update', { id: task.id, schedule: { type: 'interval', everyMs: 3_600_000 } });
      await waitFor(
        async () => (await jobsOf(check!, task.id)).find((j) => j.id === running.id)?.status === 'succeeded',
        { what: 'the run to finish' },
      );
      const jobs = await jobsOf(check!, task.id);
      expect(pending(jobs)).toHaveLength(1);
      expect(pending(jobs)[0]!.dueAt).toBeGreaterThan(Date.now() + 3_000_000);
      expect(
        jobs.filter((j) => j.status === 'cancelled').every((j) => j.error === 'replaced: the task was updated'),
      ).toBe(true);
    });

    it('pause while pending and while running: nothing runs while paused; the running job finishes', async () => {
      const task = await everySecond(n, 'pausable', { command: 'sleep 1.2' });
      await waitFor(async () => (await jobsOf(check!, task.id)).some((j) => j.status === 'running'), {
        what: 'a running job',
      });
      const running = (await jobsOf(check!, task.id)).find((j) => j.status === 'running')!;
      const paused = await n.call('tasks.pause', { id: task.id });
      expect(paused.enabled).toBe(false);
      expect(paused.nextRunAt).toBeNull();
      const afterPause = await jobsOf(check!, task.id);
      expect(pending(afterPause)).toEqual([]);
      for (const j of afterPause.filter((j) => j.status === 'cancelled'))
        expect(j.error).toBe('cancelled: the task was paused');
      await sleep(2_500);
      const later = await jobsOf(check!, task.id);
      expect(later.find((j) => j.id === running.id)?.status).toBe('succeeded');
      expect(later.length).toBe(afterPause.length);
      expect(later.filter((j) => j.status === 'running')).toEqual([]);
    });

    it("a paused or deleted task's job does not run even if its id is still in Redis", async () => {
      const paused = await n.call('tasks.create', {
        name: 'p',
        type: 'shell',
        command: 'true',
        schedule: { type: 'interval', everyMs: 1_000, startAt: new Date(Date.now() + 60_000).toISOString() },
      });
      const deleted = await n.call('tasks.create', {
        name: 'd',
        type: 'shell',
        command: 'true',
        schedule: { type: 'interval', everyMs: 1_000, startAt: new Date(Date.now() + 60_000).toISOString() },
      });
      // The race the claim guards against: the task changed, its job row did not (yet).
      await check!.query('UPDATE tasks SET enabled=0 WHERE id=?', [paused.id]);
      await check!.query('UPDATE tasks SET deleted_at=UTC_TIMESTAMP(3), enabled=0 WHERE id=?', [deleted.id]);
      const ids = [...pending(await jobsOf(check!, paused.id)), ...pending(await jobsOf(check!, deleted.id))].map(
        (j) => j.id,
      );
      expect(ids).toHaveLength(2);
      await check!.query('UPDATE jobs SET due_at=UTC_TIMESTAMP(3) WHERE id IN (?)', [ids]);
      await n.engine.context.queue.add(ids.map((id) => ({ id, dueMs: Date.now(), pinnedNodeId: null })));
      n.engine.context.wake.notify();
      await waitFor(async () => (await jobsOf(check!, paused.id)).every((j) => j.status === 'cancelled'), {
        what: 'the paused task’s job to be dropped',
      });
      await waitFor(async () => (await jobsOf(check!, deleted.id)).every((j) => j.status === 'cancelled'), {
        what: 'the deleted task’s job to be dropped',
      });
      expect((await jobsOf(check!, paused.id))[0]!.error).toBe('cancelled: the task is paused');
      expect((await jobsOf(check!, deleted.id))[0]!.error).toBe('cancelled: the task was deleted');
      const [attempts] = await check!.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM attempts');
      expect(Number(attempts[0]?.n)).toBe(0);
    });

    it('resume applies the catch-up policy to what was missed while paused (once: one run; skip: records)', async () => {
      const once = await everySecond(n, 'once', { catchUp: 'once' });
      const skip = await everySecond(n, 'skip', { catchUp: 'skip' });
      await waitFor(
        async () =>
          (await jobsOf(check!, once.id)).some((j) => j.status === 'succeeded') &&
          (await jobsOf(check!, skip.id)).some((j) => j.status === 'succeeded'),
        {
          what: 'a first run of each',
        },
      );
      await n.call('tasks.pause', { id: once.id });
      await n.call('tasks.pause', { id: skip.id });
      const pausedAt = Date.now();
      const maxId = async (id: string): Promise<number> =>
        Math.max(0, ...(await jobsOf(check!, id)).map((j) => Number(j.id)));
      const [onceBefore, skipBefore] = [await maxId(once.id), await maxId(skip.id)];
      await sleep(3_500);
      expect(await maxId(once.id)).toBe(onceBefore);

      const resumedAt = Date.now();
      const resumed = await n.call('tasks.resume', { id: once.id });
      expect(resumed.enabled).toBe(true);
      await n.call('tasks.resume', { id: skip.id });
      await sleep(500);

      const onceJobs = (await jobsOf(check!, once.id)).filter((j) => Number(j.id) > onceBefore);
      // One catch-up run (due after its occurrence) for the ~3 missed occurrences: the latest.
      const catchUp = onceJobs.filter((j) => j.dueAt > j.occurrence!);
      expect(catchUp).toHaveLength(1);
      expect(catchUp[0]!.occurrence!).toBeGreaterThan(pausedAt + 2_000);
      expect(catchUp[0]!.status).toBe('succeeded');
      expect(onceJobs.filter((j) => j.dueAt === j.occurrence && j.occurrence! < resumedAt)).toEqual([]);
      expect(pending(onceJobs)).toHaveLength(1);

      const skipJobs = (await jobsOf(check!, skip.id)).filter((j) => Number(j.id) > skipBefore);
      const missed = skipJobs.filter((j) => j.status === 'skipped');
      expect(missed.length).toBeGreaterThanOrEqual(2);
      for (const j of missed) expect(j.error).toBe('missed: the task was paused (catch-up: skip)');
      expect(skipJobs.filter((j) => j.status === 'succeeded' && j.occurrence! < resumedAt - 1_000)).toEqual([]);
    });

    it('runNow honours overlap, on an active and on a paused task (skipped while a run is going)', async () => {
      const task = await n.call('tasks.create', {
        name: 'manual',
        type: 'shell',
        command: 'sleep 1.5',
        schedule: { type: 'interval', everyMs: 3_600_000 },
      });
      const overlapping = async (): Promise<void> => {
        const first = await n.call('tasks.runNow', { id: task.id });
        await waitFor(async () => (await n.call('jobs.get', { id: first.id })).status === 'running', {
          what: 'the first run',
        });
        const second = await n.call('tasks.runNow', { id: task.id });
        const settled = await waitFor(
          async () => {
            const j = await n.call('jobs.get', { id: second.id });
            return j.status === 'skipped' ? j : null;
          },
          { what: 'the overlapping manual run to be skipped' },
        );
        expect(settled.error).toBe('previous run still running');
        await waitFor(async () => (await n.call('jobs.get', { id: first.id })).status === 'succeeded', {
          what: 'the first run to finish',
        });
      };
      await overlapping();
      await n.call('tasks.pause', { id: task.id });
      await overlapping();
      expect(maxConcurrent(await attemptsOf(check!, task.id))).toBe(1);
    });

    it('delete while pending and while running: pending cancelled, the run finishes, history kept unless purged', async () => {
      const idle = await n.call('tasks.create', {
        name: 'idle',
        type: 'shell',
        command: 'true',
        schedule: { type: 'interval', everyMs: 3_600_000 },
      });
      const res = await n.call('tasks.delete', { id: idle.id });
      expect(res).toEqual({ id: idle.id, deleted: true, cancelledJobs: 1 });
      const idleJobs = await jobsOf(check!, idle.id);
      expect(idleJobs).toHaveLength(1);
      expect(idleJobs[0]).toMatchObject({ status: 'cancelled', error: 'cancelled: the task was deleted' });
      await expect(n.call('tasks.get', { id: idle.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(n.call('tasks.delete', { id: idle.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });

      const busy = await everySecond(n, 'busy', { command: 'sleep 1.5', maxAttempts: 3 });
      await waitFor(async () => (await jobsOf(check!, busy.id)).some((j) => j.status === 'running'), {
        what: 'a running job',
      });
      const running = (await jobsOf(check!, busy.id)).find((j) => j.status === 'running')!;
      await expect(n.call('tasks.delete', { id: busy.id, purge: true })).rejects.toMatchObject({ code: 'CONFLICT' });
      const del = await n.call('tasks.delete', { id: busy.id });
      expect(del.cancelledJobs).toBe(1);
      await waitFor(
        async () => (await jobsOf(check!, busy.id)).find((j) => j.id === running.id)?.status === 'succeeded',
        { what: 'the run to finish' },
      );
      await sleep(1_200);
      const kept = await jobsOf(check!, busy.id);
      expect(pending(kept)).toEqual([]);
      expect(kept.filter((j) => j.status === 'running')).toEqual([]);

      await n.call('tasks.delete', { id: busy.id, purge: true });
      expect(await jobsOf(check!, busy.id)).toEqual([]);
      const [attempts] = await check!.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM attempts WHERE job_id=?', [
        running.id,
      ]);
      expect(Number(attempts[0]?.n)).toBe(0);
      const [logs] = await check!.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM job_logs WHERE job_id=?', [
        running.id,
      ]);
      expect(Number(logs[0]?.n)).toBe(0);
    });

    it("a cron task without a zone stores the machine's zone explicitly; intervals under 1 s are refused", async () => {
      const task = await n.call('tasks.create', {
        name: 'tz',
        type: 'shell',
        command: 'true',
        schedule: { type: 'cron', expr: '0 3 * * *' },
      });
      expect(task.schedule).toEqual({
        type: 'cron',
        expr: '0 3 * * *',
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      });
      const [row] = await check!.query<RowDataPacket[]>('SELECT timezone FROM tasks WHERE id=?', [task.id]);
      expect(row[0]?.timezone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
      await expect(
        n.call('tasks.create', {
          name: 'fast',
          type: 'shell',
          command: 'true',
          schedule: { type: 'interval', everyMs: 999 },
        }),
      ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    });

    it('cancelling a pending occurrence cancels that run only: the schedule goes on', async () => {
      const task = await n.call('tasks.create', {
        name: 'c',
        type: 'shell',
        command: 'true',
        schedule: { type: 'interval', everyMs: 3_600_000 },
      });
      const [first] = pending(await jobsOf(check!, task.id));
      await n.call('jobs.cancel', { id: first!.id });
      const jobs = await jobsOf(check!, task.id);
      expect(jobs.find((j) => j.id === first!.id)).toMatchObject({ status: 'cancelled', error: 'cancelled by a user' });
      const next = pending(jobs);
      expect(next).toHaveLength(1);
      expect(next[0]!.occurrence! - first!.occurrence!).toBe(3_600_000);
    });
  });
});
