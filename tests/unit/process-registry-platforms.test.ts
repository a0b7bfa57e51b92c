import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { endLinuxLeftovers, endLinuxUnforked } from '../../src/main/engine/execution/leftovers/linux';
import { endMacLeftovers, parseElapsed, parsePs, PS_ARGS } from '../../src/main/engine/execution/leftovers/macos';
import { endWindowsLeftovers, parseProcessList, PROCESS_LIST } from '../../src/main/engine/execution/leftovers/windows';
import { parseEntry, ProcessRegistry, replayJournal } from '../../src/main/engine/execution/process-registry';
import { tempDir } from '../helpers/services';

/** A fixed "now" for every recorded output below. */
const NOW = Date.parse('2026-12-02T20:30:00.000Z');

/** A command runner that answers from recorded output and keeps the calls. */
function recorded(answers: Record<string, string | Error>): {
  run: (file: string, args: string[]) => string;
  calls: string[][];
} {
  const calls: string[][] = [];
  return {
    calls,
    run(file, args) {
      calls.push([file, ...args]);
      const answer = answers[file];
      if (answer === undefined || answer instanceof Error) throw answer ?? new Error(`${file}: not found`);
      return answer;
    },
  };
}

// `ps -A -o pid=,pgid=,etime=` on macOS 14, trimmed: launchd, a login shell, then the groups of
// two jobs. Job A (pgid 4521) was spawned 12 s ago and has a child; pgid 5100's leader has
// exited and its two children remain; 6200 is a pid reused by a program started 3 days ago.
const MAC_PS = `    1     1 03-04:12:55
  312   312    01:02:03
 4521  4521       00:12
 4522  4521       00:11
 5101  5100       00:40
 5102  5100       00:39
 6200  6200 03-00:00:10
`;

describe('macOS: ps and start times', () => {
  it('parses elapsed times in all of ps’s shapes', () => {
    expect(parseElapsed('00:12')).toBe(12_000);
    expect(parseElapsed('01:02:03')).toBe(3_723_000);
    expect(parseElapsed('03-04:12:55')).toBe(((3 * 24 + 4) * 3600 + 12 * 60 + 55) * 1000);
    expect(parseElapsed('12')).toBeNull();
    expect(parsePs(MAC_PS, NOW).find((r) => r.pid === 4522)).toEqual({
      pid: 4522,
      pgid: 4521,
      startedAt: NOW - 11_000,
    });
    expect(parsePs('garbage\n\n  7 x 00:01', NOW)).toEqual([]);
  });

  it('ends a group whose leader started when the node wrote down, with one ps for every job', () => {
    const { run, calls } = recorded({ ps: MAC_PS });
    const killed: number[] = [];
    const ended = endMacLeftovers(
      [
        { jobId: 'a', pid: 4521, startedAt: NOW - 12_400 },
        { jobId: 'b', pid: 5100, startedAt: NOW - 41_000 },
      ],
      { run, now: () => NOW, killGroup: (pgid) => killed.push(pgid) },
    );
    expect(ended).toEqual(['a', 'b']);
    expect(killed).toEqual([4521, 5100]);
    expect(calls).toEqual([['ps', ...PS_ARGS]]);
  });

  it('spares a reused pid, a leaderless group older than the job, a gone group and a file without a time', () => {
    const { run, calls } = recorded({ ps: MAC_PS });
    const killed: number[] = [];
    const ended = endMacLeftovers(
      [
        { jobId: 'reused', pid: 6200, startedAt: NOW - 5_000 },
        // Its members started 40 s ago, before this job was spawned 20 s ago: another group.
        { jobId: 'older', pid: 5100, startedAt: NOW - 20_000 },
        { jobId: 'gone', pid: 7000, startedAt: NOW - 5_000 },
      ],
      { run, now: () => NOW, killGroup: (pgid) => killed.push(pgid) },
    );
    expect(ended).toEqual([]);
    expect(killed).toEqual([]);
    expect(calls).toHaveLength(1);
    expect(
      endMacLeftovers([{ jobId: 'old', pid: 4521, startedAt: null }], { run, now: () => NOW, killGroup: () => 0 }),
    ).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it('kills nothing when ps cannot run', () => {
    const { run } = recorded({ ps: new Error('spawn ps ENOENT') });
    const killed: number[] = [];
    expect(
      endMacLeftovers([{ jobId: 'a', pid: 4521, startedAt: NOW - 12_000 }], {
        run,
        now: () => NOW,
        killGroup: (p) => killed.push(p),
      }),
    ).toEqual([]);
    expect(killed).toEqual([]);
  });
});

// PROCESS_LIST's output on Windows 11: pid, parent pid, creation time (UTC, 7 fractional digits).
// Job A's cmd.exe (3000) still runs with a child; job B's cmd.exe (3100) has exited and left
// two children, plus a process that names 3100 as parent but is older (a stale parent id);
// job C's cmd.exe pid (3200) was reused by a newer program, which has a child of its own.
const WIN_LIST = `4 0 2026-12-01T08:00:00.0000000Z
3000 900 2026-12-02T20:29:50.1234567Z
3001 3000 2026-12-02T20:29:50.4000000Z
3150 3100 2026-12-02T20:29:41.0000000Z
3151 3100 2026-12-02T20:29:42.0000000Z
3160 3100 2026-12-02T19:00:00.0000000Z
3250 3200 2026-12-02T20:29:31.0000000Z
3200 900 2026-12-02T20:29:55.0000000Z
3251 3200 2026-12-02T20:29:56.0000000Z
`;

describe('Windows: parent ids, creation times and taskkill /T', () => {
  it('parses the process list, CRLF included, and skips what is not a row', () => {
    const rows = parseProcessList(WIN_LIST.replace(/\n/g, '\r\n') + 'oops\r\n');
    expect(rows).toHaveLength(9);
    expect(rows[1]).toEqual({ pid: 3000, ppid: 900, createdAt: Date.parse('2026-12-02T20:29:50.123Z') });
  });

  it('ends a live shell with its tree, and the orphans of an exited one, never a stale or reused pid', () => {
    const { run, calls } = recorded({ [PROCESS_LIST[0]]: WIN_LIST, taskkill: 'SUCCESS' });
    const ended = endWindowsLeftovers(
      [
        { jobId: 'a', pid: 3000, startedAt: Date.parse('2026-12-02T20:29:50.130Z') },
        { jobId: 'b', pid: 3100, startedAt: Date.parse('2026-12-02T20:29:40.000Z') },
        { jobId: 'c', pid: 3200, startedAt: Date.parse('2026-12-02T20:29:30.000Z') },
        { jobId: 'none', pid: 4000, startedAt: Date.parse('2026-12-02T20:29:30.000Z') },
      ],
      { run },
    );
    expect(ended).toEqual(['a', 'b', 'c']);
    expect(calls[0]).toEqual([PROCESS_LIST[0], ...PROCESS_LIST[1]]);
    expect(calls.slice(1)).toEqual([
      ['taskkill', '/PID', '3000', '/T', '/F'],
      ['taskkill', '/PID', '3150', '/T', '/F'],
      ['taskkill', '/PID', '3151', '/T', '/F'],
      // 3200 itself and its child 3251 are the new program's; 3250 was job C's.
      ['taskkill', '/PID', '3250', '/T', '/F'],
    ]);
  });

  it('counts a job ended only when taskkill succeeded, and runs nothing for files without a time', () => {
    const { run, calls } = recorded({ [PROCESS_LIST[0]]: WIN_LIST, taskkill: new Error('not found') });
    expect(
      endWindowsLeftovers([{ jobId: 'a', pid: 3000, startedAt: Date.parse('2026-12-02T20:29:50.130Z') }], { run }),
    ).toEqual([]);
    expect(calls).toHaveLength(2);
    expect(endWindowsLeftovers([{ jobId: 'a', pid: 3000, startedAt: null }], { run })).toEqual([]);
    expect(calls).toHaveLength(2);
  });
});

describe('Linux: /proc and TICKR_JOB_ID', () => {
  const dir = tempDir('tickr-proc');
  afterAll(() => dir.remove());

  function proc(pid: number, pgrp: number, comm: string, env: string[]): void {
    mkdirSync(path.join(dir.path, String(pid)));
    writeFileSync(path.join(dir.path, String(pid), 'stat'), `${pid} (${comm}) S 1 ${pgrp} ${pgrp} 0 -1 4194560`);
    writeFileSync(path.join(dir.path, String(pid), 'environ'), env.join('\0') + '\0');
  }

  it('ends a group a member of which carries the job id, even after the leader exited; spares others', () => {
    // Job x's shell (800) has exited; its child, with a name holding ") (", is still in group 800.
    proc(801, 800, 'sleep ) (x', ['PATH=/bin', 'TICKR_JOB_ID=x']);
    // Group 900 is a reused pid: no member carries job y's id.
    proc(900, 900, 'bash', ['PATH=/bin', 'TICKR_JOB_ID=other']);
    const killed: number[] = [];
    const ended = endLinuxLeftovers(
      [
        { jobId: 'x', pid: 800, startedAt: null },
        { jobId: 'y', pid: 900, startedAt: NOW },
        { jobId: 'z', pid: 1000, startedAt: NOW },
      ],
      { procRoot: dir.path, killGroup: (p) => killed.push(p) },
    );
    expect(ended).toEqual(['x']);
    expect(killed).toEqual([800]);
  });

  it('without a pid (killed between the fork and its record), finds the job by its TICKR_JOB_ID alone', () => {
    // Job u's shell (1200, its own group) and its child; job w has nothing left running.
    proc(1200, 1200, 'sh', ['PATH=/bin', 'TICKR_JOB_ID=u']);
    proc(1201, 1200, 'sleep', ['PATH=/bin', 'TICKR_JOB_ID=u']);
    const killed: number[] = [];
    const ended = endLinuxUnforked(['u', 'w'], { procRoot: dir.path, killGroup: (p) => killed.push(p) });
    expect(ended).toEqual(['u']);
    expect(killed).toEqual([1200]); // group 900 carries another job's id, group 800 job x's
  });
});

describe('ProcessRegistry', () => {
  const dir = tempDir('tickr-registry');
  afterAll(() => dir.remove());

  it('writes the pid and spawn time, and at restart takes the platform path and removes every file', async () => {
    const { run } = recorded({ ps: MAC_PS });
    const killed: number[] = [];
    const options = {
      platform: 'darwin' as const,
      run,
      now: () => NOW - 12_000,
      killGroup: (p: number) => killed.push(p),
    };
    const before = new ProcessRegistry(dir.path, options);
    await before.add('job-a', 4521);
    await before.add('job-gone', 7000);
    expect(parseEntry('job-a', '4521 ' + String(NOW - 12_000))).toEqual({
      jobId: 'job-a',
      pid: 4521,
      startedAt: NOW - 12_000,
    });

    const after = new ProcessRegistry(dir.path, { ...options, now: () => NOW });
    expect(after.endLeftovers()).toEqual(['job-a']);
    expect(killed).toEqual([4521]);
    expect(readdirSync(path.join(dir.path, 'running'))).toEqual([]);
  });

  it('reads a pid-only file from an older version and ignores a damaged one', () => {
    expect(parseEntry('j', '4521\n')).toEqual({ jobId: 'j', pid: 4521, startedAt: null });
    expect(parseEntry('j', 'x 1')).toBeNull();
    expect(parseEntry('j', '1 5')).toBeNull();
    const registry = new ProcessRegistry(dir.path, { platform: 'win32', run: () => '' });
    writeFileSync(path.join(dir.path, 'running', 'bad.pid'), 'nonsense');
    expect(registry.endLeftovers()).toEqual([]);
    expect(existsSync(path.join(dir.path, 'running', 'bad.pid'))).toBe(false);
  });

  /** A fresh data dir of its own, under the describe's temp dir. */
  let n = 0;
  const dataDir = (): string => {
    const d = path.join(dir.path, `node-${++n}`);
    mkdirSync(d);
    return d;
  };
  const linux = (killed: number[]) => ({
    platform: 'linux' as const,
    // No /proc here: every pid counts as gone, so nothing is killed; the ids found are what matters.
    procRoot: path.join(dir.path, 'no-proc'),
    killGroup: (p: number) => killed.push(p),
  });
  const journalOf = (d: string): string => readFileSync(path.join(d, 'running', 'processes.log'), 'utf8');

  it('journals starts and ends; a restart replays it to what was still running, then starts afresh', async () => {
    const d = dataDir();
    const before = new ProcessRegistry(d, { platform: 'win32', run: () => '' });
    await Promise.all([before.add('ended', 4000), before.add('left', 4001)]);
    await before.remove('ended');
    await before.remove('never-added'); // an HTTP job: nothing written
    expect(journalOf(d).trim().split('\n')).toEqual([
      expect.stringMatching(/^\+ ended 4000 \d+$/),
      expect.stringMatching(/^\+ left 4001 \d+$/),
      '- ended',
    ]);
    const live = new Map<string, string>();
    replayJournal(journalOf(d), live);
    expect([...live.keys()]).toEqual(['left']);

    // Windows: the leftovers are the processes whose parent chain leads to a recorded pid.
    let listed = '';
    const after = new ProcessRegistry(d, {
      platform: 'win32',
      run: (file) => {
        if (file === 'powershell.exe') {
          listed = 'listed';
          return '';
        }
        return '';
      },
    });
    expect(after.endLeftovers()).toEqual([]);
    expect(listed).toBe('listed'); // one entry was left, so the platform path ran
    expect(readdirSync(path.join(d, 'running'))).toEqual([]);
    await after.close();
    await before.close();
  });

  it('journals a job before its fork; a restart finds it by its id when the pid never came (Linux)', () => {
    const d = dataDir();
    const before = new ProcessRegistry(d, linux([]));
    before.starting('unforked');
    before.starting('forked');
    void before.add('forked', 4242);
    expect(journalOf(d).trim().split('\n')).toEqual([
      expect.stringMatching(/^\+ unforked 0 \d+$/),
      expect.stringMatching(/^\+ forked 0 \d+$/),
      expect.stringMatching(/^\+ forked 4242 \d+$/),
    ]);
    const live = new Map<string, string>();
    replayJournal(journalOf(d), live);
    expect(live.get('unforked')).toMatch(/^0 /);
    expect(live.get('forked')).toMatch(/^4242 /);
    // No /proc here: neither is found, but the restart still reads both and removes the journal.
    const after = new ProcessRegistry(d, linux([]));
    expect(after.endLeftovers()).toEqual([]);
    expect(readdirSync(path.join(d, 'running'))).toEqual([]);
  });

  it('reads the pid files of the version before the journal beside the journal, and ignores a torn last line', () => {
    const live = new Map<string, string>();
    replayJournal('+ a 10 1\n+ b 11 2\n- a\n+ c 1', live);
    expect(Object.fromEntries(live)).toEqual({ b: '11 2', c: '1' });
    replayJournal('- b\n+ d', live); // `+ d` lost its entry: ignored
    expect(Object.fromEntries(live)).toEqual({ c: '1' });

    const d = dataDir();
    const registry = new ProcessRegistry(d, linux([]));
    writeFileSync(path.join(d, 'running', 'old-job.pid'), '4521 1000');
    writeFileSync(path.join(d, 'running', 'processes.log'), '+ new-job 4522 2000\n+ done 4523 3000\n- done\n+ to');
    const seen: string[] = [];
    const spy = new ProcessRegistry(d, {
      ...linux([]),
      platform: 'darwin',
      run: (file) => {
        seen.push(file);
        return '';
      },
    });
    // Both entries reach the platform path; with no such processes listed, none is ended.
    expect(spy.endLeftovers()).toEqual([]);
    expect(seen).toEqual(['ps']);
    expect(readdirSync(path.join(d, 'running'))).toEqual([]);
    expect(registry.endLeftovers()).toEqual([]);
  });

  it('empties the journal when nothing runs, and rewrites it to what runs when jobs never stop', async () => {
    const d = dataDir();
    const registry = new ProcessRegistry(d, {
      ...linux([]),
      journalLimits: { compactAfterLines: 8, truncateAfterLines: 3 },
    });
    await registry.add('j0', 100);
    await registry.remove('j0');
    await registry.add('j1', 101);
    expect(journalOf(d).trim().split('\n')).toHaveLength(3);
    await registry.remove('j1');
    // The fourth line found nothing running after more than 3 lines: the journal was emptied.
    expect(journalOf(d)).toBe('');

    await registry.add('long', 500);
    for (let i = 0; i < 6; i++) {
      await registry.add(`k${i}`, 200 + i);
      await registry.remove(`k${i}`);
    }
    // Past 8 lines with `long` running: rewritten to `long` alone, then appended to again.
    const lines = journalOf(d).trim().split('\n');
    expect(lines[0]).toMatch(/^\+ long 500 \d+$/);
    expect(lines.length).toBeLessThan(9);
    const live = new Map<string, string>();
    replayJournal(journalOf(d), live);
    expect([...live.keys()]).toEqual(['long']);
    await registry.close();
    // Closed: what ends later (a halted node's jobs) writes nothing.
    await registry.remove('long');
    replayJournal(journalOf(d), live);
    expect([...live.keys()]).toEqual(['long']);
  });
});
