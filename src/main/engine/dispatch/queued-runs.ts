import type { PartContext } from '../context';
import { pushJobs, type PushContext } from '../intake/push-jobs';
import { countRunning, makeQueuedDue, queuedJobs } from '../store/occurrences';

export type QueuedRunsContext = PushContext & PartContext<'pool'>;

/**
 * A run of the task ended (or a job was queued just now): if nothing of the task runs, the
 * oldest queued job is made due now. The claim re-checks under the task lock, so waking one
 * too early only re-queues it.
 */
export async function wakeQueuedRun(ctx: QueuedRunsContext, taskId: string, now = new Date()): Promise<void> {
  const [next] = await queuedJobs(ctx.pool, taskId, 1);
  if (!next || (await countRunning(ctx.pool, taskId)) > 0) return;
  if (await makeQueuedDue(ctx.pool, String(next.id), now)) {
    await pushJobs(ctx, [{ id: String(next.id), dueMs: now.getTime(), pinnedNodeId: next.pinned_node_id }]);
  }
}
