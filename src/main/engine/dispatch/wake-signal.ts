/**
 * A latched wake-up: `notify()` that arrives while nobody waits is remembered, so the next
 * `wait()` returns at once. This is what keeps a wake-up sent while the scheduler is computing
 * from being lost (the Go original's bug).
 */
export class WakeSignal {
  private pending = false;
  private resolveWaiter: (() => void) | null = null;

  notify(): void {
    this.pending = true;
    const resolve = this.resolveWaiter;
    this.resolveWaiter = null;
    resolve?.();
  }

  /** Waits until notified or `ms` pass; returns true if notified. Consumes the latch. */
  wait(ms: number): Promise<boolean> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          this.resolveWaiter = null;
          resolve(false);
        },
        Math.max(0, Math.min(ms, 2_147_483_647)),
      );
      this.resolveWaiter = () => {
        clearTimeout(timer);
        this.pending = false;
        resolve(true);
      };
    });
  }
}
