import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOverlaps, type AttemptRow, type JobRow } from '../../soak/checks';
import { FAULT_KINDS, planFaults } from '../../soak/faults';
import { prng } from '../../soak/prng';
import { readRuns, type Run } from '../../soak/side-effects';
import type { SoakTask } from '../../soak/workload';

/** The soak's pure parts: its seeded plans replay, and its checks flag what they must and only that. */
describe('soak plans and checks', () => {
  it('one seed gives the same draws again, another seed others', () => {
    const draws = (seed: number): number[] => {
      const r = prng(seed);
      return Array.from({ length: 20 }, () => r.int(0, 1000));
    };
    const a = prng(7);
    const b = prng(7);
    const seqA = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(seqA);
    expect(draws(7)).toEqual(draws(7));
    expect(draws(7)).not.toEqual(draws(8));
    const r = prng(1);
    for (let i = 0; i < 1000; i++) {
      const n = r.int(3, 5);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(5);
    }
  });

  it('the fault plan replays from its seed and meets every kind within its first nine faults', () => {
    const plan = planFaults(prng(42), 18, ['a', 'b', 'c']);
    expect(planFaults(prng(42), 18, ['a', 'b', 'c'])).toEqual(plan);
    expect(new Set(plan.slice(0, 9).map((f) => f.kind))).toEqual(new Set(FAULT_KINDS));
    for (const f of plan) {
      if (f.kind === 'mysql.freeze') expect(f.downMs).toBeGreaterThanOrEqual(5_000);
      if (f.kind === 'mysql.freeze') expect(f.downMs).toBeLessThanOrEqual(15_000);
      if (f.kind === 'mysql.partition') expect(f.node).toBe('c');
      expect(Math.abs(f.jumpMs)).toBeGreaterThanOrEqual(10_000);
    }
  });

  it('reads the side-effect lines, counting an attempt that started twice', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'soak-runs-'));
    const file = path.join(dir, 'side-effects.txt');
    appendFileSync(file, 'S 10 1 500 1000\nS 11 1 501 1001\nE 10 1 500 1200\nS 11 1 502 1300\nnoise\n');
    const runs = readRuns(file);
    expect(runs.get('10/1')).toEqual({ jobId: '10', attempt: 1, pid: 500, startMs: 1000, endMs: 1200, starts: 1 });
    expect(runs.get('11/1')).toMatchObject({ starts: 2, endMs: null });
    expect(readRuns(path.join(dir, 'missing.txt')).size).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  describe('the overlap check', () => {
    const task = (overlap: SoakTask['overlap']): SoakTask => ({
      id: '1',
      name: `t-${overlap}`,
      behaviour: 'ok',
      recurring: true,
      everyMs: 1000,
      overlap,
      catchUp: 'once',
      pinnedTo: null,
      nodeId: null,
    });
    const job = (id: string): JobRow => ({
      id,
      taskId: '1',
      status: 'succeeded',
      attempt: 1,
      maxAttempts: 3,
      occurrenceMs: null,
      dueMs: 0,
      error: null,
    });
    /** Job `id`, attempt `attempt`: claimed at `claim`, its process from `start` to `end`. */
    const run = (id: string, attempt: number, claim: number, start: number, end: number, outcome = 'succeeded') => ({
      attempt: {
        jobId: id,
        attempt,
        node: 'a',
        startedMs: claim,
        finishedMs: end + 5,
        outcome,
      } satisfies AttemptRow,
      run: { jobId: id, attempt, pid: 1, startMs: start, endMs: end, starts: 1 } satisfies Run,
    });
    const check = (overlap: SoakTask['overlap'], ...list: ReturnType<typeof run>[]): string[] => {
      const jobs = new Map(list.map((r) => [r.run.jobId, job(r.run.jobId)]));
      const attempts = new Map(list.map((r) => [`${r.run.jobId}/${r.run.attempt}`, r.attempt]));
      const runs = new Map<string, Run[]>();
      for (const r of list) runs.set(r.run.jobId, [...(runs.get(r.run.jobId) ?? []), r.run]);
      return checkOverlaps([task(overlap)], jobs, attempts, runs);
    };

    it('flags a fresh run claimed while another run of a skip or queue task went on', () => {
      expect(check('skip', run('1', 1, 0, 10, 2000), run('2', 1, 1000, 1010, 1500))).toHaveLength(1);
      expect(check('queue', run('1', 2, 0, 10, 2000), run('2', 1, 1000, 1010, 1500))).toHaveLength(1);
    });

    it('accepts runs one after the other, overlap allow, an interrupted run and a retry claimed meanwhile', () => {
      expect(check('skip', run('1', 1, 0, 10, 900), run('2', 1, 1000, 1010, 1500))).toEqual([]);
      expect(check('allow', run('1', 1, 0, 10, 2000), run('2', 1, 1000, 1010, 1500))).toEqual([]);
      expect(check('skip', run('1', 1, 0, 10, 2000, 'interrupted'), run('2', 1, 1000, 1010, 1500))).toEqual([]);
      // The retry's process started after the fresh run's claim began: both claims were in flight.
      expect(check('skip', run('1', 2, 990, 1005, 2000), run('2', 1, 1000, 1010, 1500))).toEqual([]);
      // A retry itself is never held back.
      expect(check('skip', run('2', 1, 0, 10, 2000), run('1', 2, 1000, 1010, 1500))).toEqual([]);
    });
  });
});
