import { readFileSync } from 'node:fs';
import type { EngineOptions } from '../engine/engine';
import { systemClocks } from '../engine/recovery/clock-jump';

/**
 * A test-only hook of `tickr serve`: the soak (soak/faults.ts) jumps a running node's clock from
 * outside. With TICKR_TEST_CLOCK_OFFSET_FILE set, the clock-jump watcher's wall clock is the real
 * one plus the milliseconds written in that file, read at each check (every 5 s), so writing a new
 * offset looks to the node exactly like the wall clock being set. Only the watcher sees it, as in
 * tests/integration/clock-jump.test.ts: the engine's own work keeps the real clock. Unset (every
 * real deployment) the node gets the system clocks, as before.
 */
export function testClockOptions(env: NodeJS.ProcessEnv): Pick<EngineOptions, 'clockWatch'> {
  const file = env.TICKR_TEST_CLOCK_OFFSET_FILE;
  if (!file) return {};
  const offset = (): number => {
    try {
      const ms = Number(readFileSync(file, 'utf8').trim());
      return Number.isFinite(ms) ? ms : 0;
    } catch {
      return 0; // no file yet: no offset
    }
  };
  return { clockWatch: { clocks: { wall: () => systemClocks.wall() + offset(), monotonic: systemClocks.monotonic } } };
}
