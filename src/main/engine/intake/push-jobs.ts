import type { EngineContext } from '../context';
import type { QueueEntry } from '../store/jobs';

/**
 * Pushes jobs already committed to MySQL to Redis and wakes every scheduler (invariant 1: MySQL
 * first, then Redis). A failed push never fails the caller: the job is durable, and the safety
 * sweep or a rebuild queues it.
 */
export async function pushJobs(ctx: EngineContext, entries: QueueEntry[]): Promise<void> {
  if (entries.length === 0) return;
  try {
    for (const e of entries) await ctx.faults.beforePush?.(e.id);
    await ctx.queue.add(entries);
  } catch (err) {
    ctx.log.warn(
      `jobs ${entries.map((e) => e.id).join(',')}: written to MySQL but not yet to Redis (${(err as Error).message}); the sweep will queue them`,
    );
    return;
  }
  await wakeEveryone(ctx);
}

/**
 * Wakes this node's scheduler and, over pub/sub, every other node's, after a new due time reached
 * Redis. A publish that fails is dropped: the other schedulers wake by themselves within their
 * 60 s idle sleep.
 */
export async function wakeEveryone(ctx: EngineContext): Promise<void> {
  ctx.wake.notify();
  await ctx.publish({ type: 'wake', from: ctx.nodeId }).catch(() => undefined);
}
