import type { JobFilter } from '../../../../shared/schemas';
import type { Job } from '../../../../shared/types';

/** Pure list updates applied by the event handler; no DOM, so unit tests can run them in Node. */

/**
 * Orders decimal id strings as numbers (ids can exceed 2^53): a longer id is a larger one.
 * Negative when `a` comes before `b` in the history, which is newest (largest id) first.
 */
export function newestFirst(a: string, b: string): number {
  if (a.length !== b.length) return b.length - a.length;
  return a < b ? 1 : a > b ? -1 : 0;
}

/** The filter's rules as jobs.list applies them on the server (store/job-filter.ts), for one job. */
export function jobMatches(job: Job, filter: JobFilter): boolean {
  if (filter.id !== undefined && job.id !== filter.id) return false;
  if (filter.taskId !== undefined && job.taskId !== filter.taskId) return false;
  if (filter.status !== undefined && job.status !== filter.status) return false;
  if (filter.nodeId !== undefined && job.nodeId !== filter.nodeId) return false;
  const at = Date.parse(job.scheduledFor);
  if (filter.from !== undefined && at < Date.parse(filter.from)) return false;
  if (filter.to !== undefined && at > Date.parse(filter.to)) return false;
  return true;
}

/** The first index whose id is older than `id` in a newest-first list: where `id` goes. */
function insertionIndex(jobs: readonly Job[], id: string): number {
  let low = 0;
  let high = jobs.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (newestFirst((jobs[mid] as Job).id, id) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

export interface ListScope {
  /** The filter the list was read with. */
  filter: JobFilter;
  /** False while later pages exist on the server: a job older than the last loaded row waits for its page. */
  complete: boolean;
}

/**
 * Folds one job.updated into the loaded history (newest first). A loaded job is replaced where it
 * is, even when it no longer matches the filter (a failed job just retried stays in a "failed"
 * list, showing its new status, rather than vanishing under the pointer). A job not loaded is added
 * at its place when it matches: a new job at the top, an older one that now matches in between,
 * unless it belongs to a page not read yet. Returns `jobs` itself when nothing changes, so the
 * store notifies no one.
 */
export function applyJobUpdate(jobs: Job[], job: Job, scope: ListScope): Job[] {
  const index = jobs.findIndex((j) => j.id === job.id);
  if (index >= 0) {
    const next = jobs.slice();
    next[index] = job;
    return next;
  }
  if (!jobMatches(job, scope.filter)) return jobs;
  const at = insertionIndex(jobs, job.id);
  if (at === jobs.length && !scope.complete && jobs.length > 0) return jobs;
  const next = jobs.slice();
  next.splice(at, 0, job);
  return next;
}

/** Appends a later page, leaving out ids already there (a job that arrived by event meanwhile). */
export function appendPage(jobs: readonly Job[], page: readonly Job[]): Job[] {
  if (jobs.length === 0) return page.slice();
  const known = new Set(jobs.slice(-page.length - 50).map((j) => j.id));
  return [...jobs, ...page.filter((j) => !known.has(j.id))];
}
