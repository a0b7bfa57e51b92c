/**
 * Pure scheduling: when a task's runs fall. No I/O; the scheduler and the API call these.
 * The rules are written down in docs/scheduling.md.
 */
export { validateSchedule, resolveTimezone } from './validate';
export { nextOccurrence, nextRun, occurrencesBetween, type Run } from './occurrences';
export { previewSchedule, type PreviewInput } from './preview';
export { describeSchedule, describeCron, describeInterval } from './describe';
export { onceRunTime } from './once';
export { cronExpressionError } from './cron';
export type { DstFlag } from './dst';
export { isValidTimeZone, machineTimeZone, formatLocal } from './zone';
export {
  planCatchUp,
  windowEnd,
  latestAtOrBefore,
  CATCH_UP_LIMIT,
  MISFIRE_MS,
  type CatchUpPlan,
  type CatchUpInput,
} from './catch-up';
