import { TickrError } from '../../../shared/errors';
import { MIN_INTERVAL_MS, type ScheduleInput } from '../../../shared/schemas';
import { cronExpressionError } from './cron';
import { isValidTimeZone, machineTimeZone } from './zone';

function badInput(message: string): TickrError {
  return new TickrError('BAD_INPUT', message);
}

function parseInstant(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badInput(`schedule.${field}: '${value}' is not an ISO 8601 date-time`);
  return ms;
}

function checkBounds(startAt: string | undefined, endAt: string | undefined): void {
  const start = parseInstant(startAt, 'startAt');
  const end = parseInstant(endAt, 'endAt');
  if (start !== undefined && end !== undefined && start >= end) {
    throw badInput(`schedule.endAt: must be after schedule.startAt (${startAt} is not before ${endAt})`);
  }
}

/**
 * Checks what the zod schema cannot: cron syntax, zone names, bound order. The schema has already
 * run at the API boundary; the structural checks are repeated because the engine also takes
 * schedules read back from MySQL, and a bad one must fail here rather than loop later.
 */
export function validateSchedule(schedule: ScheduleInput): void {
  switch (schedule.type) {
    case 'once': {
      parseInstant(schedule.at, 'at');
      if (schedule.at !== undefined && schedule.delayMs !== undefined) {
        throw badInput('schedule.delayMs: give either at or delayMs, not both');
      }
      if (schedule.delayMs !== undefined && !(Number.isInteger(schedule.delayMs) && schedule.delayMs >= 0)) {
        throw badInput(`schedule.delayMs: must be a whole number of milliseconds >= 0, got ${schedule.delayMs}`);
      }
      return;
    }
    case 'interval': {
      // Checked again here (the schema does at the boundary): a tiny interval read back from
      // MySQL would make the scheduler spin.
      if (!(Number.isInteger(schedule.everyMs) && schedule.everyMs >= MIN_INTERVAL_MS)) {
        throw badInput(
          `schedule.everyMs: must be a whole number of milliseconds, at least ${MIN_INTERVAL_MS}, got ${schedule.everyMs}`,
        );
      }
      checkBounds(schedule.startAt, schedule.endAt);
      return;
    }
    case 'cron': {
      const problem = cronExpressionError(schedule.expr);
      if (problem !== null) throw badInput(`schedule.expr: ${problem}`);
      if (schedule.timezone !== undefined && !isValidTimeZone(schedule.timezone)) {
        throw badInput(
          `schedule.timezone: unknown time zone '${schedule.timezone}' (use an IANA name such as Europe/Berlin)`,
        );
      }
      checkBounds(schedule.startAt, schedule.endAt);
      return;
    }
    default: {
      const unknown: { type?: unknown } = schedule;
      throw badInput(`schedule.type: unknown schedule type '${String(unknown.type)}'`);
    }
  }
}

/** The zone a cron schedule runs in: its own, else the machine's. Other schedules have none. */
export function resolveTimezone(schedule: ScheduleInput): string | null {
  if (schedule.type !== 'cron') return null;
  return schedule.timezone ?? machineTimeZone();
}
