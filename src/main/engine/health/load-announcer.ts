import type { EventBus } from '../events/event-bus';

/** How long job moves are gathered before the load is said again: ≤ 4 health events a second. */
export const LOAD_ANNOUNCE_MS = 250;

/**
 * Says this node's load (running against concurrency, in `health.changed`) when it changes. The
 * health event otherwise comes only with a service's change or the periodic report, so the top
 * bar's "n/m running" lagged the Running lane by up to 10 s. Job moves (`job.updated`) arrive by
 * the hundred under load: they are gathered for LOAD_ANNOUNCE_MS, and nothing is sent when the
 * count is what was said last.
 */
export class LoadAnnouncer {
  private unsubscribe: (() => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastSaid = -1;

  constructor(
    private readonly bus: EventBus,
    private readonly running: () => number,
    private readonly announce: () => void,
  ) {}

  start(): void {
    this.lastSaid = this.running();
    this.unsubscribe = this.bus.subscribe((message) => {
      if (message.event !== 'job.updated' || this.timer !== null) return;
      this.timer = setTimeout(() => {
        this.timer = null;
        const now = this.running();
        if (now === this.lastSaid) return;
        this.lastSaid = now;
        this.announce();
      }, LOAD_ANNOUNCE_MS);
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
