import type { JobFilter } from '../../../../shared/schemas';
import type { Job, NodeInfo, Task } from '../../../../shared/types';

/** How the history writes its values; pure, so the rules are unit-tested without a DOM. */

/** A duration this many times the task's p95 or more is flagged as slow. */
export const SLOW_FACTOR = 2;

/** One formatter for every cell: toLocaleString would build one per call, a cost paid per row drawn. */
const DATE_TIME = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function formatWhen(iso: string | null): string {
  return iso === null ? '—' : DATE_TIME.format(new Date(iso));
}

/** finishedAt − startedAt; null while the job has not run to an end. */
export function durationOf(job: Pick<Job, 'startedAt' | 'finishedAt'>): number | null {
  if (job.startedAt === null || job.finishedAt === null) return null;
  return Math.max(0, Date.parse(job.finishedAt) - Date.parse(job.startedAt));
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** More than SLOW_FACTOR × the task's p95: a run that took far longer than the task usually does. */
export function isSlow(durationMs: number | null, p95Ms: number | null | undefined): boolean {
  return durationMs !== null && p95Ms !== null && p95Ms !== undefined && p95Ms > 0 && durationMs > SLOW_FACTOR * p95Ms;
}

/** A node's name, else the start of its id (ids are long UUIDs). */
export function nodeLabel(nodeId: string | null, nodes: readonly NodeInfo[]): string {
  if (nodeId === null) return '—';
  return nodes.find((n) => n.id === nodeId)?.name ?? nodeId.slice(0, 8);
}

export function taskLabel(taskId: string, tasks: readonly Task[]): string {
  return tasks.find((t) => t.id === taskId)?.name ?? `task ${taskId}`;
}

/** The filter in words, for the bulk dialog: "task “backup”, status failed, from … to …". */
export function describeFilter(filter: JobFilter, tasks: readonly Task[], nodes: readonly NodeInfo[]): string {
  const parts: string[] = [];
  if (filter.id !== undefined) parts.push(`job ${filter.id}`);
  if (filter.taskId !== undefined) parts.push(`task “${taskLabel(filter.taskId, tasks)}”`);
  if (filter.status !== undefined) parts.push(`status ${filter.status}`);
  if (filter.nodeId !== undefined) parts.push(`node ${nodeLabel(filter.nodeId, nodes)}`);
  if (filter.from !== undefined) parts.push(`due from ${formatWhen(filter.from)}`);
  if (filter.to !== undefined) parts.push(`due until ${formatWhen(filter.to)}`);
  return parts.length === 0 ? 'every job' : parts.join(', ');
}

/** `datetime-local`'s value (local time, minutes) for an ISO time, and back. */
export function toLocalInput(iso: string | undefined): string {
  if (iso === undefined) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): string | undefined {
  if (value === '') return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
