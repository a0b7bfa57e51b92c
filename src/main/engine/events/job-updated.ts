import type { Job } from '../../../shared/types';
import type { PartContext } from '../context';
import { getJob } from '../store/jobs';
import { jobFromRow, type JobRow } from '../store/rows';

export type AnnounceContext = PartContext<'bus' | 'pool'>;

/** What a caller knows of the job it changed: the job, its row, or only its id (read back). */
export type JobSubject = Job | JobRow | string;

function isRow(subject: Job | JobRow): subject is JobRow {
  return 'task_id' in subject;
}

/**
 * The one way to announce a changed job (`job.updated`). Given only an id, the job is read back
 * from MySQL; a failed read drops the announcement (the UI re-reads after a reconnect), so it never
 * fails the change that was made. Resolves once the event went out, or was dropped.
 */
export async function announceJob(ctx: AnnounceContext, subject: JobSubject): Promise<void> {
  let job: Job | null;
  if (typeof subject === 'string') job = await getJob(ctx.pool, subject).catch(() => null);
  else job = isRow(subject) ? jobFromRow(subject) : subject;
  if (job) ctx.bus.emit('job.updated', job);
}
