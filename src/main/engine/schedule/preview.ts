import { TickrError } from '../../../shared/errors';
import type { ScheduleInput } from '../../../shared/schemas';
import type { Occurrence, SchedulePreview } from '../../../shared/types';
import { describeSchedule } from './describe';
import { nextRun } from './occurrences';
import { onceRunTime } from './once';
import { resolveTimezone, validateSchedule } from './validate';
import { formatLocal, machineTimeZone } from './zone';

export interface PreviewInput {
  schedule: ScheduleInput;
  from?: string;
  count?: number;
}

const MAX_COUNT = 1000;

/**
 * schedule.preview: the next `count` runs after `from` (default: now), as the scheduler would place
 * them for a task created at `from`. Interval and once schedules have no zone of their own; their
 * local times are shown in the machine's zone, and `timezone` stays null.
 */
export function previewSchedule(input: PreviewInput, now: Date = new Date()): SchedulePreview {
  const { schedule } = input;
  validateSchedule(schedule);
  const from = input.from !== undefined ? new Date(input.from) : now;
  if (Number.isNaN(from.getTime())) {
    throw new TickrError('BAD_INPUT', `from: '${input.from}' is not an ISO 8601 date-time`);
  }
  const count = Math.max(0, Math.min(MAX_COUNT, Math.floor(input.count ?? 5)));
  const timezone = resolveTimezone(schedule);
  const displayZone = timezone ?? machineTimeZone();
  const toOccurrence = (at: Date, dst: Occurrence['dst'], wall?: number): Occurrence => ({
    utc: at.toISOString(),
    local: formatLocal(displayZone, at.getTime()),
    dst,
    // The reading the expression asked for, so a client can say "02:30 does not exist; runs at 03:00".
    nominal: dst !== null && wall !== undefined ? new Date(wall).toISOString().slice(0, 19) : null,
  });

  const occurrences: Occurrence[] = [];
  if (schedule.type === 'once') {
    // "Run now" lands exactly on `from`, which the strictly-after rule of nextRun would drop.
    const at = onceRunTime(schedule, from);
    if (count > 0 && at.getTime() >= from.getTime()) occurrences.push(toOccurrence(at, null));
  } else {
    let cursor = from;
    while (occurrences.length < count) {
      const run = nextRun(schedule, cursor, from);
      if (run === null) break;
      occurrences.push(toOccurrence(run.at, run.dst, run.wall));
      cursor = run.at;
    }
  }
  return { description: describeSchedule(schedule, from), timezone, occurrences };
}
