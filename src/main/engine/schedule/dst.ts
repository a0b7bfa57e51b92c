/**
 * The product's DST rules, applied to wall times produced by the cron matcher. Croner's own zone
 * handling is not used because it breaks these rules (see docs/scheduling.md).
 */
import type { Occurrence } from '../../../shared/types';
import { offsetAt, wallOf } from './zone';

/**
 * The first instant in (lo, hi] whose offset is offsetAt(hi), given that the offset at lo differs.
 * Transitions fall on whole seconds, so a binary search over seconds is exact.
 */
export function findTransition(zone: string, lo: number, hi: number): number {
  const target = offsetAt(zone, hi);
  let a = Math.floor(lo / 1000); // offset here is not the target
  let b = Math.ceil(hi / 1000); // offset here is the target
  if (offsetAt(zone, a * 1000) === target) return lo + 1;
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (offsetAt(zone, mid * 1000) === target) b = mid;
    else a = mid;
  }
  return Math.max(b * 1000, lo + 1);
}

export type DstFlag = Occurrence['dst'];

export interface ResolvedWall {
  at: number;
  dst: DstFlag;
  /** The wall time that was asked for (fake-UTC ms): what a gap-shifted run was meant to read. */
  wall: number;
}

const DAY_MS = 86_400_000;

/**
 * Maps a wall time in `zone` to the instant it runs at, by the product's DST rules: a wall time that
 * exists twice runs at its first instant; one that does not exist runs at the first instant after
 * the gap. The mapping is monotone (never decreasing as the wall time grows), which is what lets the
 * callers search for "the first occurrence after X" by walking wall times forward.
 */
export function resolveWall(zone: string, wall: number): ResolvedWall {
  // Offsets a day either side bracket any single transition near this wall time.
  const before = offsetAt(zone, wall - DAY_MS);
  const after = offsetAt(zone, wall + DAY_MS);
  const here = offsetAt(zone, wall);
  const candidates = [...new Set([before, here, after])]
    .map((o) => wall - o)
    .filter((t) => wallOf(zone, t) === wall)
    .sort((x, y) => x - y);
  const first = candidates[0];
  if (first !== undefined) {
    return { at: first, dst: candidates.length > 1 ? 'overlap-first' : null, wall };
  }
  // No instant shows this wall time: it sits in a spring-forward gap. The gap's end is the
  // transition instant, which lies between the two readings of the wall time.
  const lo = wall - Math.max(before, after);
  const hi = wall - Math.min(before, after);
  return { at: findTransition(zone, lo, hi), dst: 'gap-shifted', wall };
}
