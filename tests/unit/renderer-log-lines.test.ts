import { beforeEach, describe, expect, it, vi } from 'vitest';
import { applyEvent } from '../../src/renderer/src/app/events';
import { resetStore, useTickrStore } from '../../src/renderer/src/app/store';
import { ansiChunks, plainText, sgrCarryAfter } from '../../src/renderer/src/views/JobDetail/log/ansi';
import { markChunks } from '../../src/renderer/src/views/JobDetail/log/highlight';
import { appendEntries, emptyLineModel, linesOf } from '../../src/renderer/src/views/JobDetail/log/line-model';
import { logText } from '../../src/renderer/src/views/JobDetail/log/log-download';
import { elapsedTime } from '../../src/renderer/src/views/JobDetail/log/log-time';
import { findMatches, stepMatch } from '../../src/renderer/src/views/JobDetail/log/search';
import { LOG_PAGE_LIMIT, textSlices } from '../../src/renderer/src/views/JobDetail/log/slice';
import type { LogEntry, LogStream } from '../../src/shared/types';
import { installFakeApi, job } from './renderer-fixtures';

/** The log viewer's pure parts: entries into lines, escape codes, search, and the slice's paging. */

function entry(seq: number, text: string, stream: LogStream = 'stdout', attempt = 1): LogEntry {
  return { seq, attempt, stream, at: '2025-01-01T00:00:00.000Z', text };
}

const texts = (lines: readonly { plain: string }[]) => lines.map((l) => l.plain);

describe('line model', () => {
  it('splits an entry holding many lines, and joins a line split over entries', () => {
    const lines = linesOf([entry(1, 'one\ntwo\nthr'), entry(2, 'ee\nfo'), entry(3, 'ur\n')]);
    expect(texts(lines)).toEqual(['one', 'two', 'three', 'four']);
    expect(lines.map((l) => l.number)).toEqual([1, 2, 3, 4]);
  });

  it('keeps line numbers as output grows, growing the open line in place', () => {
    const first = appendEntries(emptyLineModel(), [entry(1, 'a\nhal')]);
    const second = appendEntries(first, [entry(2, 'f done\nb\n')]);

    expect(texts(first.lines)).toEqual(['a', 'hal']);
    expect(texts(second.lines)).toEqual(['a', 'half done', 'b']);
    expect(second.lines[0]).toBe(first.lines[0]);
    expect(second.lines[1]?.number).toBe(2);
    // The model given is left as it was: the store's earlier state stays true.
    expect(texts(first.lines)).toEqual(['a', 'hal']);
  });

  it('ends a half-written line when another stream or attempt writes', () => {
    const lines = linesOf([
      entry(1, 'progress'),
      entry(2, 'warning\n', 'stderr'),
      entry(3, ' more\n'),
      entry(4, 'retry\n', 'stdout', 2),
    ]);
    expect(lines.map((l) => [l.plain, l.stream, l.attempt])).toEqual([
      ['progress', 'stdout', 1],
      ['warning', 'stderr', 1],
      [' more', 'stdout', 1],
      ['retry', 'stdout', 2],
    ]);
    expect(lines.map((l) => l.attemptStart)).toEqual([true, false, false, true]);
  });

  it('reads \\r\\n as one newline and shows the last redraw of a \\r progress line', () => {
    expect(texts(linesOf([entry(1, 'dos\r\nline\r\n'), entry(2, '10%\r50%\r100%\n')]))).toEqual([
      'dos',
      'line',
      '100%',
    ]);
  });

  it('gives each line the colour state the lines before it left open', () => {
    const lines = linesOf([entry(1, '\x1b[1;31mred\nstill red\x1b[0m\nplain\n')]);
    expect(lines.map((l) => l.prefix)).toEqual(['', '\x1b[1;31m', '']);
    expect(ansiChunks(lines[1]?.prefix ?? '', lines[1]?.shown ?? '')[0]).toMatchObject({
      text: 'still red',
      className: 'ansi-red-fg ansi-bold',
    });
  });

  it('keeps the streams apart in colour state too', () => {
    const lines = linesOf([entry(1, '\x1b[32mgreen out\n'), entry(2, 'err\n', 'stderr'), entry(3, 'out\n')]);
    expect(lines.map((l) => l.prefix)).toEqual(['', '', '\x1b[32m']);
  });
});

describe('escape codes', () => {
  it('strips colours, cursor moves and OSC links from the plain text', () => {
    expect(plainText('\x1b[31mred\x1b[0m \x1b[2Kclear \x1b]8;;http://localhost/\x1b\\link\x1b]8;;\x1b\\')).toBe(
      'red clear link',
    );
  });

  it('carries only what a reset has not cleared', () => {
    expect(sgrCarryAfter('', 'a\x1b[1mb\x1b[34mc')).toBe('1;34');
    expect(sgrCarryAfter('1;34', 'x\x1b[0my')).toBe('');
    expect(sgrCarryAfter('1', 'x\x1b[m\x1b[33my')).toBe('33');
    expect(sgrCarryAfter('1', 'no codes')).toBe('1');
  });

  it('renders chunks whose text is the plain text, so search ranges line up', () => {
    const raw = '\x1b[33mwarn\x1b[0m: \x1b[2Kdisk \x1b[41mfull\x1b[0m';
    expect(
      ansiChunks('', raw)
        .map((c) => c.text)
        .join(''),
    ).toBe(plainText(raw));
  });
});

describe('search', () => {
  const lines = linesOf([entry(1, 'Error one\nnone\nerror, error\n')]);

  it('finds every match, case-insensitive, with its line and range', () => {
    expect(findMatches(lines, 'error')).toEqual([
      { line: 0, start: 0, end: 5 },
      { line: 2, start: 0, end: 5 },
      { line: 2, start: 7, end: 12 },
    ]);
    expect(findMatches(lines, '')).toEqual([]);
  });

  it('steps to the next and previous match, wrapping around', () => {
    expect(stepMatch(2, 3, 1)).toBe(0);
    expect(stepMatch(0, 3, -1)).toBe(2);
    expect(stepMatch(-1, 3, -1)).toBe(2);
    expect(stepMatch(0, 0, 1)).toBe(-1);
  });

  it('marks a match that spans two colours as two pieces', () => {
    const pieces = markChunks(
      [
        { text: 'ab', className: 'ansi-red-fg' },
        { text: 'cd', className: '' },
      ],
      [{ start: 1, end: 3, current: true }],
    );
    expect(pieces.map((p) => [p.text, p.className, p.mark])).toEqual([
      ['a', 'ansi-red-fg', null],
      ['b', 'ansi-red-fg', 'current'],
      ['c', '', 'current'],
      ['d', '', null],
    ]);
  });
});

describe('time and download', () => {
  it('writes time since start in seconds, minutes and hours', () => {
    expect(elapsedTime(1500)).toBe('+1.500s');
    expect(elapsedTime(123_500)).toBe('+2:03.500');
    expect(elapsedTime(3_723_000)).toBe('+1:02:03.000');
  });

  it('downloads the plain lines, one per line', () => {
    expect(logText(linesOf([entry(1, '\x1b[32mok\x1b[0m\nhalf')]))).toBe('ok\nhalf\n');
    expect(logText([])).toBe('');
  });
});

describe('log slice: the stored log paged in, live lines kept', () => {
  const state = () => useTickrStore.getState();
  beforeEach(() => resetStore());

  it('pages through jobs.logs until a short page, merging what arrived live without loss or repeats', async () => {
    const stored = Array.from({ length: LOG_PAGE_LIMIT * 2 + 10 }, (_, i) => entry(i + 1, `line ${i + 1}\n`));
    const calls: (number | undefined)[] = [];
    installFakeApi({
      'jobs.logs': async ({ afterSeq = 0, limit = 1000 }) => {
        calls.push(afterSeq);
        // Mid-way, the job writes more: the event holds a stored line and two new ones.
        if (calls.length === 2) {
          applyEvent({
            event: 'job.log',
            data: { jobId: '9', entries: [stored[stored.length - 1] as LogEntry, entry(20_011, 'new 1\n')] },
          });
          applyEvent({ event: 'job.log', data: { jobId: '9', entries: [entry(20_012, 'new 2\n')] } });
        }
        const items = stored.filter((e) => e.seq > afterSeq).slice(0, limit);
        return { items, nextSeq: items.at(-1)?.seq ?? afterSeq };
      },
    });

    await state().openLog('9');

    expect(calls).toEqual([0, LOG_PAGE_LIMIT, LOG_PAGE_LIMIT * 2]);
    const seqs = state().log.map((e) => e.seq);
    expect(seqs).toHaveLength(stored.length + 2);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.slice(-3)).toEqual([LOG_PAGE_LIMIT * 2 + 10, 20_011, 20_012]);
    expect(
      state()
        .logLines.lines.map((l) => l.number)
        .at(-1),
    ).toBe(stored.length + 2);
    expect(state().logLoading).toBe(false);
    expect(state().logPending).toEqual([]);
  });

  it('splits a page into lines a slice of text at a time, never cutting an entry', () => {
    const entries = [entry(1, 'a'.repeat(60)), entry(2, 'b'.repeat(50)), entry(3, 'c'.repeat(10)), entry(4, 'd')];
    expect(textSlices(entries, 100).map((slice) => slice.map((e) => e.seq))).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(textSlices([], 100)).toEqual([]);
  });

  it.each([
    ['ended', { status: 'succeeded', attempt: 1 }, true],
    ['waits for its retry', { status: 'waiting', attempt: 1 }, true],
    ['is still running', { status: 'running', attempt: 1 }, false],
    ['has not run yet', { status: 'waiting', attempt: 0 }, false],
  ] as const)('reads on from the last line when the open job %s: %s', async (_when, change, reads) => {
    const resumeLog = vi.fn(async () => {});
    useTickrStore.setState({ logJobId: '9', resumeLog });
    applyEvent({ event: 'job.updated', data: job('9', change) });
    applyEvent({ event: 'job.updated', data: job('8', { status: 'succeeded', attempt: 1 }) });
    expect(resumeLog).toHaveBeenCalledTimes(reads ? 1 : 0);
  });

  it('reads on from the last line once the open job ends', async () => {
    const after: (number | undefined)[] = [];
    installFakeApi({
      'jobs.logs': async ({ afterSeq }) => {
        after.push(afterSeq);
        return afterSeq === undefined
          ? { items: [entry(1, 'first\n')], nextSeq: 1 }
          : { items: [entry(2, 'written on another node\n')], nextSeq: 2 };
      },
    });
    await state().openLog('9');

    applyEvent({ event: 'job.updated', data: job('9', { status: 'succeeded', attempt: 1, exitCode: 0 }) });
    await expect.poll(() => texts(state().logLines.lines)).toEqual(['first', 'written on another node']);
    expect(after).toEqual([undefined, 1]);
  });
});
