// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyEvent } from '../../src/renderer/src/app/events';
import { resetStore, useTickrStore } from '../../src/renderer/src/app/store';
import { JobDetailView } from '../../src/renderer/src/views/JobDetail';
import { REASONS } from '../../src/shared/job-reasons';
import type { Attempt, HttpExchange, Job, JobDetail, JobNeighbours, Task } from '../../src/shared/types';
import { stubLayoutApis } from './renderer-dom-stubs';
import { health, installFakeApi, job } from './renderer-fixtures';

/** The job page (views/JobDetail/): head, exit banner, reasons, actions, environment, inspector, live refresh. */

const T0 = Date.parse('2025-03-01T10:00:00.000Z');
const at = (ms: number): string => new Date(T0 + ms).toISOString();

function task(overrides: Partial<Task> = {}): Task {
  return {
    id: '1',
    name: 'nightly backup',
    type: 'shell',
    command: 'backup.sh',
    cwd: null,
    env: {},
    http: null,
    schedule: { type: 'interval', everyMs: 1_000 },
    maxAttempts: 3,
    retryDelayMs: 0,
    timeoutMs: 60_000,
    overlap: 'skip',
    catchUp: 'skip',
    target: 'any',
    nodeId: null,
    enabled: true,
    nextRunAt: null,
    createdAt: at(0),
    updatedAt: at(0),
    deletedAt: null,
    ...overrides,
  };
}

function attempt(n: number, overrides: Partial<Attempt> = {}): Attempt {
  return {
    attempt: n,
    nodeId: 'node-a',
    startedAt: at(n * 10_000),
    finishedAt: at(n * 10_000 + 1_500),
    exitCode: 0,
    signal: null,
    httpStatus: null,
    outcome: 'succeeded',
    error: null,
    environment: null,
    http: null,
    ...overrides,
  };
}

function detail(overrides: Partial<JobDetail> = {}): JobDetail {
  const attempts = overrides.attempts ?? [attempt(1)];
  return {
    ...job('42', {
      status: 'succeeded',
      attempt: attempts.length,
      scheduledFor: at(0),
      dueAt: at(0),
      startedAt: attempts[0]?.startedAt ?? null,
      finishedAt: attempts.at(-1)?.finishedAt ?? null,
      nodeId: attempts.at(-1)?.nodeId ?? null,
    }),
    attempts,
    retriedAs: null,
    ...overrides,
  };
}

const NO_NEIGHBOURS: JobNeighbours = { previous: null, next: null };

/** A fake API around one job; `jobs.get` answers whatever `current` holds at the time. */
function serve(initial: JobDetail, opts: { task?: Task; neighbours?: JobNeighbours } = {}) {
  let current = initial;
  const get = vi.fn(async () => current);
  const cancel = vi.fn(async (): Promise<Job> => ({ ...current, status: 'cancelled' }));
  const retry = vi.fn(async (): Promise<Job> => job('77', { status: 'waiting' }));
  installFakeApi({
    'jobs.get': get,
    'jobs.neighbours': async () => opts.neighbours ?? NO_NEIGHBOURS,
    'tasks.get': async () => opts.task ?? task(),
    'nodes.list': async () => ({
      items: [
        {
          id: 'node-a',
          name: 'desk',
          host: 'h',
          pid: 1,
          concurrency: 2,
          startedAt: at(0),
          heartbeatAt: at(0),
          stoppedAt: null,
          alive: true,
        },
        {
          id: 'node-b',
          name: 'server',
          host: 'h',
          pid: 2,
          concurrency: 2,
          startedAt: at(0),
          heartbeatAt: at(0),
          stoppedAt: null,
          alive: true,
        },
      ],
    }),
    'jobs.logs': async () => ({ items: [], nextSeq: 0 }),
    'jobs.cancel': cancel,
    'jobs.retry': retry,
  });
  return {
    get,
    cancel,
    retry,
    set(next: JobDetail) {
      current = next;
    },
  };
}

async function show(): Promise<void> {
  render(<JobDetailView jobId="42" />);
  await vi.waitFor(() => expect(screen.getByTestId('job-head')).toBeDefined());
  // The task's name arrives with the second round of reads.
  await vi.waitFor(() => expect(screen.getByTestId('job-task-link').textContent).not.toBe('#1'));
}

const banner = () => screen.getByTestId('exit-banner');
const reasons = () => screen.queryAllByTestId('job-reason');

beforeEach(() => {
  stubLayoutApis();
  resetStore();
  useTickrStore.setState({ health: health('up'), auth: 'ok' });
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the head', () => {
  it('shows the status, the task linked by name, the node by name, times, and the attempts on a timeline', async () => {
    serve(
      detail({
        status: 'succeeded',
        attempts: [
          attempt(1, { outcome: 'failed', exitCode: 1, error: 'exit code 1' }),
          attempt(2, { nodeId: 'node-b' }),
        ],
      }),
    );
    await show();
    expect(screen.getByTestId('job-status').textContent).toBe('succeeded');
    const link = screen.getByRole('link', { name: 'nightly backup' });
    expect(link.getAttribute('href')).toBe('#/tasks/1');
    expect(screen.getByTestId('job-node').textContent).toBe('server (node-b)');
    expect(screen.getByTestId('job-waited').textContent).toBe('10 s');
    expect(screen.getByTestId('job-took').textContent).toBe('12 s');
    const list = screen.getByRole('list', { name: 'Attempts' });
    expect(
      within(list)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Attempt 1: failed, 1.5 s on desk (node-a)', 'Attempt 2: succeeded, 1.5 s on server (node-b)']);
    // The latest attempt is picked; picking the first shows its environment heading.
    expect(screen.getByRole('heading', { name: 'Environment of attempt 2' })).toBeDefined();
    fireEvent.click(within(list).getAllByRole('button')[0]!);
    expect(screen.getByRole('heading', { name: 'Environment of attempt 1' })).toBeDefined();
  });

  it.each([
    ['exit', 'Exit code 0', attempt(1), 'succeeded'],
    ['exit', 'Exit code 2', attempt(1, { outcome: 'failed', exitCode: 2, error: 'exit code 2' }), 'failed'],
    ['signal', 'Killed by SIGKILL', attempt(1, { outcome: 'failed', exitCode: null, signal: 'SIGKILL' }), 'failed'],
    [
      'http',
      'HTTP 503',
      attempt(1, { outcome: 'failed', exitCode: null, httpStatus: 503, error: 'HTTP status 503' }),
      'failed',
    ],
    [
      'timeout',
      'Timed out',
      attempt(1, { outcome: 'timed_out', exitCode: null, error: 'timed out after 5000 ms' }),
      'failed',
    ],
    ['cancel', 'Cancelled', attempt(1, { outcome: 'cancelled', exitCode: null, error: 'cancelled' }), 'cancelled'],
  ] as const)('says a %s end in its banner: %s', async (kind, title, a, status) => {
    serve(detail({ status, attempts: [a], error: a.error }));
    await show();
    expect(banner().dataset.kind).toBe(kind);
    expect(within(banner()).getByText(title)).toBeDefined();
    if (a.error) expect(banner().textContent).toContain(a.error);
  });

  it('links the occurrences before and after this one', async () => {
    serve(detail(), {
      neighbours: {
        previous: job('41', { status: 'succeeded', scheduledFor: at(-1_000) }),
        next: job('43', { status: 'skipped', scheduledFor: at(1_000) }),
      },
    });
    await show();
    await vi.waitFor(() => expect(screen.getByTestId('neighbour-prev').getAttribute('href')).toBe('#/jobs/41'));
    expect(screen.getByTestId('neighbour-next').getAttribute('href')).toBe('#/jobs/43');
    expect(screen.getByRole('navigation', { name: 'Occurrences around this one' }).textContent).toContain('(skipped)');
  });
});

describe('the reason, in words', () => {
  it('says an overlap-skipped occurrence did not run because the previous run was still going', async () => {
    serve(detail({ status: 'skipped', attempts: [], attempt: 0, error: REASONS.overlap, nodeId: null }));
    await show();
    expect(banner().dataset.kind).toBe('skipped');
    const [r] = reasons();
    expect(r?.dataset.kind).toBe('skipped');
    expect(r?.textContent).toContain('Skipped: the previous run was still going');
    expect(r?.textContent).toContain('overlap policy is skip');
  });

  it("says a missed occurrence was missed while no node could start it, with catch-up's decision", async () => {
    serve(detail({ status: 'skipped', attempts: [], attempt: 0, error: REASONS.missed }), {
      task: task({ catchUp: 'once' }),
    });
    await show();
    await vi.waitFor(() => expect(reasons()[0]?.textContent).toContain('catch-up policy is once'));
    expect(reasons()[0]?.textContent).toContain('Missed: not started in time');
    expect(reasons()[0]?.textContent).toContain('down, asleep or disconnected');
  });

  it.each([
    [REASONS.pausing, 'Cancelled: the task was paused'],
    [REASONS.paused, 'Cancelled: the task is paused'],
    [REASONS.deleted, 'Cancelled: the task was deleted'],
    [REASONS.cancelledByUser, 'Cancelled before it started'],
  ])('says why a job that never started was cancelled (%s)', async (error, title) => {
    serve(detail({ status: 'cancelled', attempts: [], attempt: 0, error }));
    await show();
    expect(reasons()[0]?.dataset.kind).toBe('cancelled');
    expect(reasons()[0]?.textContent).toContain(title);
    expect(banner().textContent).toContain('Cancelled before it started');
  });

  it('says an attempt was interrupted by a crash and retried on another node, naming both', async () => {
    serve(
      detail({
        attempts: [
          attempt(1, { outcome: 'interrupted', exitCode: null, error: REASONS.leaseExpired('node-a') }),
          attempt(2, { nodeId: 'node-b' }),
        ],
      }),
    );
    await show();
    await vi.waitFor(() => expect(reasons()[0]?.textContent).toContain('server (node-b)'));
    const r = reasons()[0]!;
    expect(r.dataset.kind).toBe('interrupted');
    expect(r.textContent).toContain('Interrupted, then retried on another node');
    expect(r.textContent).toContain('Node desk (node-a) stopped renewing its lease');
    expect(r.textContent).toContain('retried elsewhere, as attempt 2 on node server (node-b)');
  });

  it('says nothing for a job that ran as planned', async () => {
    serve(detail());
    await show();
    expect(reasons()).toHaveLength(0);
    expect(screen.queryByRole('heading', { name: 'Why' })).toBeNull();
  });
});

describe('cancel and retry', () => {
  it('cancels a running job and says the node is stopping it', async () => {
    const running = detail({
      status: 'running',
      attempts: [attempt(1, { outcome: 'running', finishedAt: null, exitCode: null })],
      finishedAt: null,
    });
    const api = serve(running);
    api.cancel.mockResolvedValueOnce({ ...running, status: 'running' });
    await show();
    expect(screen.queryByRole('button', { name: 'Retry job' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel job' }));
    await vi.waitFor(() =>
      expect(screen.getByTestId('job-action-result').textContent).toBe(
        'Cancel requested: the node is stopping the run.',
      ),
    );
    expect(api.cancel).toHaveBeenCalledWith({ id: '42' });
  });

  it('retries a failed job and links the job the retry made', async () => {
    const api = serve(detail({ status: 'failed', attempts: [attempt(1, { outcome: 'failed', exitCode: 3 })] }));
    await show();
    expect(screen.queryByRole('button', { name: 'Cancel job' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Retry job' }));
    await vi.waitFor(() => expect(screen.getByRole('link', { name: 'job 77' }).getAttribute('href')).toBe('#/jobs/77'));
    expect(api.retry).toHaveBeenCalledWith({ id: '42' });
  });

  it('shows a refused action as an error', async () => {
    const api = serve(detail({ status: 'failed', attempts: [attempt(1, { outcome: 'failed', exitCode: 3 })] }));
    api.retry.mockRejectedValueOnce(new Error('CONFLICT: id: job 42 was already retried'));
    await show();
    fireEvent.click(screen.getByRole('button', { name: 'Retry job' }));
    await vi.waitFor(() => expect(screen.getByTestId('job-action-result').textContent).toContain('already retried'));
  });
});

describe('live', () => {
  it('re-reads the job on its job.updated events, so a running job is followed to its end', async () => {
    const running = detail({
      status: 'running',
      attempts: [attempt(1, { outcome: 'running', finishedAt: null, exitCode: null })],
      finishedAt: null,
    });
    const api = serve(running);
    await show();
    expect(banner().dataset.kind).toBe('running');
    const reads = api.get.mock.calls.length;
    api.set(detail({ status: 'succeeded' }));
    act(() => applyEvent({ event: 'job.updated', data: job('99', { taskId: '5' }) }));
    expect(api.get.mock.calls.length).toBe(reads);
    act(() => applyEvent({ event: 'job.updated', data: job('42', { status: 'succeeded' }) }));
    await vi.waitFor(() => expect(banner().dataset.kind).toBe('exit'));
    expect(screen.getByTestId('job-status').textContent).toBe('succeeded');
  });
});

describe('the environment', () => {
  it('lists the command as run, cwd, node, version and the variables, secrets as *** and the node’s by name', async () => {
    serve(
      detail({
        attempts: [
          attempt(1, {
            environment: {
              type: 'shell',
              argv: ['/bin/sh', '-c', 'echo "hi $REGION"'],
              cwd: '/srv/jobs',
              nodeId: 'node-a',
              nodeName: 'desk',
              version: '0.1.0',
              env: [
                { name: 'API_TOKEN', value: '***', secret: true, source: 'task' },
                { name: 'REGION', value: 'eu-west-1', secret: false, source: 'task' },
                { name: 'TICKR_JOB_ID', value: '42', secret: false, source: 'job' },
                { name: 'PATH', value: null, secret: false, source: 'inherited' },
              ],
            },
          }),
        ],
      }),
    );
    await show();
    const env = screen.getByTestId('attempt-environment');
    expect(screen.getByTestId('env-command').textContent).toBe(`/bin/sh -c 'echo "hi $REGION"'`);
    expect(env.textContent).toContain('/srv/jobs');
    expect(env.textContent).toContain('desk (node-a)');
    expect(env.textContent).toContain('0.1.0');
    const rows = within(env)
      .getAllByTestId('env-row')
      .map((r) => r.textContent);
    expect(rows).toEqual([
      'API_TOKEN***task',
      'REGIONeu-west-1task',
      'TICKR_JOB_ID42set by Tickr',
      'PATH(not recorded)passed on by the node',
    ]);
    expect(within(env).getAllByTestId('env-row')[0]?.dataset.secret).toBe('true');
    expect(screen.queryByTestId('http-inspector')).toBeNull();
  });

  it('says when an attempt was started before environments were captured', async () => {
    serve(detail());
    await show();
    expect(screen.getByText(/Not captured/)).toBeDefined();
  });
});

describe('the HTTP inspector', () => {
  const exchange: HttpExchange = {
    method: 'POST',
    url: 'http://tickr:***@127.0.0.1:8080/hook?page=2',
    requestHeaders: { 'X-Api-Token': '***', Accept: 'application/json' },
    status: 201,
    statusText: 'Created',
    responseHeaders: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r-1' },
    ttfbMs: 62,
    totalMs: 1_240,
    bodyHead: '{"ok":true,"items":[1,2]}',
    bodyTruncated: false,
    error: null,
  };

  it('shows method, URL, headers, status, timings and the JSON body pretty-printed', async () => {
    serve(detail({ attempts: [attempt(1, { exitCode: null, httpStatus: 201, http: exchange })] }), {
      task: task({ type: 'http' }),
    });
    await show();
    const inspector = screen.getByTestId('http-inspector');
    expect(inspector.textContent).toContain('POST');
    expect(screen.getByTestId('http-url').textContent).toBe('http://tickr:***@127.0.0.1:8080/hook?page=2');
    expect(screen.getByTestId('http-status').textContent).toBe('201 Created');
    expect(screen.getByTestId('http-ttfb').textContent).toBe('62 ms');
    expect(screen.getByTestId('http-total').textContent).toBe('1.2 s');
    const request = within(inspector).getByRole('table', { name: 'Request headers' });
    expect(within(request).getByText('X-Api-Token').closest('tr')?.textContent).toBe('X-Api-Token***');
    const response = within(inspector).getByRole('table', { name: 'Response headers' });
    expect(response.textContent).toContain('x-request-id');
    expect(screen.getByTestId('http-body').textContent).toBe('{\n  "ok": true,\n  "items": [\n    1,\n    2\n  ]\n}');
    expect(inspector.textContent).toContain('(JSON, formatted)');
    expect(banner().textContent).toContain('HTTP 201');
  });

  it('shows a cut body as it came, and says it is only its head', async () => {
    const cut = { ...exchange, bodyHead: '{"items":[1,2,', bodyTruncated: true };
    serve(detail({ attempts: [attempt(1, { exitCode: null, httpStatus: 201, http: cut })] }), {
      task: task({ type: 'http' }),
    });
    await show();
    expect(screen.getByTestId('http-body').textContent).toBe('{"items":[1,2,');
    expect(screen.getByTestId('http-inspector').textContent).toContain('(its first 8 KiB)');
  });

  it('says when no response came', async () => {
    const refused = {
      ...exchange,
      status: null,
      statusText: null,
      ttfbMs: null,
      responseHeaders: {},
      bodyHead: '',
      error: 'request to http://127.0.0.1:9/ failed: fetch failed',
    };
    serve(
      detail({
        status: 'failed',
        attempts: [attempt(1, { outcome: 'failed', exitCode: null, http: refused, error: refused.error })],
      }),
      {
        task: task({ type: 'http' }),
      },
    );
    await show();
    expect(screen.getByTestId('http-status').textContent).toContain(
      'no response: request to http://127.0.0.1:9/ failed',
    );
    expect(screen.getByTestId('http-ttfb').textContent).toBe('—');
  });
});
