/** The two ways a line's time is shown: the clock, or the time since its attempt began. */
export type TimeMode = 'clock' | 'elapsed';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `14:03:07.250`, in the viewer's local time zone as the rest of the page shows times. */
export function clockTime(atMs: number): string {
  const d = new Date(atMs);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** `+1.250s`, `+2:03.500`, `+1:02:03.000` from the start of the attempt. */
export function elapsedTime(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const millis = pad(total % 1000, 3);
  const seconds = Math.floor(total / 1000);
  if (seconds < 60) return `+${seconds}.${millis}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `+${minutes}:${pad(seconds % 60)}.${millis}`;
  return `+${Math.floor(minutes / 60)}:${pad(minutes % 60)}:${pad(seconds % 60)}.${millis}`;
}

export function lineTime(mode: TimeMode, at: string, attemptStartMs: number | undefined): string {
  const atMs = Date.parse(at);
  if (Number.isNaN(atMs)) return '';
  return mode === 'clock' ? clockTime(atMs) : elapsedTime(atMs - (attemptStartMs ?? atMs));
}
