import { describe, expect, it } from 'vitest';
import { ClockJumpWatcher, type ClockJump } from '../../src/main/engine/recovery/clock-jump';

/** A pair of clocks moved by hand: `run` moves both (time passing), `sleep` only the wall clock. */
function handClocks(): {
  clocks: { wall(): number; monotonic(): number };
  run(ms: number): void;
  sleep(ms: number): void;
  setWall(delta: number): void;
} {
  let wall = Date.UTC(2026, 10, 29, 8, 0, 0);
  let mono = 1_000;
  return {
    clocks: { wall: () => wall, monotonic: () => mono },
    run: (ms) => {
      wall += ms;
      mono += ms;
    },
    sleep: (ms) => {
      wall += ms;
    },
    setWall: (delta) => {
      wall += delta;
    },
  };
}

function watcher(): { hand: ReturnType<typeof handClocks>; jumps: ClockJump[]; w: ClockJumpWatcher } {
  const hand = handClocks();
  const jumps: ClockJump[] = [];
  const w = new ClockJumpWatcher({
    checkMs: 5_000,
    thresholdMs: 5_000,
    clocks: hand.clocks,
    onJump: (j) => jumps.push(j),
  });
  return { hand, jumps, w };
}

describe('the sleep and clock-change watcher', () => {
  it('sees nothing while both clocks move together, even with checks late under load', () => {
    const { hand, jumps, w } = watcher();
    for (let i = 0; i < 10; i++) {
      hand.run(5_000 + i * 700); // a check up to 6.3 s late is lateness, not a jump
      expect(w.check()).toBeNull();
    }
    hand.run(5_000);
    hand.sleep(4_900); // NTP slewing or a short stall below the threshold
    expect(w.check()).toBeNull();
    expect(jumps).toEqual([]);
  });

  it('reports a sleep as the wall time that passed beyond the timers, once', () => {
    const { hand, jumps, w } = watcher();
    hand.run(2_000);
    hand.sleep(3_600_000); // an hour asleep: the monotonic clock stood still
    hand.run(1_000);
    const jump = w.check();
    expect(jump?.driftMs).toBe(3_600_000);
    expect(jump?.at.toISOString()).toBe('2026-11-29T09:00:03.000Z');
    hand.run(5_000);
    expect(w.check()).toBeNull(); // the baseline moved: the same sleep is not reported twice
    expect(jumps.map((j) => j.driftMs)).toEqual([3_600_000]);
  });

  it('reports a wall clock set back as a negative drift', () => {
    const { hand, w } = watcher();
    hand.run(5_000);
    hand.setWall(-120_000);
    expect(w.check()?.driftMs).toBe(-120_000);
  });
});
