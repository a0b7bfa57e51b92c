import type { Pool } from 'mysql2/promise';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HealthMonitor } from '../../src/main/engine/health/health-monitor';

/** The probes' timing, with a hand-driven clock: how fast a hung server shows as down. */
function monitor(redisAnswers: () => Promise<unknown>) {
  const pool = { query: () => Promise.resolve([[{ 1: 1 }]]) } as unknown as Pool;
  const calls = { redis: 0 };
  const health = new HealthMonitor(
    () => {
      calls.redis += 1;
      return redisAnswers();
    },
    pool,
    () => undefined,
  );
  health.set('redis', 'up');
  health.set('mysql', 'up');
  return { health, calls };
}

describe('health probes', () => {
  afterEach(() => vi.useRealTimers());

  it('a Redis that stops answering (no socket close) shows as down within 2 s', async () => {
    vi.useFakeTimers();
    const { health } = monitor(() => new Promise(() => undefined)); // hangs, as a SIGSTOPped server
    health.start();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(health.status('redis')).toBe('down');
    expect(health.snapshot({} as never).redis.error).toMatch(/no answer within 750 ms/);
    health.stop();
  });

  it('probes Redis less than once a second, one probe at a time', async () => {
    vi.useFakeTimers();
    const { health, calls } = monitor(() => new Promise((r) => setTimeout(() => r({}), 5_000)));
    health.start();
    await vi.advanceTimersByTimeAsync(10_000);
    // Eight ticks in 10 s; a probe still waiting (here: until its timeout) is not doubled.
    expect(calls.redis).toBeLessThanOrEqual(8);
    expect(calls.redis).toBeGreaterThan(0);
    health.stop();
  });

  it('a Redis that answers stays up, with its latency', async () => {
    vi.useFakeTimers();
    const { health } = monitor(() => Promise.resolve({}));
    health.start();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(health.status('redis')).toBe('up');
    health.stop();
  });
});
