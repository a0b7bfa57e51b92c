import type { CatchUpPolicy, ScheduleInput } from '../../../shared/schemas';
import { nextOccurrence } from './occurrences';

/** At most this many missed occurrences become rows (skipped records, or `all` runs). */
export const CATCH_UP_LIMIT = 100;

/** An occurrence is on time for at most this long, and never past the next occurrence. */
export const MISFIRE_MS = 60_000;

/**
 * The instant after which an occurrence counts as missed: when the next occurrence comes due, or
 * a minute after it, whichever is first. Inside the window a late start is ordinary scheduling
 * latency; after it the run is stale, and the task's catch-up policy decides.
 */
export function windowEnd(schedule: ScheduleInput, occurrence: Date, anchor: Date): Date {
  const cap = occurrence.getTime() + MISFIRE_MS;
  const next = nextOccurrence(schedule, occurrence, anchor);
  return new Date(next === null ? cap : Math.min(cap, next.getTime()));
}

/**
 * The latest occurrence in (fromExclusive, now], or null. A binary search over "is there an
 * occurrence after t that is not after now?" (monotone, because nextOccurrence never decreases
 * as `after` grows), so a task that missed a year of per-second runs costs ~35 steps, not 3·10⁷.
 */
export function latestAtOrBefore(schedule: ScheduleInput, fromExclusive: Date, now: Date, anchor: Date): Date | null {
  const hasRunUpToNow = (after: number): boolean => {
    const next = nextOccurrence(schedule, new Date(after), anchor);
    return next !== null && next.getTime() <= now.getTime();
  };
  let lo = fromExclusive.getTime();
  let hi = now.getTime();
  if (lo >= hi || !hasRunUpToNow(lo)) return null;
  // Invariant: an occurrence lies in (lo, now], none in (hi, now]. Times are whole milliseconds.
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (hasRunUpToNow(mid)) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}

export interface CatchUpPlan {
  /** `skip`: occurrences recorded as skipped, oldest first, at most CATCH_UP_LIMIT. */
  skipped: Date[];
  /** `once` / `all`: occurrences that run now, each as its own job, oldest first. */
  runs: Date[];
  /** `skip`: the latest occurrence, still inside its window: an ordinary job due at its time. */
  current: Date | null;
  /** The first occurrence after now: the task's future job. Null when the schedule has ended. */
  next: Date | null;
  /** Occurrences in (from, now], counted up to CATCH_UP_LIMIT + 1 (`more` says the count stopped). */
  missed: number;
  more: boolean;
  /** The latest occurrence in (from, now], whatever happened to it. */
  latest: Date | null;
}

export interface CatchUpInput {
  schedule: ScheduleInput;
  anchor: Date;
  /** The last occurrence already handled (it has a job); the plan covers what came after it. */
  fromExclusive: Date;
  now: Date;
  policy: CatchUpPolicy;
  /**
   * A run of the task starts right now anyway (the claim of a late occurrence). Under `once`
   * that run stands for everything missed, so no extra job is made.
   */
  runningNow: boolean;
}

/**
 * What to do about the occurrences in (from, now] and the next one after now. Pure: the caller
 * writes the plan as rows, idempotently, under the task's row lock.
 */
export function planCatchUp(input: CatchUpInput): CatchUpPlan {
  const { schedule, anchor, now, policy } = input;
  const found: Date[] = [];
  let next: Date | null = null;
  let cursor = input.fromExclusive;
  for (;;) {
    const at = nextOccurrence(schedule, cursor, anchor);
    if (at === null) break;
    if (at.getTime() > now.getTime()) {
      next = at;
      break;
    }
    if (found.length > CATCH_UP_LIMIT) {
      // Counted enough: jump to the end instead of walking every missed occurrence.
      next = nextOccurrence(schedule, now, anchor);
      break;
    }
    found.push(at);
    cursor = at;
  }
  const more = found.length > CATCH_UP_LIMIT;
  const oldest = found.slice(0, CATCH_UP_LIMIT);
  const latest = more
    ? (latestAtOrBefore(schedule, found[CATCH_UP_LIMIT]!, now, anchor) ?? found[CATCH_UP_LIMIT]!)
    : (found[found.length - 1] ?? null);
  const plan: CatchUpPlan = { skipped: [], runs: [], current: null, next, missed: found.length, more, latest };
  if (latest === null) return plan;
  if (policy === 'all') {
    plan.runs = oldest;
  } else if (policy === 'once') {
    plan.runs = input.runningNow ? [] : [latest];
  } else {
    const current = windowEnd(schedule, latest, anchor).getTime() >= now.getTime() ? latest : null;
    plan.current = current;
    plan.skipped = oldest.filter((at) => at.getTime() !== current?.getTime());
  }
  return plan;
}
