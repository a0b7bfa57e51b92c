import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../src/main/engine/dispatch/semaphore';
import { WakeSignal } from '../../src/main/engine/dispatch/wake-signal';
import { planAfterAttempt } from '../../src/main/engine/store/jobs';
import { parseRunId } from '../../src/main/engine/recovery/redis-state';

describe('WakeSignal', () => {
  it('latches a notify that arrives while nobody waits, so the next wait returns at once', async () => {
    const signal = new WakeSignal();
    signal.notify();
    const t0 = Date.now();
    expect(await signal.wait(5_000)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(100);
  });

  it('consumes the latch: a second wait sleeps until its timeout', async () => {
    const signal = new WakeSignal();
    signal.notify();
    await signal.wait(1_000);
    const t0 = Date.now();
    expect(await signal.wait(60)).toBe(false);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(50);
  });

  it('ends a wait early when notified during it', async () => {
    const signal = new WakeSignal();
    setTimeout(() => signal.notify(), 20);
    const t0 = Date.now();
    expect(await signal.wait(5_000)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(1_000);
  });
});

describe('Semaphore', () => {
  it('hands out at most `size` slots and queues the rest in order', async () => {
    const s = new Semaphore(2);
    await s.acquire();
    await s.acquire();
    expect(s.inUse).toBe(2);
    const order: number[] = [];
    const third = s.acquire().then(() => order.push(3));
    const fourth = s.acquire().then(() => order.push(4));
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([]);
    s.release();
    await third;
    s.release();
    await fourth;
    expect(order).toEqual([3, 4]);
    expect(s.inUse).toBe(2);
  });
});

describe('planAfterAttempt (linear back-off)', () => {
  const now = new Date('2026-01-01T00:00:00.000Z');
  const plan = (outcome: Parameters<typeof planAfterAttempt>[0]['outcome'], attempt: number) =>
    planAfterAttempt({ outcome, attempt, maxAttempts: 3, retryDelayMs: 200, now });

  it('waits n × retryDelayMs after attempt n while attempts remain', () => {
    expect(plan('failed', 1)).toEqual({ status: 'waiting', dueAt: new Date('2026-01-01T00:00:00.200Z') });
    expect(plan('timed_out', 2)).toEqual({ status: 'waiting', dueAt: new Date('2026-01-01T00:00:00.400Z') });
    expect(plan('interrupted', 2).status).toBe('waiting');
  });

  it('is final after the last attempt, on success and on cancel', () => {
    expect(plan('failed', 3)).toEqual({ status: 'failed', dueAt: null });
    expect(plan('succeeded', 1)).toEqual({ status: 'succeeded', dueAt: null });
    expect(plan('cancelled', 1)).toEqual({ status: 'cancelled', dueAt: null });
  });
});

describe('parseRunId', () => {
  it('reads run_id from INFO server', () => {
    const info =
      '# Server\r\nredis_version:7.0.15\r\nrun_id:72bd5ba5b38b27a8ae9b2745f6f184bce0ef8e8e\r\ntcp_port:6379\r\n';
    expect(parseRunId(info)).toBe('72bd5ba5b38b27a8ae9b2745f6f184bce0ef8e8e');
    expect(parseRunId('# Server\r\n')).toBeNull();
  });
});
