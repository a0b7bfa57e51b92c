import { describe, expect, it, vi } from 'vitest';
import { isolated } from '../helpers/isolated';
import { waitFor } from '../helpers/services';

/**
 * The headless node has no powerMonitor: it notices a sleep (or a clock set by hand) because the
 * wall clock moved further than its timers, and then re-evaluates schedules as the desktop app
 * does on 'resume'. The wall clock here is moved by hand; the engine's own work uses the real one.
 */
describe('a clock jump on a running node (real Redis and MariaDB)', () => {
  const env = isolated();

  it('re-evaluates the schedules and records a clock.jumped event', async () => {
    let offset = 0;
    const node = await env.node({
      clockWatch: { checkMs: 50, clocks: { wall: () => Date.now() + offset, monotonic: () => performance.now() } },
    });
    const reconcile = vi.spyOn(node.engine.schedules, 'reconcileAll');
    await new Promise((r) => setTimeout(r, 300));
    expect(reconcile).not.toHaveBeenCalled(); // clocks in step: nothing to do

    offset = 90 * 60_000; // "slept" 90 minutes
    const event = await waitFor(
      async () => (await node.call('events.list', { limit: 50 })).items.find((e) => e.kind === 'clock.jumped'),
      { what: 'the clock.jumped event' },
    );
    expect(reconcile).toHaveBeenCalledTimes(1);
    expect(event.message).toContain('5400.0 s');
    expect(event.data).toMatchObject({ driftMs: expect.any(Number) });
    expect(Math.abs((event.data as { driftMs: number }).driftMs - 5_400_000)).toBeLessThan(1_000);
  });
});
