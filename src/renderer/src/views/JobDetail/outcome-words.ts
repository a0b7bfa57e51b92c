import type { Attempt, JobDetail } from '../../../../shared/types';

/**
 * The exit banner of the job page: how the job ended (or where it stands), said once, from the
 * last attempt's exit code, signal, HTTP status, timeout or cancel. Pure, for its tests.
 */
export interface ExitBanner {
  /** Drives the colour: ok (green), bad (red), warn (amber), info (neutral). */
  tone: 'ok' | 'bad' | 'warn' | 'info';
  /** What kind of end it was, for tests and styling: exit, signal, http, timeout, cancel, … */
  kind: 'exit' | 'signal' | 'http' | 'timeout' | 'cancel' | 'interrupted' | 'skipped' | 'running' | 'pending' | 'error';
  title: string;
  detail: string | null;
}

/** A duration as people read it: "820 ms", "4.2 s", "3 min 20 s", "2 h 5 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

/** How long an attempt ran, up to `now` while it still runs. */
export function attemptDuration(a: Attempt, now: number): number {
  return (a.finishedAt === null ? now : Date.parse(a.finishedAt)) - Date.parse(a.startedAt);
}

function ended(a: Attempt): ExitBanner {
  const error = a.error;
  switch (a.outcome) {
    case 'timed_out':
      return { tone: 'bad', kind: 'timeout', title: 'Timed out', detail: error };
    case 'cancelled':
      return { tone: 'warn', kind: 'cancel', title: 'Cancelled', detail: error };
    case 'interrupted':
      return { tone: 'warn', kind: 'interrupted', title: 'Interrupted', detail: error };
    default:
      break;
  }
  const ok = a.outcome === 'succeeded';
  if (a.httpStatus !== null) {
    return { tone: ok ? 'ok' : 'bad', kind: 'http', title: `HTTP ${a.httpStatus}`, detail: ok ? null : error };
  }
  if (a.signal !== null) {
    return { tone: 'bad', kind: 'signal', title: `Killed by ${a.signal}`, detail: error };
  }
  if (a.exitCode !== null) {
    return { tone: ok ? 'ok' : 'bad', kind: 'exit', title: `Exit code ${a.exitCode}`, detail: ok ? null : error };
  }
  return ok
    ? { tone: 'ok', kind: 'exit', title: 'Succeeded', detail: null }
    : { tone: 'bad', kind: 'error', title: 'Failed', detail: error };
}

export function exitBanner(job: JobDetail): ExitBanner {
  const last = job.attempts.at(-1);
  switch (job.status) {
    case 'skipped':
      return { tone: 'warn', kind: 'skipped', title: 'Skipped: it did not run', detail: job.error };
    case 'running':
      return {
        tone: 'info',
        kind: 'running',
        title: `Running: attempt ${job.attempt} of ${job.maxAttempts}`,
        detail: job.nodeId ? `on node ${job.nodeId}` : null,
      };
    case 'waiting':
    case 'ready': {
      const retry = last !== undefined && last.outcome !== 'running';
      const due = new Date(job.dueAt).toLocaleString();
      return {
        tone: retry ? 'warn' : 'info',
        kind: 'pending',
        title: retry ? `Waiting to retry: attempt ${job.attempt + 1} of ${job.maxAttempts}` : 'Waiting to start',
        detail: retry ? `due at ${due}; attempt ${last.attempt}: ${ended(last).title}` : `due at ${due}`,
      };
    }
    case 'cancelled':
      if (!last || last.outcome !== 'cancelled') {
        return { tone: 'warn', kind: 'cancel', title: 'Cancelled before it started', detail: job.error };
      }
      return ended(last);
    default:
      return last ? ended(last) : { tone: 'bad', kind: 'error', title: 'Failed', detail: job.error };
  }
}
