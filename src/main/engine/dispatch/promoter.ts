import type { PartContext } from '../context';
import { markReady } from '../store/jobs';

export type PromoterContext = PartContext<'queue' | 'health' | 'bus' | 'pool' | 'log' | 'wake' | 'faults'>;

/** The longest the promoter sleeps with nothing due; a wake-up ends the sleep earlier. */
const IDLE_SLEEP_MS = 60_000;

/**
 * How long after their promotion jobs are marked ready in MySQL, all the ids of that time in
 * one UPDATE. At once, the UPDATE took the row lock of a job its claim wanted a moment later, so
 * the claim waited for that commit, and it cost a commit per promotion (one every 5 ms with jobs
 * due every 5 ms). By now most are claimed: they are running, and the UPDATE leaves them be.
 */
export const READY_MARK_DELAY_MS = 250;

/**
 * Moves due ids from waiting to ready (invariant 4). It sleeps until the earliest due time or a
 * wake-up (new job, a message from another node, recovery), never polls, and a wake-up that
 * arrives while it computes is latched by the WakeSignal.
 */
export class Promoter {
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private toMark: string[] = [];
  private markTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: PromoterContext,
    private readonly onPinnedReady: () => void,
  ) {}

  start(): void {
    this.running = true;
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.ctx.wake.notify();
    await this.loopDone;
    // The ready mark is for people watching; a stopping node leaves what is unmarked as waiting.
    if (this.markTimer) clearTimeout(this.markTimer);
    this.markTimer = null;
    this.toMark = [];
  }

  private markReadySoon(ids: string[]): void {
    for (const id of ids) this.toMark.push(id);
    if (this.markTimer) return;
    this.markTimer = setTimeout(() => {
      const marked = this.toMark;
      this.toMark = [];
      this.markTimer = null;
      markReady(this.ctx.pool, marked, new Date()).catch(() => undefined);
    }, READY_MARK_DELAY_MS);
    this.markTimer.unref();
  }

  private async loop(): Promise<void> {
    const { ctx } = this;
    while (this.running) {
      if (!ctx.health.isUp('redis')) {
        await ctx.health.whenUp('redis');
        continue;
      }
      let sleepMs = IDLE_SLEEP_MS;
      try {
        const now = Date.now();
        const result = await ctx.queue.promote(now);
        if (result.pinnedMoved.length > 0) this.onPinnedReady();
        const moved = [...result.moved, ...result.pinnedMoved];
        if (moved.length > 0) {
          ctx.bus.emit('queue.changed', { reason: `${moved.length} job(s) became ready` });
          // The ready status in MySQL is for people watching; the claim does not depend on it.
          this.markReadySoon(moved);
        }
        await ctx.faults.afterPromote?.();
        if (result.nextDueMs !== null) sleepMs = Math.max(0, result.nextDueMs - Date.now());
      } catch (err) {
        ctx.log.warn(`promoter: promote failed: ${(err as Error).message}`);
        sleepMs = 1_000;
      }
      if (!this.running) break;
      await ctx.wake.wait(Math.min(sleepMs, IDLE_SLEEP_MS));
    }
  }
}
