import type { PartContext } from '../context';
import type { JobRunner } from '../execution/job-runner';
import type { ProcessRegistry } from '../execution/process-registry';
import { REASONS } from '../reasons';
import { getJobRow, runningOnNode } from '../store/jobs';
import { interruptAttempt, type InterruptContext } from './interrupt';

export type OrphansContext = InterruptContext & PartContext<'nodeId' | 'recordEvent'>;

/**
 * At start: whatever this node left running when it crashed is ended and retried (invariant 6).
 * First the jobs' process groups, which a SIGKILL of the node leaves running, so that an old
 * attempt and its retry never run side by side; then the attempts, recorded as interrupted; then
 * the ids it had taken but never claimed, which go back to wait. Returns the attempts it ended.
 */
export async function reapOwnOrphans(
  ctx: OrphansContext,
  runner: Pick<JobRunner, 'isRunning'>,
  processes: Pick<ProcessRegistry, 'endLeftovers'>,
): Promise<number> {
  const ended = processes.endLeftovers();
  if (ended.length > 0) {
    ctx.log.warn(`ended the process groups of job(s) ${ended.join(', ')} left running by the last run`);
  }
  let n = 0;
  for (const ref of await runningOnNode(ctx.pool, ctx.nodeId)) {
    if (runner.isRunning(String(ref.id))) continue;
    if (await interruptAttempt(ctx, ref, REASONS.orphaned)) n += 1;
  }
  // Ids this node took but never claimed go back to wait; claimed ones are simply forgotten.
  for (const id of await ctx.queue.activeIds()) {
    const row = await getJobRow(ctx.pool, id);
    if (row && (row.status === 'waiting' || row.status === 'ready')) {
      await ctx.queue.requeue(id, row.due_at.getTime(), row.pinned_node_id);
    } else if (!runner.isRunning(id)) await ctx.queue.ack(id);
  }
  if (n > 0) {
    await ctx.recordEvent({
      level: 'warn',
      kind: 'recovery.orphans',
      message: `${n} job(s) left running by this node's last run were interrupted and requeued`,
      data: { count: n },
    });
  }
  return n;
}
