import type { UpcomingRun } from '../../../../shared/types';

/** Pure formatting and grouping for the dashboard's cards; unit-tested on their own. */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1536 → "1.5 KB": binary multiples, one decimal under 10, none above. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** A span of time in its largest two units: "45 s", "3 min 20 s", "2 h 5 min", "3 d 4 h". */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

/** A latency as people read it: "0.4 ms", "12 ms", "1.2 s". */
export function formatLatency(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Runs that fall in the same minute, in time order. */
export interface MinuteGroup {
  /** The minute's start, epoch ms. */
  minute: number;
  runs: UpcomingRun[];
  /** True when runs of two or more different tasks start in this minute: they compete for workers. */
  clash: boolean;
}

/** Groups runs (soonest first, as tasks.upcoming returns them) by the minute they start in. */
export function groupByMinute(runs: readonly UpcomingRun[]): MinuteGroup[] {
  const groups = new Map<number, MinuteGroup>();
  for (const run of runs) {
    const minute = Math.floor(Date.parse(run.at) / 60_000) * 60_000;
    let group = groups.get(minute);
    if (group === undefined) {
      group = { minute, runs: [], clash: false };
      groups.set(minute, group);
    }
    group.runs.push(run);
  }
  const out = [...groups.values()].sort((a, b) => a.minute - b.minute);
  for (const g of out) g.clash = new Set(g.runs.map((r) => r.taskId)).size > 1;
  return out;
}

/** Memory used as a share of the limit, 0..1, or null without a limit. */
export function memoryShare(used: number | null, max: number | null): number | null {
  if (used === null || max === null || max <= 0) return null;
  return Math.min(1, used / max);
}

/** The minimum and maximum of the latencies that were measured (failed probes are null). */
export function latencyRange(values: readonly (number | null)[]): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v === null) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return min === Infinity ? null : { min, max };
}
