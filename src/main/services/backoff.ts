export interface BackoffOptions {
  /** The first delay after a death. */
  initialMs: number;
  /** The longest delay: a server that keeps dying is retried at least this often. */
  maxMs: number;
  /** A server that stayed up this long counts as healthy again: the next death starts over. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000 };

/**
 * Restart delays for a supervised server: 0.5 s doubling to 30 s, back to 0.5 s after a minute
 * up. A crash loop (a full disk, a corrupt data dir) then costs a spawn every 30 s, not a busy loop,
 * while one crash after hours of uptime is repaired at once.
 */
export class Backoff {
  private nextMs: number;

  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {
    if (options.initialMs <= 0) throw new Error('backoff.initialMs must be greater than 0');
    if (options.maxMs < options.initialMs) throw new Error('backoff.maxMs must be at least backoff.initialMs');
    this.nextMs = options.initialMs;
  }

  /** The delay before the next restart of a server that died after `upMs` of uptime. */
  next(upMs: number): number {
    if (upMs >= this.options.resetAfterMs) this.nextMs = this.options.initialMs;
    const delay = this.nextMs;
    this.nextMs = Math.min(this.nextMs * 2, this.options.maxMs);
    return delay;
  }
}
