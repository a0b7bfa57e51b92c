/**
 * Notices that the machine slept, or that its wall clock was set, without any OS hook.
 *
 * Node's timers run on the monotonic clock, which stops while the machine is suspended (Linux
 * CLOCK_MONOTONIC, macOS mach_absolute_time); the wall clock does not. After a sleep the
 * scheduler's timer would fire only when its remaining monotonic time runs out (up to its 60 s
 * idle cap), and the occurrences that came due meanwhile would wait for it. Comparing how far the
 * two clocks moved between checks shows the jump at the next check, so the headless node, which
 * has no powerMonitor, re-evaluates its schedules as the desktop app does on 'resume'. A wall
 * clock set by hand or by NTP shows the same way, and cron schedules follow the wall clock too.
 */

export interface Clocks {
  /** Wall-clock milliseconds (Date.now). */
  wall(): number;
  /** Monotonic milliseconds (performance.now). */
  monotonic(): number;
}

export const systemClocks: Clocks = {
  wall: () => Date.now(),
  monotonic: () => performance.now(),
};

export interface ClockJump {
  /** How much further the wall clock moved than the monotonic one (negative: set back). */
  driftMs: number;
  /** The wall-clock time the jump was seen at. */
  at: Date;
}

export interface ClockJumpWatcherOptions {
  /** How often to compare the clocks. */
  checkMs: number;
  /** The smallest drift that counts as a jump; timer lateness under load stays well below it. */
  thresholdMs: number;
  onJump(jump: ClockJump): void;
  clocks?: Clocks;
}

export class ClockJumpWatcher {
  private readonly clocks: Clocks;
  private lastWall: number;
  private lastMonotonic: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ClockJumpWatcherOptions) {
    this.clocks = options.clocks ?? systemClocks;
    this.lastWall = this.clocks.wall();
    this.lastMonotonic = this.clocks.monotonic();
  }

  start(): void {
    if (this.timer) return;
    this.check();
    this.timer = setInterval(() => this.check(), this.options.checkMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Compares the clocks since the last check; reports a jump past the threshold. */
  check(): ClockJump | null {
    const wall = this.clocks.wall();
    const monotonic = this.clocks.monotonic();
    const driftMs = wall - this.lastWall - (monotonic - this.lastMonotonic);
    this.lastWall = wall;
    this.lastMonotonic = monotonic;
    if (Math.abs(driftMs) < this.options.thresholdMs) return null;
    const jump = { driftMs: Math.round(driftMs), at: new Date(wall) };
    this.options.onJump(jump);
    return jump;
  }
}
