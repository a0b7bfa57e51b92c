import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventMessage } from '../../src/shared/contract';
import type { Job } from '../../src/shared/types';

/** Failure notifications against a mocked `electron` Notification. */

const electron = vi.hoisted(() => {
  class FakeNotification {
    static supported = true;
    static shown: FakeNotification[] = [];
    static isSupported(): boolean {
      return FakeNotification.supported;
    }
    readonly on = vi.fn();
    constructor(readonly options: { title: string; body: string }) {}
    show(): void {
      FakeNotification.shown.push(this);
    }
  }
  return { FakeNotification };
});

vi.mock('electron', () => ({ Notification: electron.FakeNotification }));

const { notifyJobFailures } = await import('../../src/main/app/notifications');

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

describe('job failure notifications', () => {
  let emit: (message: EventMessage) => void = () => undefined;
  const api = {
    subscribe: (listener: (message: EventMessage) => void) => {
      emit = listener;
      return () => undefined;
    },
  };

  beforeEach(() => {
    electron.FakeNotification.shown = [];
    electron.FakeNotification.supported = true;
  });

  it('shows none while failure notifications are turned off in Settings, and again once on', () => {
    let enabled = false;
    notifyJobFailures({ api, enabled: () => enabled });
    emit({ event: 'job.updated', data: job({ id: '8' }) });
    expect(electron.FakeNotification.shown).toHaveLength(0);
    enabled = true;
    emit({ event: 'job.updated', data: job({ id: '9' }) });
    expect(electron.FakeNotification.shown).toHaveLength(1);
  });

  it('shows one notification when a job fails for good', () => {
    notifyJobFailures({ api });
    emit({ event: 'job.updated', data: job({}) });
    emit({ event: 'job.updated', data: job({}) });

    expect(electron.FakeNotification.shown).toHaveLength(1);
    expect(electron.FakeNotification.shown[0]?.options).toEqual({
      title: 'Job 7 failed',
      body: 'Task 3 after 3 of 3 attempts: exit code 2',
    });
  });

  it('stays quiet for other statuses and other events', () => {
    notifyJobFailures({ api });
    emit({ event: 'job.updated', data: job({ status: 'succeeded', error: null }) });
    emit({ event: 'job.updated', data: job({ status: 'waiting' }) });
    emit({ event: 'queue.changed', data: { reason: 'x' } });
    expect(electron.FakeNotification.shown).toHaveLength(0);
  });

  it('does nothing where notifications are unsupported', () => {
    electron.FakeNotification.supported = false;
    notifyJobFailures({ api });
    emit({ event: 'job.updated', data: job({}) });
    expect(electron.FakeNotification.shown).toHaveLength(0);
  });
});
