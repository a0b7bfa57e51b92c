import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventMessage, EventName, EventPayloads } from '../../src/shared/contract';
import { applyEvent, connectEvents } from '../../src/renderer/src/app/events';
import { resetStore, useTickrStore } from '../../src/renderer/src/app/store';
import { health, job, logEntry } from './renderer-fixtures';

/** How engine events become store updates (app/events.ts). */

function event<E extends EventName>(name: E, data: EventPayloads[E]): EventMessage {
  return { event: name, data } as EventMessage;
}

const state = () => useTickrStore.getState();

beforeEach(() => {
  resetStore();
});

describe('applyEvent', () => {
  it('job.updated puts a new job first and replaces a known one in place', () => {
    useTickrStore.setState({ jobs: [job('2'), job('1')] });

    applyEvent(event('job.updated', job('3')));
    applyEvent(event('job.updated', job('1', { status: 'succeeded' })));

    expect(state().jobs.map((j) => [j.id, j.status])).toEqual([
      ['3', 'ready'],
      ['2', 'ready'],
      ['1', 'succeeded'],
    ]);
  });

  it('job.log appends to the log of the open job, skipping lines it already has', () => {
    useTickrStore.setState({ logJobId: '7', log: [logEntry(1), logEntry(2)] });

    applyEvent(event('job.log', { jobId: '7', entries: [logEntry(2), logEntry(3)] }));

    expect(state().log.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('job.log of another job leaves the store untouched, and notifies no one', () => {
    useTickrStore.setState({ logJobId: '7', log: [logEntry(1)] });
    const before = state();
    const listener = vi.fn();
    const unsubscribe = useTickrStore.subscribe(listener);

    applyEvent(event('job.log', { jobId: '8', entries: [logEntry(2)] }));
    unsubscribe();

    expect(state()).toBe(before);
    expect(listener).not.toHaveBeenCalled();
  });

  it('job.log with no job selected is dropped', () => {
    applyEvent(event('job.log', { jobId: '7', entries: [logEntry(1)] }));
    expect(state().log).toEqual([]);
  });

  it('health.changed replaces the health and clears an earlier load error', () => {
    useTickrStore.setState({ health: health('up'), healthError: 'cannot reach the Tickr server' });

    applyEvent(event('health.changed', health('down')));

    expect(state().health?.redis.status).toBe('down');
    expect(state().healthError).toBeNull();
  });

  it('health.changed with MySQL back up re-reads what the page shows; another health change does not', () => {
    const mysqlDown = { ...health('up'), mysql: { ...health('up').mysql, status: 'down' as const } };
    const loadJobs = vi.fn(async () => undefined);
    const loadHealth = vi.fn(async () => undefined);
    useTickrStore.setState({ auth: 'ok', health: mysqlDown, loadJobs, loadHealth });

    applyEvent(event('health.changed', health('down')));
    expect(loadJobs).toHaveBeenCalledTimes(1);

    applyEvent(event('health.changed', health('up')));
    expect(loadJobs).toHaveBeenCalledTimes(1);
  });

  it('ignores event.appended, which has no view yet, and queue.changed while the queues are not shown', () => {
    useTickrStore.setState({ jobs: [job('1')] });
    const before = state();

    applyEvent(event('queue.changed', { reason: 'promoted' }));
    applyEvent(
      event('event.appended', {
        id: '1',
        at: '2025-01-01T00:00:00.000Z',
        level: 'info',
        kind: 'node.started',
        message: 'started',
        nodeId: null,
        data: {},
      }),
    );

    expect(state()).toBe(before);
  });
});

describe('connectEvents', () => {
  it('subscribes applyEvent to the API once and hands back its unsubscribe', () => {
    const unsubscribe = vi.fn();
    let listener: ((message: EventMessage) => void) | undefined;
    const onEvent = vi.fn((l: (message: EventMessage) => void) => {
      listener = l;
      return unsubscribe;
    });

    const disconnect = connectEvents({ onEvent });
    listener?.(event('job.updated', job('5')));
    disconnect();

    expect(onEvent).toHaveBeenCalledTimes(1);
    expect(state().jobs.map((j) => j.id)).toEqual(['5']);
    expect(unsubscribe).toHaveBeenCalledTimes(1);
  });
});
