import type { Logger } from '../context';

/**
 * Runs `fn` every `ms` until stopped, never two at once: a run that outlasts the period makes the
 * next tick a no-op rather than a pile-up. A failure is logged and the next tick tries again. The
 * timer is unref'd, so it never keeps a process alive by itself.
 */
export class Periodic {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(
    private readonly ms: number,
    private readonly fn: () => Promise<unknown>,
    private readonly log: Pick<Logger, 'warn'>,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.ms);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    if (this.busy) return;
    this.busy = true;
    this.fn()
      .catch((err: unknown) => this.log.warn((err as Error).message))
      .finally(() => {
        this.busy = false;
      });
  }
}
