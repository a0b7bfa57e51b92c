import type { ScheduleInput } from '../../../shared/schemas';

type OnceSchedule = Extract<ScheduleInput, { type: 'once' }>;

/**
 * The single run time of a once schedule: `at`, or `delayMs` after the anchor (the task's creation
 * time), or the anchor itself when neither is given ("run now").
 */
export function onceRunTime(schedule: OnceSchedule, anchor: Date): Date {
  if (schedule.at !== undefined) return new Date(schedule.at);
  return new Date(anchor.getTime() + (schedule.delayMs ?? 0));
}
