import { describe, expect, it } from 'vitest';
import { appendLog } from '../../src/renderer/src/views/JobDetail/log/log-updates';
import { JOB_LIMIT, upsertJob } from '../../src/renderer/src/views/Jobs/job-updates';
import { job, logEntry } from './renderer-fixtures';

/** The pure list updates behind job.updated and job.log. */

const ids = (jobs: readonly { id: string }[]): string[] => jobs.map((j) => j.id);

describe('upsertJob', () => {
  it('replaces a known job in place, keeping the order of the others', () => {
    const jobs = [job('3'), job('2'), job('1')];
    const running = job('2', { status: 'running', attempt: 1 });

    const next = upsertJob(jobs, running);

    expect(ids(next)).toEqual(['3', '2', '1']);
    expect(next[1]).toBe(running);
    expect(next[0]).toBe(jobs[0]);
    expect(next[2]).toBe(jobs[2]);
  });

  it('puts a new job first, since the list is newest first', () => {
    expect(ids(upsertJob([job('2'), job('1')], job('3')))).toEqual(['3', '2', '1']);
    expect(ids(upsertJob([], job('1')))).toEqual(['1']);
  });

  it('drops the oldest job when a new one would pass the limit', () => {
    const next = upsertJob([job('3'), job('2'), job('1')], job('4'), 3);
    expect(ids(next)).toEqual(['4', '3', '2']);
  });

  it('keeps JOB_LIMIT jobs by default', () => {
    const full = Array.from({ length: JOB_LIMIT }, (_, i) => job(String(JOB_LIMIT - i)));
    const next = upsertJob(full, job('new'));
    expect(next).toHaveLength(JOB_LIMIT);
    expect(next[0]?.id).toBe('new');
    expect(next.some((j) => j.id === '1')).toBe(false);
  });

  it('does not drop anything when a known job is updated in a full list', () => {
    const next = upsertJob([job('2'), job('1')], job('1', { status: 'succeeded' }), 2);
    expect(ids(next)).toEqual(['2', '1']);
    expect(next[1]?.status).toBe('succeeded');
  });

  it('leaves the list it was given as it was', () => {
    const jobs = [job('1')];
    upsertJob(jobs, job('2'));
    upsertJob(jobs, job('1', { status: 'failed' }));
    expect(jobs).toEqual([job('1')]);
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
