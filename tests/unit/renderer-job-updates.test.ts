import { describe, expect, it } from 'vitest';
import { appendLog } from '../../src/renderer/src/views/JobDetail/log/log-updates';
import { appendPage, applyJobUpdate, jobMatches, newestFirst } from '../../src/renderer/src/views/Jobs/job-updates';
import { job, logEntry } from './renderer-fixtures';

/** The pure list updates behind job.updated and job.log. */

const ids = (jobs: readonly { id: string }[]): string[] => jobs.map((j) => j.id);

describe('applyJobUpdate', () => {
  const all = { filter: {}, complete: true };

  it('replaces a known job in place, keeping the order of the others', () => {
    const jobs = [job('3'), job('2'), job('1')];
    const running = job('2', { status: 'running', attempt: 1 });

    const next = applyJobUpdate(jobs, running, all);

    expect(ids(next)).toEqual(['3', '2', '1']);
    expect(next[1]).toBe(running);
    expect(next[0]).toBe(jobs[0]);
    expect(next[2]).toBe(jobs[2]);
  });

  it('puts a new job first, since the list is newest first, even while later pages exist', () => {
    expect(ids(applyJobUpdate([job('2'), job('1')], job('3'), { filter: {}, complete: false }))).toEqual([
      '3',
      '2',
      '1',
    ]);
    expect(ids(applyJobUpdate([], job('1'), all))).toEqual(['1']);
  });

  it('orders ids as numbers, not as text: 10 is newer than 9', () => {
    expect(ids(applyJobUpdate([job('9'), job('8')], job('10'), all))).toEqual(['10', '9', '8']);
    expect(newestFirst('10', '9')).toBeLessThan(0);
    expect(newestFirst('9007199254740993', '9007199254740992')).toBeLessThan(0);
  });

  it('adds a job of the filter, and leaves out one that does not match', () => {
    const failedOfTask3 = { filter: { taskId: '3', status: 'failed' as const }, complete: true };
    const jobs = [job('5', { taskId: '3', status: 'failed' })];

    expect(applyJobUpdate(jobs, job('6', { taskId: '4', status: 'failed' }), failedOfTask3)).toBe(jobs);
    expect(applyJobUpdate(jobs, job('6', { taskId: '3', status: 'running' }), failedOfTask3)).toBe(jobs);
    expect(ids(applyJobUpdate(jobs, job('6', { taskId: '3', status: 'failed' }), failedOfTask3))).toEqual(['6', '5']);
  });

  it('keeps a loaded job that no longer matches in its place, with its new status', () => {
    const scope = { filter: { status: 'failed' as const }, complete: true };
    const next = applyJobUpdate([job('2', { status: 'failed' })], job('2', { status: 'waiting' }), scope);
    expect(next.map((j) => j.status)).toEqual(['waiting']);
  });

  it('puts an older job that now matches between the loaded ones, but not past the last loaded page', () => {
    const jobs = [job('9'), job('5'), job('3')];
    expect(ids(applyJobUpdate(jobs, job('4'), { filter: {}, complete: false }))).toEqual(['9', '5', '4', '3']);
    // Older than every loaded row while pages remain: its page brings it.
    expect(applyJobUpdate(jobs, job('2'), { filter: {}, complete: false })).toBe(jobs);
    expect(ids(applyJobUpdate(jobs, job('2'), all))).toEqual(['9', '5', '3', '2']);
  });

  it('applies the time range on scheduledFor', () => {
    const scope = { filter: { from: '2025-01-02T00:00:00Z', to: '2025-01-03T00:00:00Z' }, complete: true };
    expect(jobMatches(job('1', { scheduledFor: '2025-01-02T12:00:00.000Z' }), scope.filter)).toBe(true);
    expect(jobMatches(job('1', { scheduledFor: '2025-01-01T12:00:00.000Z' }), scope.filter)).toBe(false);
    expect(jobMatches(job('1', { scheduledFor: '2025-01-03T00:00:01.000Z' }), scope.filter)).toBe(false);
    expect(jobMatches(job('7'), { id: '7' })).toBe(true);
    expect(jobMatches(job('7', { nodeId: 'node-aaaa-1' }), { nodeId: 'node-bbbb-1' })).toBe(false);
  });

  it('leaves the list it was given as it was', () => {
    const jobs = [job('1')];
    applyJobUpdate(jobs, job('2'), all);
    applyJobUpdate(jobs, job('1', { status: 'failed' }), all);
    expect(jobs).toEqual([job('1')]);
  });
});

describe('appendPage', () => {
  it('appends a later page, leaving out a job already there', () => {
    expect(ids(appendPage([job('9'), job('8')], [job('8'), job('7'), job('6')]))).toEqual(['9', '8', '7', '6']);
  });
});

describe('appendLog', () => {
  const seqs = (log: readonly { seq: number }[]): number[] => log.map((e) => e.seq);

  it('appends new entries after the ones it has, in their order', () => {
    expect(seqs(appendLog([logEntry(1), logEntry(2)], [logEntry(3), logEntry(4)]))).toEqual([1, 2, 3, 4]);
    expect(seqs(appendLog([], [logEntry(0), logEntry(1)]))).toEqual([0, 1]);
  });

  it('skips entries it already has: an event may repeat what jobs.logs returned', () => {
    const log = [logEntry(1), logEntry(2), logEntry(3)];
    expect(seqs(appendLog(log, [logEntry(2), logEntry(3), logEntry(4)]))).toEqual([1, 2, 3, 4]);
  });

  it('changes nothing when every entry was seen', () => {
    const log = [logEntry(1), logEntry(2)];
    expect(appendLog(log, [logEntry(1, 'again'), logEntry(2, 'again')])).toEqual(log);
    expect(appendLog(log, [])).toEqual(log);
  });

  it('leaves the log it was given as it was', () => {
    const log = [logEntry(1)];
    appendLog(log, [logEntry(2)]);
    expect(seqs(log)).toEqual([1]);
  });
});
