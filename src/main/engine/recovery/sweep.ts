import type { PartContext } from '../context';
import { wakeEveryone, type WakeContext } from '../intake/push-jobs';
import { reportUnreadableJobs } from '../events/unreadable-rows';
import { queuedDueBy } from '../store/jobs';
import { Periodic } from './periodic';

/** The most jobs one sweep re-queues; the next sweep takes the rest. */
const SWEEP_LIMIT = 10_000;
/** A job written this recently may be between its insert and its push: not lost, left out. */
const SETTLING_MS = 2_000;

export type SweepContext = WakeContext & PartContext<'pool' | 'queue' | 'log' | 'recordEvent', 'sweepMs'>;

/**
 * The safety net of invariant 4, not the mechanism: every `sweepMs` (and at once after Redis
 * returns), one indexed query finds the jobs MySQL holds as waiting or ready and due within the
 * next period, and `sweep-2+N.lua` re-adds those no Redis queue holds.
 */
export class SafetySweep {
  /** Runs the service on its period; the engine starts and stops it. */
  readonly timer: Periodic;

  constructor(private readonly ctx: SweepContext) {
    this.timer = new Periodic(ctx.config.sweepMs, () => this.sweep(), ctx.log);
  }

  /**
   * Re-adds due jobs that no queue holds; returns how many. `dueBy` reaches further than the
   * next period: the repair Diagnostics offers re-adds every waiting job, however far ahead.
   */
  async sweep(opts: { dueBy?: Date } = {}): Promise<number> {
    const { ctx } = this;
    const now = Date.now();
    const started = performance.now();
    const dueBy = opts.dueBy ?? new Date(now + ctx.config.sweepMs);
    const { entries, unreadable } = await queuedDueBy(ctx.pool, dueBy, new Date(now - SETTLING_MS), SWEEP_LIMIT);
    await reportUnreadableJobs(ctx, unreadable, 'left out of the safety sweep');
    const added = await ctx.queue.sweep(entries);
    if (added > 0) {
      await wakeEveryone(ctx);
      await ctx.recordEvent({
        level: 'warn',
        kind: 'sweep.requeued',
        message: `safety sweep re-queued ${added} job(s) that no Redis queue held`,
        data: { count: added, jobs: added, durationMs: Math.round(performance.now() - started) },
      });
    }
    return added;
  }
}
