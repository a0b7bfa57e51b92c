import type { Occurrence } from '../../../../shared/types';

/** How the cron field shows schedule.preview's runs, pure: times in two zones and the DST notes. */

/** 'YYYY-MM-DD HH:mm' of an instant in `zone`, the way the preview table lines them up. */
export function timeIn(zone: string, utc: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    weekday: 'short',
  }).formatToParts(new Date(utc));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('weekday')} ${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** "28 Mar" from 'YYYY-MM-DDTHH:mm:ss' (a wall time, read as such: no zone applies). */
function dayOf(wall: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' }).format(
    new Date(`${wall.slice(0, 10)}T00:00:00Z`),
  );
}

/**
 * Why a run is not at the time the expression names, or null when it is: "02:30 does not exist on
 * 29 Mar (clocks go forward); runs at 03:00", "02:30 happens twice on 25 Oct (clocks go back); runs
 * at the first".
 */
export function dstNote(o: Occurrence): string | null {
  if (o.dst === null) return null;
  const wall = o.nominal ?? o.local.slice(0, 19);
  const named = wall.slice(11, 16);
  if (o.dst === 'gap-shifted') {
    return `${named} does not exist on ${dayOf(wall)} (clocks go forward); runs at ${o.local.slice(11, 16)}`;
  }
  return `${named} happens twice on ${dayOf(wall)} (clocks go back); runs at the first, ${o.local.slice(19)}`;
}
