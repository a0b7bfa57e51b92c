import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventMessage, Result } from '../../src/shared/contract';
import type { Job, LogEntry } from '../../src/shared/types';

/** Failure notifications against a mocked `electron` Notification and a fake API. */

const electron = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  class FakeNotification {
    static supported = true;
    static shown: FakeNotification[] = [];
    static isSupported(): boolean {
      return FakeNotification.supported;
    }
    readonly listeners = new Map<string, Listener>();
    constructor(readonly options: { title: string; body: string; actions?: Array<{ text: string }> }) {}
    on(event: string, listener: Listener): this {
      this.listeners.set(event, listener);
      return this;
    }
    show(): void {
      FakeNotification.shown.push(this);
    }
  }
  return { FakeNotification };
});

vi.mock('electron', () => ({ Notification: electron.FakeNotification }));

const { failureText, notifyJobFailures } = await import('../../src/main/app/notifications');

function job(overrides: Partial<Job>): Job {
  return {
    id: '7',
    taskId: '3',
    status: 'failed',
    attempt: 3,
    maxAttempts: 3,
    scheduledFor: '2026-01-01T00:00:00.000Z',
    dueAt: '2026-01-01T00:00:00.000Z',
    startedAt: '2026-01-01T00:00:00.010Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    exitCode: 2,
    error: 'exit code 2',
    nodeId: 'n1',
    ...overrides,
  };
}

const entry = (seq: number, text: string): LogEntry => ({
  seq,
  attempt: 3,
  stream: 'stdout',
  at: '2026-01-01T00:00:00Z',
  text,
});

/** Settles the notifier's awaits (task name and log reads). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('job failure notifications', () => {
  let emit: (message: EventMessage) => void = () => undefined;
  let calls: Array<[string, unknown]> = [];
  let answers: Record<string, (input: unknown) => Result<unknown>> = {};
  const api = {
    subscribe: (listener: (message: EventMessage) => void) => {
      emit = listener;
      return () => undefined;
    },
    call: (method: string, input: unknown): Promise<Result<unknown>> => {
      calls.push([method, input]);
      const answer = answers[method];
      return Promise.resolve(answer ? answer(input) : { ok: false, error: { code: 'INTERNAL', message: 'no answer' } });
    },
  };

  beforeEach(() => {
    electron.FakeNotification.shown = [];
    electron.FakeNotification.supported = true;
    calls = [];
    answers = {
      'tasks.get': () => ({ ok: true, data: { name: 'nightly backup' } }),
      'jobs.logs': () => ({
        ok: true,
        data: {
          items: [entry(1, 'starting'), entry(2, 'copying\nrsync: error 23'), entry(3, 'giving up')],
          nextSeq: 3,
        },
      }),
      'jobs.retry': () => ({ ok: true, data: job({ id: '8', status: 'waiting' }) }),
    };
  });

  it('shows one notification per failed job: task name, exit code and the last log lines', async () => {
    notifyJobFailures({ api, platform: 'linux' });
    emit({ event: 'job.updated', data: job({}) });
    emit({ event: 'job.updated', data: job({}) });
    await settle();

    expect(electron.FakeNotification.shown).toHaveLength(1);
    expect(electron.FakeNotification.shown[0]?.options).toEqual({
      title: 'nightly backup failed',
      body: 'Job 7 · exit code 2 · attempt 3 of 3\ncopying\nrsync: error 23\ngiving up',
    });
    // The final attempt's log, not the first one's.
    expect(calls).toContainEqual(['jobs.logs', { id: '7', attempt: 3, afterSeq: 0, limit: 5000 }]);
  });

  it('opens the job on a click; on macOS it offers Retry and Open log', async () => {
    const onOpen = vi.fn();
    notifyJobFailures({ api, platform: 'darwin', onOpen });
    emit({ event: 'job.updated', data: job({}) });
    await settle();

    const shown = electron.FakeNotification.shown[0];
    expect(shown?.options.actions?.map((a) => a.text)).toEqual(['Retry', 'Open log']);
    shown?.listeners.get('click')?.();
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: '7' }));
    shown?.listeners.get('action')?.({}, 0);
    await settle();
    expect(calls).toContainEqual(['jobs.retry', { id: '7' }]);
    shown?.listeners.get('action')?.({}, 1);
    expect(onOpen).toHaveBeenCalledTimes(2);
  });

  it('has no action buttons where the platform shows none', async () => {
    notifyJobFailures({ api, platform: 'win32' });
    emit({ event: 'job.updated', data: job({}) });
    await settle();
    expect(electron.FakeNotification.shown[0]?.options.actions).toBeUndefined();
  });

  it('still notifies when the task name and log cannot be read (MySQL away)', async () => {
    answers = {};
    notifyJobFailures({ api, platform: 'linux' });
    emit({ event: 'job.updated', data: job({ exitCode: null, error: 'timed out after 60000 ms', maxAttempts: 1 }) });
    await settle();
    expect(electron.FakeNotification.shown[0]?.options).toEqual({
      title: 'Task 3 failed',
      body: 'Job 7 · timed out after 60000 ms',
    });
  });

  it('stays quiet for other statuses, other events, when unsupported and when turned off', async () => {
    let on = false;
    notifyJobFailures({ api, enabled: () => on });
    emit({ event: 'job.updated', data: job({ id: '1' }) });
    on = true;
    electron.FakeNotification.supported = false;
    emit({ event: 'job.updated', data: job({ id: '2' }) });
    electron.FakeNotification.supported = true;
    emit({ event: 'job.updated', data: job({ id: '3', status: 'succeeded', error: null }) });
    emit({ event: 'job.updated', data: job({ id: '4', status: 'waiting' }) });
    emit({ event: 'queue.changed', data: { reason: 'x' } });
    await settle();
    expect(electron.FakeNotification.shown).toHaveLength(0);
  });

  it('cuts long log lines', () => {
    const { body } = failureText('t', job({}), ['x'.repeat(500)]);
    expect(body.split('\n')[1]).toHaveLength(120);
    expect(body.endsWith('…')).toBe(true);
  });
});
