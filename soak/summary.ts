import type { CheckStats, Violation } from './checks';

export interface Summary extends CheckStats {
  seed: number;
  minutes: number;
  faults: Record<string, number>;
  /** The engine's own system events by kind (redis.rebuilt, journal.replayed, clock.jumped, …): the faults took effect. */
  engineEvents: Record<string, number>;
  violations: number;
  secretsScannedBytes: number;
  runDir: string;
}

/** The one machine-readable line (`SOAK {...}`), then the same in words. */
export function summaryLines(s: Summary): [string, string] {
  const faults = Object.entries(s.faults)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const total = Object.values(s.faults).reduce((a, b) => a + b, 0);
  const human =
    `soak seed ${s.seed}, ${s.minutes} min: ${s.jobs} jobs, ${s.occurrences} occurrences due, ` +
    `${total} faults (${faults || 'none'}); lost ${s.lost}, duplicated ${s.duplicated}, stuck ${s.stuck}, ` +
    `overlaps ${s.overlaps}, at-least-once reruns ${s.atLeastOnce} (side by side after a SIGKILL ${s.sideBySide}); p99 start lateness outside fault windows ` +
    `${s.lateP99Ms === null ? 'n/a' : `${s.lateP99Ms} ms`} (${s.lateSamples} starts); ` +
    `${s.violations === 0 ? 'PASS' : `FAIL: ${s.violations} violation(s)`} (run folder ${s.runDir})`;
  return [`SOAK ${JSON.stringify(s)}`, human];
}

export function violationLines(violations: Violation[]): string[] {
  return violations.map((v) => `[soak] violation (${v.check}): ${v.detail}`);
}
