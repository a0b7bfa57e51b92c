// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyEvent } from '../../src/renderer/src/app/events';
import { startRouter } from '../../src/renderer/src/app/routing/router';
import { resetStore, useTickrStore } from '../../src/renderer/src/app/store';
import { emptyLineModel } from '../../src/renderer/src/views/JobDetail/log/line-model';
import { addEntries } from '../../src/renderer/src/views/JobDetail/log/log-updates';
import { LogViewer } from '../../src/renderer/src/views/JobDetail/log/LogViewer';
import type { LogEntry, LogStream } from '../../src/shared/types';
import { stubLayoutApis, stubScrollLayout } from './renderer-dom-stubs';

/** The log viewer (views/JobDetail/log/LogViewer.tsx) as a reader uses it. */

const JOB = '7';
const START = Date.parse('2025-01-01T10:00:00.000Z');
let seq = 0;
let restoreLayout: () => void = () => {};

function entry(text: string, stream: LogStream = 'stdout', attempt = 1, atMs = START + seq * 10): LogEntry {
  seq += 1;
  return { seq, attempt, stream, at: new Date(atMs).toISOString(), text };
}

function numbered(count: number, word = 'line'): LogEntry {
  return entry(Array.from({ length: count }, (_, i) => `${word} ${i + 1}\n`).join(''));
}

/** The open job's log as if jobs.logs had returned these entries. */
function showLog(entries: LogEntry[], route: { line?: number } = {}): void {
  useTickrStore.setState({
    logJobId: JOB,
    ...addEntries({ log: [], logLines: emptyLineModel() }, entries),
    logLoading: false,
    route: { view: 'jobs', id: JOB, ...route },
  });
}

/** Lets the scroll events the viewer's own scrolling fired (a task later, as in a browser) arrive. */
async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

async function show(): Promise<void> {
  render(<LogViewer jobId={JOB} />);
  await settle();
}

async function live(...entries: LogEntry[]): Promise<void> {
  act(() => applyEvent({ event: 'job.log', data: { jobId: JOB, entries } }));
  await settle();
}

async function type(box: HTMLElement, value: string): Promise<void> {
  fireEvent.change(box, { target: { value } });
  await settle();
}

async function press(target: HTMLElement, init: { key: string; shiftKey?: boolean } | 'click'): Promise<void> {
  if (init === 'click') fireEvent.click(target);
  else fireEvent.keyDown(target, init);
  await settle();
}

const logRegion = () => screen.getByRole('log', { name: `Log of job ${JOB}` });
const row = (line: number) => logRegion().querySelector<HTMLElement>(`.log-line[data-line="${line}"]`);
const renderedLines = () =>
  [...logRegion().querySelectorAll<HTMLElement>('.log-line')].map((el) => Number(el.dataset.line));

async function scrollTo(top: number): Promise<void> {
  const el = logRegion();
  act(() => {
    el.scrollTop = top;
    fireEvent.scroll(el);
  });
  await settle();
}

/** jsdom's Blob has no text(); FileReader reads it. */
function blobText(blob: Blob | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    if (blob === undefined) return reject(new Error('nothing was saved'));
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

beforeEach(() => {
  resetStore();
  seq = 0;
  stubLayoutApis();
  restoreLayout = stubScrollLayout('.log-scroll', { width: 800, height: 360 });
});

afterEach(() => {
  cleanup();
  restoreLayout();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('LogViewer: ANSI', () => {
  it('renders colours and styles as classes, and never shows an escape code', async () => {
    showLog([entry('\x1b[31mred\x1b[0m then \x1b[1;4mbold\x1b[0m and \x1b[38;5;208morange\x1b[0m\n')]);
    await show();

    const text = row(1)?.querySelector('.log-text') as HTMLElement;
    expect(within(text).getByText('red')).toHaveProperty('className', 'ansi-red-fg');
    expect(within(text).getByText('bold').className).toBe('ansi-bold ansi-underline');
    expect(within(text).getByText('orange').style.color).toBe('rgb(255, 135, 0)');
    expect(text.textContent).toBe('red then bold and orange\n');
    expect(logRegion().textContent).not.toContain('\x1b');
    expect(logRegion().textContent).not.toMatch(/\[\d+(;\d+)*m/);
  });

  it('carries a colour over to the lines before its reset, as a terminal does', async () => {
    showLog([entry('\x1b[32mfirst\nsecond\x1b[0m\nthird\n')]);
    await show();

    expect(within(row(2) as HTMLElement).getByText('second').className).toBe('ansi-green-fg');
    expect(row(3)?.querySelector('.ansi-green-fg')).toBeNull();
  });
});

describe('LogViewer: streams, numbers, time', () => {
  it('tells stderr and Tickr lines from stdout by a word, not only by colour', async () => {
    showLog([entry('out\n'), entry('oops\n', 'stderr'), entry('exited with code 1\n', 'system')]);
    await show();

    expect(row(1)?.querySelector('.log-row')?.className).toContain('log-line-stdout');
    expect(row(1)?.querySelector('.log-tag')?.textContent).toBe('');
    expect(row(2)?.querySelector('.log-row')?.className).toContain('log-line-stderr');
    expect(row(2)?.querySelector('.log-tag')?.textContent).toBe('err');
    expect(row(3)?.querySelector('.log-tag')?.textContent).toBe('sys');
    // The hook the e2e tests read: a stream's text with its newline.
    expect([...logRegion().querySelectorAll('.log-stdout')].map((el) => el.textContent)).toEqual(['out\n']);
  });

  it('switches between clock time and time since the attempt began', async () => {
    showLog([entry('a\n', 'stdout', 1, START), entry('b\n', 'stdout', 1, START + 1500)]);
    await show();
    const time = (line: number) => row(line)?.querySelector('.log-time')?.textContent;
    expect(time(2)).toMatch(/^\d\d:\d\d:01\.500$/);

    await press(screen.getByRole('button', { name: 'Time since start' }), 'click');

    expect(screen.getByRole('button', { name: 'Time since start' }).getAttribute('aria-pressed')).toBe('true');
    expect(time(1)).toBe('+0.000s');
    expect(time(2)).toBe('+1.500s');
  });

  it('marks where each attempt begins when there are several', async () => {
    showLog([entry('try one\n', 'stdout', 1), entry('try two\n', 'stdout', 2)]);
    await show();

    expect(screen.getAllByRole('separator').map((s) => s.getAttribute('aria-label'))).toEqual([
      'Attempt 1 begins',
      'Attempt 2 begins',
    ]);
  });

  it('toggles wrapping', async () => {
    showLog([entry('x\n')]);
    await show();
    const wrap = screen.getByRole('button', { name: 'Wrap lines' });

    await press(wrap, 'click');

    expect(wrap.getAttribute('aria-pressed')).toBe('true');
    expect(logRegion().className).toContain('log-wrap');
  });
});

describe('LogViewer: virtualized', () => {
  it('renders only the rows in view of a 20,000-line log', async () => {
    showLog([numbered(20_000)]);
    await show();

    // Following: the view sits at the end, with only about a screenful of rows in the DOM.
    const lines = renderedLines();
    expect(lines).toContain(20_000);
    expect(lines.length).toBeLessThan(80);
    expect(screen.getByText('20,000 lines')).toBeTruthy();
  });
});

describe('LogViewer: following', () => {
  it('follows new output at the bottom, stops when scrolled up, and resumes with Follow', async () => {
    showLog([numbered(200)]);
    await show();
    const el = logRegion();
    const follow = screen.getByRole('button', { name: 'Follow' });
    const bottom = () => el.scrollHeight - el.clientHeight;
    expect(el.scrollTop).toBe(bottom());
    expect(follow.getAttribute('aria-pressed')).toBe('true');

    await live(numbered(10, 'more'));
    expect(el.scrollTop).toBe(bottom());
    expect(renderedLines()).toContain(210);

    await scrollTo(el.scrollTop - 300);
    expect(follow.getAttribute('aria-pressed')).toBe('false');
    const readingAt = el.scrollTop;
    await live(numbered(10, 'later'));
    expect(el.scrollTop).toBe(readingAt);
    expect(renderedLines()).not.toContain(220);

    await press(follow, 'click');
    expect(follow.getAttribute('aria-pressed')).toBe('true');
    expect(el.scrollTop).toBe(bottom());
    expect(renderedLines()).toContain(220);
  });

  it('follows again when the reader scrolls back down to the bottom', async () => {
    showLog([numbered(200)]);
    await show();
    const el = logRegion();
    await scrollTo(100);
    expect(el.dataset.following).toBe('false');

    await scrollTo(el.scrollHeight - el.clientHeight);

    expect(el.dataset.following).toBe('true');
  });
});

describe('LogViewer: search', () => {
  async function setup() {
    showLog([entry('an error here\nnothing\nERROR twice: error\n'), numbered(300)]);
    await show();
    const box = screen.getByRole('searchbox', { name: 'Search the log' });
    const count = () => screen.getByTestId('log-match-count').textContent;
    return { box, count };
  }

  it('counts the matches, marks them, and scrolls to the first', async () => {
    const { box, count } = await setup();

    await type(box, 'error');

    expect(count()).toBe('1 of 3 matches');
    expect(logRegion().scrollTop).toBe(0);
    expect([...logRegion().querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['error', 'ERROR', 'error']);
    expect(logRegion().querySelector('mark.log-match-current')?.closest('.log-line')?.getAttribute('data-line')).toBe(
      '1',
    );
  });

  it('goes to the next match with Enter and the previous with Shift+Enter, wrapping at both ends', async () => {
    const { box, count } = await setup();
    await type(box, 'error');

    await press(box, { key: 'Enter' });
    expect(count()).toBe('2 of 3 matches');
    await press(box, { key: 'Enter' });
    await press(box, { key: 'Enter' });
    expect(count()).toBe('1 of 3 matches');
    await press(box, { key: 'Enter', shiftKey: true });
    expect(count()).toBe('3 of 3 matches');
    expect(logRegion().querySelector('mark.log-match-current')?.closest('.log-line')?.getAttribute('data-line')).toBe(
      '3',
    );
    await press(screen.getByRole('button', { name: 'Next match' }), 'click');
    expect(count()).toBe('1 of 3 matches');
    await press(screen.getByRole('button', { name: 'Previous match' }), 'click');
    expect(count()).toBe('3 of 3 matches');
  });

  it('scrolls to a match far down the log', async () => {
    const { box, count } = await setup();
    await type(box, 'line 250');

    expect(count()).toBe('1 of 1 match');
    expect(renderedLines()).toContain(253);
    expect(row(253)?.querySelector('mark.log-match-current')?.textContent).toBe('line 250');
  });

  it('says when nothing matches', async () => {
    const { box, count } = await setup();
    await type(box, 'absent');
    expect(count()).toBe('No matches');
    expect(screen.getByRole('button', { name: 'Next match' })).toHaveProperty('disabled', true);
  });
});

describe('LogViewer: links', () => {
  it('links each line to the job page at that line', async () => {
    showLog([numbered(3)]);
    await show();

    expect(screen.getByRole('link', { name: 'Link to line 3' }).getAttribute('href')).toBe(`#/jobs/${JOB}/line/3`);
  });

  it('scrolls to the line the route names, marks it, and does not follow', async () => {
    showLog([numbered(1000)], { line: 500 });
    await show();

    expect(renderedLines()).toContain(500);
    expect(renderedLines()).not.toContain(1000);
    expect(row(500)?.querySelector('.log-row')?.className).toContain('log-line-target');
    expect(document.querySelectorAll('.log-line-target')).toHaveLength(1);
    expect(logRegion().dataset.following).toBe('false');
  });

  it('a click on a line number goes to that line through the address bar', async () => {
    showLog([numbered(300)]);
    history.replaceState(null, '', `/#/jobs/${JOB}`);
    const stopRouter = startRouter(window);
    try {
      await show();
      await press(screen.getByRole('link', { name: 'Link to line 290' }), 'click');
      // jsdom follows the fragment link as a browser does; the router reads it into the route.
      await vi.waitFor(() => expect(location.hash).toBe(`#/jobs/${JOB}/line/290`));
      await settle();
      expect(useTickrStore.getState().route).toEqual({ view: 'jobs', id: JOB, line: 290 });
      expect(row(290)?.querySelector('.log-row')?.className).toContain('log-line-target');
      expect(logRegion().dataset.following).toBe('false');
    } finally {
      stopRouter();
      history.replaceState(null, '', '/');
    }
  });

  it('waits for a named line still to be loaded', async () => {
    showLog([numbered(10)], { line: 400 });
    await show();
    expect(document.querySelector('.log-line-target')).toBeNull();

    await live(numbered(990));

    expect(row(400)?.querySelector('.log-row')?.className).toContain('log-line-target');
  });
});

describe('LogViewer: download', () => {
  it('saves the whole log as text without escape codes', async () => {
    showLog([entry('\x1b[31mred\x1b[0m\n'), entry('half '), entry('line\n'), entry('oops\n', 'stderr')]);
    let saved: Blob | undefined;
    const createObjectURL = vi.fn((blob: Blob) => {
      saved = blob;
      return 'blob:log';
    });
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    await show();

    fireEvent.click(screen.getByRole('button', { name: 'Download' }));

    expect(click).toHaveBeenCalledOnce();
    expect(await blobText(saved)).toBe('red\nhalf line\noops\n');
  });
});
