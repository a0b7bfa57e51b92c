import type { Logger } from '../context';

/** The first retry after a failed first contact, and the longest wait between two tries. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;

export interface StoreConnectorOptions {
  /** One try at first contact: create the database, migrate it, register the node. Throws on failure. */
  attempt: () => Promise<void>;
  log: Pick<Logger, 'info' | 'warn'>;
  retry?: { firstMs: number; maxMs: number };
}

/**
 * Brings MySQL into use whenever it first answers. A node starts whatever the state of its
 * services (the desktop app must open and say what is wrong, `tickr serve` must not exit), so
 * first contact is retried with a doubling wait, up to MAX_RETRY_MS, until it succeeds or the
 * node stops. Until then the API refuses what needs MySQL (STORE_UNAVAILABLE) and the
 * scheduler takes no job, as during an outage.
 */
export class StoreConnector {
  private stopped = false;
  private cancelWait: (() => void) | null = null;
  private warned = false;
  /** True once first contact succeeded; it stays true through later outages (those are the health monitor's). */
  ready = false;
  /** Why the last try failed, in the driver's words (no password: MySQL never echoes one). */
  lastError: string | null = null;

  constructor(private readonly options: StoreConnectorOptions) {}

  /** One try now; true when MySQL is ready for use. */
  async tryOnce(): Promise<boolean> {
    try {
      await this.options.attempt();
      this.ready = true;
      this.lastError = null;
      if (this.warned) this.options.log.info('MySQL answered: database ready');
      return true;
    } catch (err) {
      this.lastError = (err as Error).message || String(err);
      if (!this.warned) {
        this.warned = true;
        this.options.log.warn(
          `MySQL not ready (${this.lastError}); the node keeps trying and connects once it answers`,
        );
      }
      return false;
    }
  }

  /** Tries until MySQL is ready (true) or the connector is stopped (false). */
  async untilReady(): Promise<boolean> {
    const { firstMs, maxMs } = this.options.retry ?? { firstMs: FIRST_RETRY_MS, maxMs: MAX_RETRY_MS };
    let delay = firstMs;
    while (!this.stopped) {
      if (await this.tryOnce()) return true;
      await this.wait(delay);
      delay = Math.min(delay * 2, maxMs);
    }
    return false;
  }

  /** Ends the retries: a stopping node no longer waits for MySQL. */
  stop(): void {
    this.stopped = true;
    this.cancelWait?.();
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.cancelWait = done;
    });
  }
}
