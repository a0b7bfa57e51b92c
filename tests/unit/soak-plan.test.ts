import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOverlaps, checkSideBySide, rerunCause, type AttemptRow, type JobRow } from '../../soak/checks';
import { FAULT_KINDS, planFaults, type FaultWindow } from '../../soak/faults';
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
    appendFileSync(
      file,
      'S 10 1 500 1000 90\nS 11 1 501 1001 90\nE 10 1 500 1200 90\nX 10 1 500 1203 90\nS 11 1 502 1300 91\nX 11 1 502 1400 91\nnoise\n',
    );
    const runs = readRuns(file);
    expect(runs.get('10/1')).toEqual({
      jobId: '10',
      attempt: 1,
      pid: 500,
      grandPid: 90,
      startMs: 1000,
      endMs: 1200,
      exitMs: 1203,
      starts: 1,
    });
    expect(runs.get('11/1')).toMatchObject({ starts: 2, endMs: null, exitMs: 1400 });
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
      run: {
        jobId: id,
        attempt,
        pid: 1,
        grandPid: 0,
        startMs: start,
        endMs: end,
        exitMs: end + 2,
        starts: 1,
      } satisfies Run,
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

  describe('two attempts of one job at once', () => {
    const attempt = (attemptNo: number, outcome: string, node = 'b'): AttemptRow => ({
      jobId: '9',
      attempt: attemptNo,
      node,
      startedMs: 0,
      finishedMs: null,
      outcome,
    });
    const span = (attemptNo: number, start: number, exit: number): Run => ({
      jobId: '9',
      attempt: attemptNo,
      pid: 1,
      grandPid: 0,
      startMs: start,
      endMs: null,
      exitMs: exit,
      starts: 1,
    });
    const kill: FaultWindow = { kind: 'node.kill', node: 'b', startMs: 500, endMs: 2_000 };
    const partition: FaultWindow = { kind: 'mysql.partition', node: 'b', startMs: 500, endMs: 8_000 };
    const check = (outcome: string, windows: FaultWindow[], retryStart: number) => {
      const duplicated: string[] = [];
      const runs = new Map([['9', [span(1, 100, 7_000), span(2, retryStart, 9_000)]]]);
      const attempts = new Map([
        ['9/1', attempt(1, outcome)],
        ['9/2', attempt(2, 'succeeded', 'a')],
      ]);
      const crashes = checkSideBySide(runs, attempts, windows, 0, duplicated);
      return { crashes, duplicated };
    };

    it('accepts a retry after the first attempt ended', () => {
      expect(check('interrupted', [partition], 7_500)).toEqual({ crashes: 0, duplicated: [] });
    });

    it("counts a retry beside a SIGKILLed node's orphan as the crash case", () => {
      expect(check('interrupted', [kill], 6_000)).toEqual({ crashes: 1, duplicated: [] });
    });

    it('flags a retry beside an attempt its cut-off node did not fence, or one that was not interrupted', () => {
      expect(check('interrupted', [partition], 6_000).duplicated).toHaveLength(1);
      expect(check('failed', [kill], 6_000).duplicated).toHaveLength(1);
    });
  });

  describe('a job whose work completed twice', () => {
    const first: Run = {
      jobId: '4',
      attempt: 1,
      pid: 1,
      grandPid: 0,
      startMs: 1_000,
      endMs: 2_000,
      exitMs: 2_001,
      starts: 1,
    };
    const second: Run = {
      jobId: '4',
      attempt: 2,
      pid: 2,
      grandPid: 0,
      startMs: 9_000,
      endMs: 9_500,
      exitMs: 9_501,
      starts: 1,
    };
    const recorded = (outcome: string): AttemptRow => ({
      jobId: '4',
      attempt: 1,
      node: 'c',
      startedMs: 1_000,
      finishedMs: 8_000,
      outcome,
    });
    const window = (kind: FaultWindow['kind'], node: string, startMs: number): FaultWindow => ({
      kind,
      node,
      startMs,
      endMs: startMs + 3_000,
    });

    it('is the at-least-once case when its node was killed, drained or cut off meanwhile, and the attempt interrupted', () => {
      for (const kind of ['node.kill', 'node.drain', 'mysql.partition'] as const)
        expect(rerunCause(recorded('interrupted'), first, second, [window(kind, 'c', 1_500)], 0)).toBeNull();
    });

    it('is a duplicate otherwise: no such fault on that node, an outage for everyone, or an attempt not interrupted', () => {
      expect(rerunCause(recorded('interrupted'), first, second, [], 0)).toContain('no crash, drain or partition');
      expect(rerunCause(recorded('interrupted'), first, second, [window('node.kill', 'a', 1_500)], 0)).not.toBeNull();
      expect(
        rerunCause(recorded('interrupted'), first, second, [window('mysql.restart', 'c', 1_500)], 0),
      ).not.toBeNull();
      expect(rerunCause(recorded('succeeded'), first, second, [window('node.kill', 'c', 1_500)], 0)).toContain(
        'recorded succeeded',
      );
    });
  });
});
