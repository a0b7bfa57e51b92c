/** How the Queues view says a span of time: short, and precise only where it matters. */

/** 850 → "0.9 s", 12_300 → "12 s", 75_000 → "1 min 15 s", 3_720_000 → "1 h 2 min". */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 10_000) return `${(Math.round(abs / 100) / 10).toFixed(1)} s`;
  const s = Math.round(abs / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  return `${Math.round(h / 24)} d`;
}

/** A waiting job's countdown to its due time. */
export function countdown(dueMs: number, nowMs: number): string {
  const left = dueMs - nowMs;
  // Under 50 ms would read "in 0.0 s".
  return left < 50 ? 'due now' : `in ${formatDuration(left)}`;
}

/** A ready job's expected start; null when nothing is known to estimate it from. */
export function etaText(etaMs: number | null): string | null {
  if (etaMs === null) return null;
  return etaMs < 500 ? 'next' : `in ~${formatDuration(etaMs)}`;
}

/** A running job's expected time left. */
export function remainingText(leftMs: number): string {
  return leftMs >= 0 ? `~${formatDuration(leftMs)} left` : `${formatDuration(leftMs)} over its median`;
}
