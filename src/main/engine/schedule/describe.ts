import type { ScheduleInput } from '../../../shared/schemas';
import { describeCron, describeInterval } from '../../../shared/schedule-words';
import { onceRunTime } from './once';
import { resolveTimezone } from './validate';

export { describeCron, describeInterval };

function bounds(startAt: string | undefined, endAt: string | undefined): string {
  const iso = (s: string): string => new Date(s).toISOString();
  return (startAt !== undefined ? `, from ${iso(startAt)}` : '') + (endAt !== undefined ? `, until ${iso(endAt)}` : '');
}

/** Human text for a schedule, as shown next to a preview. `anchor` places a delayed once run. */
export function describeSchedule(schedule: ScheduleInput, anchor: Date = new Date()): string {
  switch (schedule.type) {
    case 'once':
      return `Once at ${onceRunTime(schedule, anchor).toISOString()}`;
    case 'interval':
      return describeInterval(schedule.everyMs) + bounds(schedule.startAt, schedule.endAt);
    case 'cron':
      return `${describeCron(schedule.expr)} (${resolveTimezone(schedule) ?? 'UTC'})${bounds(schedule.startAt, schedule.endAt)}`;
  }
}
