/** Counts free workers. The dispatcher takes an id from Redis only after acquiring one. */
export class Semaphore {
  private free: number;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  get inUse(): number {
    return this.size - this.free;
  }

  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Takes up to `max` more free workers without waiting; returns how many it took. */
  tryAcquire(max: number): number {
    const n = Math.max(0, Math.min(max, this.free));
    this.free -= n;
    return n;
  }

  release(n = 1): void {
    for (let i = 0; i < n; i++) this.releaseOne();
  }

  private releaseOne(): void {
    const next = this.waiters.shift();
    if (next) {
      next();
      return;
    }
    this.free = Math.min(this.size, this.free + 1);
  }
}
