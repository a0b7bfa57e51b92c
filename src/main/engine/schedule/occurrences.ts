import { MAX_DATETIME, type ScheduleInput } from '../../../shared/schemas';
import { nextCronRun } from './cron';
import type { DstFlag } from './dst';
import { nextIntervalRun } from './interval';
import { onceRunTime } from './once';
import { resolveTimezone } from './validate';

export interface Run {
  at: Date;
  dst: DstFlag;
  /** For a cron run, the wall time the expression named (fake-UTC ms; see zone.ts). */
  wall?: number;
}

function ms(iso: string | undefined): number | undefined {
  return iso === undefined ? undefined : Date.parse(iso);
}

/**
 * The first run strictly after `after`, with its DST flag. `anchor` is the task's creation time: it
 * places interval runs when there is no startAt and once runs given as a delay. Without it, `after`
 * stands in, which is right for a schedule being set up now.
 */
export function nextRun(schedule: ScheduleInput, after: Date, anchor?: Date): Run | null {
  const afterMs = after.getTime();
  // An invalid date would make every comparison false and the callers' loops never advance.
  if (Number.isNaN(afterMs)) throw new RangeError('nextRun: `after` is an invalid Date');
  if (schedule.type === 'once') {
    const at = onceRunTime(schedule, anchor ?? after);
    return at.getTime() > afterMs && at.getTime() <= MAX_DATETIME.getTime() ? { at, dst: null } : null;
  }
  const start = ms(schedule.startAt);
  const end = ms(schedule.endAt);
  let run: Run | null;
  if (schedule.type === 'interval') {
    const at =
      start !== undefined
        ? nextIntervalRun(schedule.everyMs, start, 0, afterMs)
        : nextIntervalRun(schedule.everyMs, (anchor ?? after).getTime(), 1, afterMs);
    run = { at: new Date(at), dst: null };
  } else {
    // startAt is inclusive: searching from just before it lets a run exactly at startAt count.
    const from = start !== undefined ? Math.max(afterMs, start - 1) : afterMs;
    const found = nextCronRun(schedule.expr, resolveTimezone(schedule) ?? 'UTC', from);
    run = found === null ? null : { at: new Date(found.at), dst: found.dst, wall: found.wall };
  }
  if (run === null || (end !== undefined && run.at.getTime() > end)) return null;
  // Past what MySQL's DATETIME holds, a schedule has no more runs: its job could not be stored.
  if (run.at.getTime() > MAX_DATETIME.getTime()) return null;
  return run;
}

/** The first occurrence strictly after `after`, or null when there is none (ended, never matches, once done). */
export function nextOccurrence(schedule: ScheduleInput, after: Date, anchor?: Date): Date | null {
  return nextRun(schedule, after, anchor)?.at ?? null;
}

/**
 * Occurrences in (fromExclusive, toInclusive], oldest first, at most `limit` of them: the runs a
 * node missed while it was down, for the catch-up policy to decide on.
 */
export function occurrencesBetween(
  schedule: ScheduleInput,
  fromExclusive: Date,
  toInclusive: Date,
  anchor: Date,
  limit: number,
): Date[] {
  const out: Date[] = [];
  let cursor = fromExclusive;
  while (out.length < limit) {
    const next = nextOccurrence(schedule, cursor, anchor);
    if (next === null || next.getTime() > toInclusive.getTime()) break;
    out.push(next);
    cursor = next;
  }
  return out;
}
