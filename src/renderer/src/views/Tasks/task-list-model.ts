import { describeCron, describeInterval } from '../../../../shared/schedule-words';
import { TERMINAL_STATUSES, type JobStatus, type ScheduleInput, type TaskType } from '../../../../shared/schemas';
import type { Job, RecentRun, Task } from '../../../../shared/types';

/** The Tasks list's rules, pure: filtering, the last result, and a job.updated folded into a strip. */

export const STRIP_LENGTH = 20;

export type LastResult = 'succeeded' | 'failed' | 'cancelled' | 'skipped' | 'never';

export interface TaskFilters {
  search: string;
  type: TaskType | 'all';
  enabled: 'all' | 'enabled' | 'paused';
  lastResult: LastResult | 'all';
}

export const NO_FILTERS: TaskFilters = { search: '', type: 'all', enabled: 'all', lastResult: 'all' };

const TERMINAL: ReadonlySet<JobStatus> = new Set(TERMINAL_STATUSES);

/** The newest finished run's status; 'never' while the task has not finished one. */
export function lastResultOf(runs: readonly RecentRun[] | undefined): LastResult {
  const last = runs?.find((r) => TERMINAL.has(r.status));
  return last === undefined ? 'never' : (last.status as LastResult);
}

/** What the search matches: the name, the shell command, or the http request line. */
function searchText(task: Task): string {
  return [task.name, task.command ?? '', task.http ? `${task.http.method} ${task.http.url}` : '']
    .join('\n')
    .toLowerCase();
}

export function filterTasks(
  tasks: readonly Task[],
  runs: Readonly<Record<string, RecentRun[]>>,
  f: TaskFilters,
): Task[] {
  const needle = f.search.trim().toLowerCase();
  return tasks.filter(
    (t) =>
      (needle === '' || searchText(t).includes(needle)) &&
      (f.type === 'all' || t.type === f.type) &&
      (f.enabled === 'all' || t.enabled === (f.enabled === 'enabled')) &&
      (f.lastResult === 'all' || lastResultOf(runs[t.id]) === f.lastResult),
  );
}

function runOf(job: Job): RecentRun {
  const started = job.startedAt === null ? null : Date.parse(job.startedAt);
  const finished = job.finishedAt === null ? null : Date.parse(job.finishedAt);
  return {
    id: job.id,
    status: job.status,
    durationMs: started !== null && finished !== null ? Math.max(0, finished - started) : null,
    finishedAt: job.finishedAt,
  };
}

/** The strip with `job` put in place (or first, when new), newest first, at most STRIP_LENGTH long. */
export function foldJobIntoStrip(strip: readonly RecentRun[] | undefined, job: Job): RecentRun[] {
  const runs = strip ?? [];
  const run = runOf(job);
  const index = runs.findIndex((r) => r.id === job.id);
  if (index >= 0) return runs.map((r, i) => (i === index ? run : r));
  return [run, ...runs].sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1)).slice(0, STRIP_LENGTH);
}

/** The task with the same id replaced in place, or put first (tasks.list is newest first). */
export function upsertTask(tasks: readonly Task[], task: Task): Task[] {
  const index = tasks.findIndex((t) => t.id === task.id);
  if (index >= 0) return tasks.map((t, i) => (i === index ? task : t));
  return [task, ...tasks];
}

/** "in 4 min 05 s", "in 2 h 10 min", "due now": a countdown read at `now`. */
export function countdown(at: string | null, now: number): string {
  if (at === null) return 'no next run';
  const ms = Date.parse(at) - now;
  if (ms <= 0) return 'due now';
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const sec = s % 60;
  if (d > 0) return `in ${d} d ${h} h`;
  if (h > 0) return `in ${h} h ${m} min`;
  if (m > 0) return `in ${m} min ${String(sec).padStart(2, '0')} s`;
  return `in ${sec} s`;
}

/** The schedule in words with its zone, as the list shows it: "At 09:00, Monday through Friday (Europe/Berlin)". */
export function scheduleInWords(schedule: ScheduleInput, locale?: string): string {
  switch (schedule.type) {
    case 'once':
      if (schedule.at !== undefined)
        return `Once, at ${new Date(schedule.at).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' })}`;
      if (schedule.delayMs !== undefined) {
        const every = describeInterval(schedule.delayMs);
        return `Once, ${every.replace(/^Every (?=\D)/, 'after 1 ').replace(/^Every /, 'after ')}`;
      }
      return 'Once, when created';
    case 'interval':
      return describeInterval(schedule.everyMs);
    case 'cron':
      return `${describeCron(schedule.expr)} (${schedule.timezone ?? 'UTC'})`;
  }
}
