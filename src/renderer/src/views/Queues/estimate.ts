import type { NodeQueues, TaskDurationStats } from '../../../../shared/types';

/**
 * The Queues view's estimates, pure so that unit tests pin them down: when each ready job should
 * start, and how long a running job has left. Both come from each task's median duration (over its
 * last 100 finished jobs, tasks.durationStats) and the workers of the alive nodes. They are
 * estimates: a node takes its pinned jobs first, and a median is not a promise.
 */

export type Durations = Readonly<Record<string, TaskDurationStats>>;

/** The median of `values`; null for none. (The middle pair's mean for an even count.) */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * How long a job of `taskId` is expected to run: its task's median, else the typical median of the
 * tasks known (a new task is assumed to be like the others), else null (nothing is known yet).
 */
export function expectedDuration(taskId: string | null, durations: Durations): number | null {
  const own = taskId === null ? null : (durations[taskId]?.medianMs ?? null);
  if (own !== null) return own;
  return median(
    Object.values(durations)
      .map((d) => d.medianMs)
      .filter((m): m is number => m !== null),
  );
}

/** Time left of a job started at `startedAtMs`; negative once it runs longer than its median. */
export function remainingMs(startedAtMs: number | null, expectedMs: number | null, nowMs: number): number | null {
  if (startedAtMs === null || expectedMs === null) return null;
  return expectedMs - (nowMs - startedAtMs);
}

/** The shared workers: all slots of the alive nodes, and the time each busy one is expected to stay busy. */
export interface Workers {
  slots: number;
  /** One per running job: ms until it is expected to finish (0 if overdue), or null if unknown. */
  busyForMs: (number | null)[];
}

export function workersOf(nodes: readonly NodeQueues[], durations: Durations, nowMs: number): Workers {
  const alive = nodes.filter((n) => n.alive);
  const slots = alive.reduce((sum, n) => sum + (n.concurrency ?? 0), 0);
  const busyForMs = alive.flatMap((n) =>
    n.running.entries.map((e) => {
      const left = remainingMs(
        e.startedAt === null ? nowMs : Date.parse(e.startedAt),
        expectedDuration(e.taskId, durations),
        nowMs,
      );
      return left === null ? null : Math.max(0, left);
    }),
  );
  return { slots, busyForMs };
}

/**
 * Expected ms from now until each ready job starts, in queue order: each job goes to the worker
 * that frees first, and keeps it for its task's expected duration. Null from the first job whose
 * start depends on a duration nobody knows, and for all when there is no worker.
 */
export function readyEtas(
  taskIds: readonly (string | null)[],
  workers: Workers,
  durations: Durations,
): (number | null)[] {
  if (workers.slots <= 0) return taskIds.map(() => null);
  // When each worker is free again; busy ones first, idle ones now. null = unknown.
  const freeAt: (number | null)[] = Array.from({ length: workers.slots }, (_, i) =>
    i < workers.busyForMs.length ? (workers.busyForMs[i] as number | null) : 0,
  );
  return taskIds.map((taskId) => {
    let best = -1;
    for (let i = 0; i < freeAt.length; i++) {
      const t = freeAt[i] as number | null;
      if (t !== null && (best < 0 || t < (freeAt[best] as number))) best = i;
    }
    if (best < 0) return null;
    const start = freeAt[best] as number;
    const run = expectedDuration(taskId, durations);
    freeAt[best] = run === null ? null : start + run;
    return start;
  });
}
