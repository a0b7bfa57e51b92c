import type { ScheduleInput } from '../../../shared/schemas';
import type { UpcomingRun } from '../../../shared/types';
import { nextOccurrence } from './occurrences';

export const UPCOMING_WINDOW_MS = 24 * 60 * 60_000;

export interface UpcomingTask {
  id: string;
  name: string;
  schedule: ScheduleInput;
  anchorAt: Date;
}

/**
 * The runs of `tasks` in (from, to], soonest first, at most `limit` in all. Each task stops at
 * `limit` runs of its own, so a task every second costs `limit` steps, not 86,400; `truncated`
 * says that runs were left out. Pure: the same schedule rules the engine runs by (occurrences.ts).
 */
export function upcomingRuns(
  tasks: readonly UpcomingTask[],
  from: Date,
  to: Date,
  limit: number,
): { items: UpcomingRun[]; truncated: boolean } {
  const runs: UpcomingRun[] = [];
  let truncated = false;
  for (const task of tasks) {
    let cursor = from;
    for (let n = 0; ; n++) {
      const next = nextOccurrence(task.schedule, cursor, task.anchorAt);
      if (next === null || next.getTime() > to.getTime()) break;
      if (n === limit) {
        truncated = true;
        break;
      }
      runs.push({ taskId: task.id, taskName: task.name, at: next.toISOString() });
      cursor = next;
    }
  }
  runs.sort((a, b) => a.at.localeCompare(b.at) || Number(a.taskId) - Number(b.taskId));
  if (runs.length > limit) truncated = true;
  return { items: runs.slice(0, limit), truncated };
}
