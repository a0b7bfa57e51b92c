import { Cron } from 'croner';
import { findTransition, resolveWall, type ResolvedWall } from './dst';
import { offsetAt, wallOf } from './zone';

/**
 * Cron expressions are matched by croner on wall times in UTC (a zone without DST), so croner only
 * answers "which clock readings match"; turning clock readings into instants is dst.ts's job.
 */

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const SECOND: FieldSpec = { name: 'second', min: 0, max: 59 };
const MINUTE: FieldSpec = { name: 'minute', min: 0, max: 59 };
const HOUR: FieldSpec = { name: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { name: 'day of month', min: 1, max: 31 };
const MONTH: FieldSpec = {
  name: 'month',
  min: 1,
  max: 12,
  names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
};
const DAY_OF_WEEK: FieldSpec = {
  name: 'day of week',
  min: 0,
  max: 7,
  names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
};
const YEAR: FieldSpec = { name: 'year', min: 1, max: 9999 };

const LAYOUTS: Record<number, FieldSpec[]> = {
  5: [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK],
  6: [SECOND, MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK],
  7: [SECOND, MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR],
};

const NICKNAMES = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

function splitFields(expr: string): string[] {
  return expr.trim().split(/\s+/);
}

/** Croner's messages carry its own prefix and its own (padded, so shifted) entry numbering. */
function stripCronerPrefix(message: string): string {
  return message
    .replace(/^CronPattern:\s*/, '')
    .replace(/^configuration entry \d+ \([^)]*\)\s*/, '')
    .replace(/\.$/, '');
}

/**
 * Finds a plain number outside the field's range. Croner reports those with an index shifted by one
 * for 1-based fields ("Invalid value for day: 31" for 32), so the range check is done here.
 */
function outOfRange(field: string, spec: FieldSpec): string | null {
  let text = field.toLowerCase();
  spec.names?.forEach((n, i) => {
    text = text.replaceAll(n, String(i + (spec === MONTH ? 1 : 0)));
  });
  for (const item of text.split(',')) {
    const [range = '', step] = item.split('/');
    if (step !== undefined && /^\d+$/.test(step) && Number(step) === 0) {
      return `step /0 is not allowed`;
    }
    // '#n' (nth weekday) and the L/W modifiers are croner's to judge; only bare numbers are checked.
    const bounds = range.replace(/^\+/, '').split('#')[0] ?? '';
    for (const v of bounds.split('-')) {
      if (!/^\d+$/.test(v)) continue;
      const n = Number(v);
      if (n < spec.min || n > spec.max) return `value ${v} is out of range ${spec.min}-${spec.max}`;
    }
  }
  return null;
}

/** Croner rejects a field alone if it is bad; with the other fields wildcarded the culprit is certain. */
function fieldError(fields: string[], layout: FieldSpec[]): string | null {
  for (let i = 0; i < fields.length; i++) {
    const spec = layout[i];
    const field = fields[i];
    if (spec === undefined || field === undefined) continue;
    const where = `field ${i + 1} (${spec.name})`;
    const range = outOfRange(field, spec);
    if (range !== null) return `${where} ${range}`;
    const probe = layout.map((_, j) => (j === i ? field : '*')).join(' ');
    try {
      new Cron(probe, { timezone: 'UTC' });
    } catch (err) {
      return `${where} '${field}': ${stripCronerPrefix((err as Error).message)}`;
    }
  }
  return null;
}

/** Returns what is wrong with `expr`, or null when croner accepts it. */
export function cronExpressionError(expr: string): string | null {
  const trimmed = expr.trim();
  if (trimmed === '') return 'must not be empty';
  if (trimmed.startsWith('@')) {
    return NICKNAMES.includes(trimmed.toLowerCase())
      ? null
      : `unknown nickname '${trimmed}' (use one of ${NICKNAMES.join(', ')})`;
  }
  const fields = splitFields(trimmed);
  const layout = LAYOUTS[fields.length];
  if (layout === undefined) {
    return (
      `has ${fields.length} fields; expected 5 (minute hour day-of-month month day-of-week), ` +
      '6 (with seconds first) or 7 (with a year last)'
    );
  }
  try {
    compile(trimmed);
    return null;
  } catch (err) {
    return fieldError(fields, layout) ?? stripCronerPrefix((err as Error).message);
  }
}

const compiled = new Map<string, Cron>();
const CACHE_LIMIT = 256;

function compile(expr: string): Cron {
  const key = expr.trim();
  let cron = compiled.get(key);
  if (cron === undefined) {
    // No callback: croner starts no timer, the instance is only a matcher.
    cron = new Cron(key, { timezone: 'UTC' });
    if (compiled.size >= CACHE_LIMIT) {
      const oldest = compiled.keys().next().value;
      if (oldest !== undefined) compiled.delete(oldest);
    }
    compiled.set(key, cron);
  }
  return cron;
}

// Each loop turn either returns or jumps past a repeated hour, so a handful of turns is plenty;
// the bound only guards against a zone database doing something unforeseen.
const MAX_STEPS = 16;

/**
 * The first run of `expr` in `zone` strictly after the instant `after` (ms), with its DST flag;
 * null when the expression never matches again.
 */
export function nextCronRun(expr: string, zone: string, after: number): ResolvedWall | null {
  const cron = compile(expr);
  // Wall times at or before the wall reading of `after` resolve to instants at or before `after`
  // (the mapping is monotone), so the search starts there.
  let cursor = wallOf(zone, after);
  for (let step = 0; step < MAX_STEPS; step++) {
    const next = cron.nextRun(new Date(cursor));
    if (next === null) return null;
    const wall = next.getTime();
    const run = resolveWall(zone, wall);
    if (run.at > after) return run;
    // `after` lies in the second pass of a repeated hour and this wall time already ran in the
    // first pass. Every wall time up to the end of the repeated hour did too: skip to that end,
    // which is the transition instant read with the first pass's offset.
    const transition = findTransition(zone, run.at, after);
    cursor = Math.max(wall, transition + offsetAt(zone, run.at) - 1);
  }
  throw new Error(`cron search for '${expr}' in ${zone} did not settle after ${MAX_STEPS} steps`);
}
