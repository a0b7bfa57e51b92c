import type { Job } from '../../../../shared/types';

/** Pure list updates applied by the event handler; no DOM, so unit tests can run them in Node. */

/** How many jobs the page keeps: it shows recent activity, not history. */
export const JOB_LIMIT = 50;

/** Replaces the job with the same id in place, or puts a new one first (the list is newest first). */
export function upsertJob(jobs: readonly Job[], job: Job, limit = JOB_LIMIT): Job[] {
  const index = jobs.findIndex((j) => j.id === job.id);
  if (index >= 0) return jobs.map((j, i) => (i === index ? job : j));
  return [job, ...jobs].slice(0, limit);
}
