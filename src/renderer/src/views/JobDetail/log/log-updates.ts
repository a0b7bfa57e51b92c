import type { LogEntry } from '../../../../../shared/types';

/** Appends log entries not seen yet: an event may repeat lines the initial jobs.logs already returned. */
export function appendLog(log: readonly LogEntry[], entries: readonly LogEntry[]): LogEntry[] {
  const lastSeq = log.length > 0 ? (log[log.length - 1] as LogEntry).seq : -1;
  const fresh = entries.filter((e) => e.seq > lastSeq);
  return fresh.length === 0 ? [...log] : [...log, ...fresh];
}
