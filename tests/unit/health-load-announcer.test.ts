import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../src/main/engine/events/event-bus';
import { LOAD_ANNOUNCE_MS, LoadAnnouncer } from '../../src/main/engine/health/load-announcer';
import type { Job } from '../../src/shared/types';

const job = { id: '1', taskId: '1', status: 'running' } as Job;

describe('LoadAnnouncer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('says the load once per burst of job moves, and only when it changed', () => {
    const bus = new EventBus();
    let running = 0;
    const announce = vi.fn();
    const load = new LoadAnnouncer(bus, () => running, announce);
    load.start();

    running = 3;
    for (let i = 0; i < 300; i++) bus.emit('job.updated', job);
    vi.advanceTimersByTime(LOAD_ANNOUNCE_MS);
    expect(announce).toHaveBeenCalledTimes(1);

    // Moves that leave the count where it was say nothing.
    for (let i = 0; i < 10; i++) bus.emit('job.updated', job);
    vi.advanceTimersByTime(LOAD_ANNOUNCE_MS);
    expect(announce).toHaveBeenCalledTimes(1);

    running = 0;
    bus.emit('job.updated', job);
    vi.advanceTimersByTime(LOAD_ANNOUNCE_MS);
    expect(announce).toHaveBeenCalledTimes(2);
    load.stop();
  });

  it('ignores other events, and nothing fires after stop', () => {
    const bus = new EventBus();
    let running = 0;
    const announce = vi.fn();
    const load = new LoadAnnouncer(bus, () => running, announce);
    load.start();
    running = 1;
    bus.emit('queue.changed', { reason: 'x' });
    vi.advanceTimersByTime(LOAD_ANNOUNCE_MS);
    expect(announce).not.toHaveBeenCalled();
    bus.emit('job.updated', job);
    load.stop();
    vi.advanceTimersByTime(LOAD_ANNOUNCE_MS);
    expect(announce).not.toHaveBeenCalled();
    expect(bus.size).toBe(0);
  });
});
