import type { PartContext } from '../context';
import type { QueueEntry } from '../store/jobs';

export type WakeContext = PartContext<'wake' | 'publish' | 'nodeId'>;
export type PushContext = WakeContext & PartContext<'queue' | 'faults' | 'log'>;

/**
 * Pushes jobs already committed to MySQL to Redis and wakes every promoter (invariant 1: MySQL
 * first, then Redis). A failed push never fails the caller: the job is durable, and the safety
 * sweep or a rebuild queues it.
 */
export async function pushJobs(ctx: PushContext, entries: QueueEntry[]): Promise<void> {
  if (entries.length === 0) return;
  try {
    for (const e of entries) await ctx.faults.beforePush?.(e.id);
    await ctx.queue.add(entries);
  } catch (err) {
    const ids = entries.map((e) => e.id).join(',');
    ctx.log.warn(
      `jobs ${ids}: written to MySQL but not yet to Redis (${(err as Error).message}); the sweep will queue them`,
    );
    return;
  }
  await wakeEveryone(ctx);
}

/**
 * Wakes this node's promoter and, over pub/sub, every other node's, after a new due time reached
 * Redis. A publish that fails is dropped: the other promoters wake by themselves within their
 * 60 s idle sleep.
 */
export async function wakeEveryone(ctx: WakeContext): Promise<void> {
  ctx.wake.notify();
  await ctx.publish({ type: 'wake', from: ctx.nodeId }).catch(() => undefined);
}
