import cronstrue from 'cronstrue';

/**
 * Schedules in words, pure and shared: the engine's schedule.preview description and the Tasks
 * view's list and cron field say the same thing in the same words.
 */

const UNITS: [ms: number, singular: string, plural: string][] = [
  [86_400_000, 'day', 'days'],
  [3_600_000, 'hour', 'hours'],
  [60_000, 'minute', 'minutes'],
  [1_000, 'second', 'seconds'],
  [1, 'millisecond', 'milliseconds'],
];

/** "Every 5 minutes", "Every 90 seconds": the largest unit that divides the interval exactly. */
export function describeInterval(everyMs: number): string {
  for (const [unit, singular, plural] of UNITS) {
    if (everyMs % unit === 0) {
      const n = everyMs / unit;
      return n === 1 ? `Every ${singular}` : `Every ${n} ${plural}`;
    }
  }
  return `Every ${everyMs} milliseconds`;
}

/**
 * cronstrue leaves "every day" implicit ("At 02:30"); it is spelled out when the day fields are all
 * wildcards and the hour is fixed, where a reader might otherwise wonder which day.
 */
function everyDaySuffix(expr: string, text: string): string {
  const fields = expr.trim().split(/\s+/);
  if (fields.length < 5 || text.includes(',')) return '';
  const dayFields = fields.slice(fields.length === 5 ? 2 : 3);
  const hour = fields[fields.length === 5 ? 1 : 2] ?? '*';
  const wild = (f: string): boolean => f === '*' || f === '?';
  return dayFields.every(wild) && !/[*?/]/.test(hour) ? ', every day' : '';
}

export function describeCron(expr: string): string {
  try {
    const text = cronstrue.toString(expr, { use24HourTimeFormat: true });
    return text + everyDaySuffix(expr, text);
  } catch {
    // cronstrue does not know every croner extension (e.g. '+MON', '5#L'); the expression itself
    // is still the most precise description there is.
    return `Cron '${expr.trim()}'`;
  }
}
