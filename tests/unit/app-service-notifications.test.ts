import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventMessage } from '../../src/shared/contract';
import type { Health, ServiceStatus } from '../../src/shared/types';
import {
  REPEAT_MS,
  SETTLE_MS,
  notifyServiceChanges,
  type ServiceNotice,
} from '../../src/main/app/service-notifications';

/** Redis / MySQL down and back notifications, debounced, on fake timers. */

function health(redis: ServiceStatus, mysql: ServiceStatus = 'up'): Health {
  const service = (status: ServiceStatus) => ({
    status,
    latencyMs: status === 'up' ? 1 : null,
    error: status === 'down' ? 'connect ECONNREFUSED 127.0.0.1:6379' : null,
    since: '2026-01-01T00:00:00Z',
  });
  return {
    redis: { ...service(redis), runId: null },
    mysql: { ...service(mysql), journalPending: 0 },
    node: { id: 'n1', name: 'n1', concurrency: 4, running: 0, draining: false },
  };
}

describe('service notifications', () => {
  let emit: (message: EventMessage) => void = () => undefined;
  let shown: ServiceNotice[] = [];
  const api = {
    subscribe: (listener: (message: EventMessage) => void) => {
      emit = listener;
      return () => undefined;
    },
  };
  const send = (redis: ServiceStatus, mysql: ServiceStatus = 'up') =>
    emit({ event: 'health.changed', data: health(redis, mysql) });

  beforeEach(() => {
    vi.useFakeTimers();
    shown = [];
    notifyServiceChanges({ api, show: (n) => shown.push(n), now: () => Date.now() });
  });
  afterEach(() => vi.useRealTimers());

  it('tells a down that held for the settle time, and the return', () => {
    send('down');
    vi.advanceTimersByTime(SETTLE_MS - 1);
    expect(shown).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(shown).toEqual([
      {
        service: 'redis',
        state: 'down',
        title: 'Redis is unreachable',
        body: 'Jobs wait until it is back: connect ECONNREFUSED 127.0.0.1:6379',
      },
    ]);
    send('up');
    vi.advanceTimersByTime(SETTLE_MS);
    expect(shown.map((n) => `${n.service} ${n.state}`)).toEqual(['redis down', 'redis up']);
  });

  it('says nothing for a link flapping faster than the settle time', () => {
    for (let i = 0; i < 20; i++) {
      send('down');
      vi.advanceTimersByTime(SETTLE_MS / 4);
      send('up');
      vi.advanceTimersByTime(SETTLE_MS / 4);
    }
    vi.advanceTimersByTime(SETTLE_MS * 2);
    expect(shown).toEqual([]);
  });

  it('tells a slow flap once per repeat interval, and no "back" for an untold down', () => {
    for (let i = 0; i < 6; i++) {
      send('down');
      vi.advanceTimersByTime(SETTLE_MS + 1);
      send('up');
      vi.advanceTimersByTime(SETTLE_MS + 1);
    }
    // 6 cycles of ~20 s: the first down and its return; the other downs fall in the repeat interval.
    expect(shown.map((n) => n.state)).toEqual(['down', 'up']);
    vi.advanceTimersByTime(REPEAT_MS);
    send('down');
    vi.advanceTimersByTime(SETTLE_MS);
    expect(shown.map((n) => n.state)).toEqual(['down', 'up', 'down']);
  });

  it('follows MySQL apart from Redis, and ignores "recovering"', () => {
    send('up', 'down');
    vi.advanceTimersByTime(SETTLE_MS);
    send('recovering', 'down');
    vi.advanceTimersByTime(SETTLE_MS);
    expect(shown.map((n) => n.title)).toEqual(['MySQL is unreachable']);
  });

  it('stays quiet when turned off, and does not tell a "back" for it later', () => {
    shown = [];
    let on = false;
    const quietApi = { subscribe: api.subscribe };
    notifyServiceChanges({ api: quietApi, show: (n) => shown.push(n), enabled: () => on });
    send('down');
    vi.advanceTimersByTime(SETTLE_MS);
    on = true;
    send('up');
    vi.advanceTimersByTime(SETTLE_MS);
    expect(shown).toEqual([]);
    // Turned on again, the next outage is told.
    send('down');
    vi.advanceTimersByTime(SETTLE_MS);
    expect(shown.map((n) => n.state)).toEqual(['down']);
  });
});
