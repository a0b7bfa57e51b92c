/**
 * Interval runs are anchor + k·everyMs in absolute time: an interval means elapsed time, so DST,
 * which only changes clock readings, does not move them. `firstK` is 0 when the anchor is a
 * startAt the user chose (it is a run), 1 when it is the creation time (the first run comes one
 * interval later, as with setInterval).
 */
export function nextIntervalRun(everyMs: number, anchor: number, firstK: 0 | 1, after: number): number {
  const first = anchor + firstK * everyMs;
  if (after < first) return first;
  return anchor + (Math.floor((after - anchor) / everyMs) + 1) * everyMs;
}
