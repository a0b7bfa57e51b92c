/**
 * Text for a bounded column (`VARCHAR(n)`), cut to fit with a marker that says so. A text that
 * does not fit would otherwise fail the whole statement in strict mode, and a failed write of a
 * result leaves its job `running`. The lengths are the migrations' own.
 */
export const COLUMN_LIMITS = {
  /** jobs.error, attempts.error */
  error: 2_000,
  /** system_events.message */
  eventMessage: 2_000,
} as const;

const MARKER = '… [cut to fit]';

/** `text` unchanged if it fits in `max` characters, else its start and the marker, never past `max`. */
export function fitColumn(text: string, max: number): string;
export function fitColumn(text: string | null, max: number): string | null;
export function fitColumn(text: string | null, max: number): string | null {
  if (text === null) return null;
  // Code points, not UTF-16 units: MySQL counts characters, and a cut must not split a surrogate pair.
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return chars.slice(0, max - MARKER.length).join('') + MARKER;
}
