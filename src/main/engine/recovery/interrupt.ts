import type { PartContext } from '../context';
import { announceJob } from '../events/job-updated';
import { pushJobs, type PushContext } from '../intake/push-jobs';
import { finishAttempt, planAfterAttempt, type RunningRef } from '../store/jobs';

export type InterruptContext = PushContext & PartContext<'pool' | 'bus'>;

/**
 * Ends an attempt that lost its node: recorded as `interrupted`, then retried under its policy
 * (invariant 6: at-least-once, never silently lost). Guarded by the attempt's claim token, so an
 * attempt that finished meanwhile is left as it is. Returns whether this call ended it.
 */
export async function interruptAttempt(ctx: InterruptContext, ref: RunningRef, reason: string): Promise<boolean> {
  const now = new Date();
  const plan = planAfterAttempt({
    outcome: 'interrupted',
    attempt: ref.attempt,
    maxAttempts: ref.max_attempts,
    retryDelayMs: ref.retry_delay_ms,
    now,
  });
  const done = await finishAttempt(ctx.pool, {
    id: String(ref.id),
    attempt: ref.attempt,
    token: ref.claim_token,
    result: { outcome: 'interrupted', exitCode: null, signal: null, httpStatus: null, error: reason, finishedAt: now },
    plan,
  });
  if (!done) return false;
  if (plan.status === 'waiting' && plan.dueAt) {
    await pushJobs(ctx, [{ id: String(ref.id), dueMs: plan.dueAt.getTime(), pinnedNodeId: ref.pinned_node_id }]);
  }
  await announceJob(ctx, String(ref.id));
  return true;
}
