import type { Job, LogEntry } from '../../../../../shared/types';
import { appendEntries } from './line-model';
import type { JobLogSlice } from './slice';

type HeldLog = Pick<JobLogSlice, 'log' | 'logLines'>;

/** The entries not held yet: an event may repeat lines jobs.logs already returned. */
function freshEntries(log: readonly LogEntry[], entries: readonly LogEntry[]): LogEntry[] {
  const lastSeq = log.length > 0 ? (log[log.length - 1] as LogEntry).seq : -1;
  return entries.filter((e) => e.seq > lastSeq);
}

/** The entries with the new ones appended, each once; the log itself when nothing is new. */
export function appendLog(log: readonly LogEntry[], entries: readonly LogEntry[]): LogEntry[] {
  const fresh = freshEntries(log, entries);
  return fresh.length === 0 ? (log as LogEntry[]) : [...log, ...fresh];
}

/**
 * The log with entries added, each once and in seq order, and split into lines as they come
 * (only the new ones are split). Nothing new gives back the same arrays, so a repeat re-renders
 * nothing.
 */
export function addEntries(held: HeldLog, entries: readonly LogEntry[]): HeldLog {
  const fresh = freshEntries(held.log, entries);
  if (fresh.length === 0) return { log: held.log, logLines: held.logLines };
  return { log: [...held.log, ...fresh], logLines: appendEntries(held.logLines, fresh) };
}

type LogState = HeldLog & Pick<JobLogSlice, 'logPending' | 'logLoading'>;

/**
 * A job.log event for the open job. While the stored log is still being paged in, live entries
 * wait: added now, they would sit before the pages still to come, and those pages would then be
 * dropped as repeats. They are added once the last page is in (slice.ts).
 */
export function liveLogUpdate(state: LogState, entries: readonly LogEntry[]): Partial<LogState> {
  if (state.logLoading) return { logPending: [...state.logPending, ...entries] };
  return addEntries(state, entries);
}

const ENDED: ReadonlySet<Job['status']> = new Set<Job['status']>(['succeeded', 'failed', 'cancelled', 'skipped']);

/**
 * Once an attempt of the open job ends (the job ended, or waits for its retry), its log is read on
 * from the last entry held: job.log events reach only the pages of the node that ran the attempt,
 * so the output of an attempt run by another node would otherwise be missing until a reload.
 */
export function resumeLogOnceEnded(state: Pick<JobLogSlice, 'logJobId' | 'resumeLog'>, job: Job): void {
  if (state.logJobId !== job.id) return;
  if (ENDED.has(job.status) || (job.status === 'waiting' && job.attempt > 0)) void state.resumeLog();
}
