import { describe, expect, it } from 'vitest';
import type { ScheduleInput } from '../../src/shared/schemas';
import { latestAtOrBefore, planCatchUp, windowEnd, type CatchUpInput } from '../../src/main/engine/schedule';

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());
const isos = (ds: Date[]): string[] => ds.map((d) => d.toISOString());
const at = (s: string): Date => new Date(s);

const everyMinute: ScheduleInput = { type: 'interval', everyMs: 60_000 };
const anchor = at('2026-05-01T10:00:00Z');

function plan(policy: CatchUpInput['policy'], now: string, extra: Partial<CatchUpInput> = {}) {
  return planCatchUp({
    schedule: everyMinute,
    anchor,
    fromExclusive: at('2026-05-01T10:01:00Z'),
    now: at(now),
    policy,
    runningNow: false,
    ...extra,
  });
}

describe('the window of an occurrence', () => {
  it('closes when the next occurrence comes due, or after 60 s, whichever is first', () => {
    expect(iso(windowEnd({ type: 'interval', everyMs: 1_000 }, at('2026-05-01T10:00:01Z'), anchor))).toBe(
      '2026-05-01T10:00:02.000Z',
    );
    expect(iso(windowEnd({ type: 'interval', everyMs: 3_600_000 }, at('2026-05-01T11:00:00Z'), anchor))).toBe(
      '2026-05-01T11:01:00.000Z',
    );
    expect(
      iso(
        windowEnd({ type: 'cron', expr: '0 9 * * *', timezone: 'Europe/Berlin' }, at('2026-05-01T07:00:00Z'), anchor),
      ),
    ).toBe('2026-05-01T07:01:00.000Z');
  });
});

describe('latestAtOrBefore', () => {
  it('finds the last occurrence up to now, and null when there is none after `from`', () => {
    expect(iso(latestAtOrBefore(everyMinute, anchor, at('2026-05-01T10:05:30Z'), anchor))).toBe(
      '2026-05-01T10:05:00.000Z',
    );
    expect(iso(latestAtOrBefore(everyMinute, anchor, at('2026-05-01T10:05:00Z'), anchor))).toBe(
      '2026-05-01T10:05:00.000Z',
    );
    expect(latestAtOrBefore(everyMinute, at('2026-05-01T10:05:00Z'), at('2026-05-01T10:05:59Z'), anchor)).toBeNull();
  });

  it('takes a few dozen steps for a year of per-second cron runs, through DST', () => {
    const schedule: ScheduleInput = { type: 'cron', expr: '*/1 * * * * *', timezone: 'Europe/Berlin' };
    const t0 = performance.now();
    expect(iso(latestAtOrBefore(schedule, at('2026-01-01T00:00:00Z'), at('2026-12-31T12:34:56.789Z'), anchor))).toBe(
      '2026-12-31T12:34:56.000Z',
    );
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});

describe('catch-up plans (missed 10:02 … 10:05, now 10:05:30, next 10:06)', () => {
  it('skip: the missed ones are recorded as skipped; the latest, still in its window, runs as usual', () => {
    const p = plan('skip', '2026-05-01T10:05:30Z');
    expect(isos(p.skipped)).toEqual([
      '2026-05-01T10:02:00.000Z',
      '2026-05-01T10:03:00.000Z',
      '2026-05-01T10:04:00.000Z',
    ]);
    expect(iso(p.current)).toBe('2026-05-01T10:05:00.000Z');
    expect(p.runs).toEqual([]);
    expect(iso(p.next)).toBe('2026-05-01T10:06:00.000Z');
    expect(p.missed).toBe(4);
  });

  it('skip: once the latest is out of its window too, every one is skipped', () => {
    const hourly: ScheduleInput = { type: 'interval', everyMs: 3_600_000 };
    const p = planCatchUp({
      schedule: hourly,
      anchor,
      fromExclusive: anchor,
      now: at('2026-05-01T13:01:00.001Z'),
      policy: 'skip',
      runningNow: false,
    });
    expect(isos(p.skipped)).toEqual([
      '2026-05-01T11:00:00.000Z',
      '2026-05-01T12:00:00.000Z',
      '2026-05-01T13:00:00.000Z',
    ]);
    expect(p.current).toBeNull();
    expect(iso(p.next)).toBe('2026-05-01T14:00:00.000Z');
  });

  it('once: one run for the latest missed occurrence; none when a run starts now anyway', () => {
    const p = plan('once', '2026-05-01T10:05:30Z');
    expect(isos(p.runs)).toEqual(['2026-05-01T10:05:00.000Z']);
    expect(p.skipped).toEqual([]);
    expect(iso(p.next)).toBe('2026-05-01T10:06:00.000Z');
    expect(plan('once', '2026-05-01T10:05:30Z', { runningNow: true }).runs).toEqual([]);
  });

  it('all: each missed occurrence, oldest first', () => {
    expect(isos(plan('all', '2026-05-01T10:05:30Z').runs)).toEqual([
      '2026-05-01T10:02:00.000Z',
      '2026-05-01T10:03:00.000Z',
      '2026-05-01T10:04:00.000Z',
      '2026-05-01T10:05:00.000Z',
    ]);
  });

  it('nothing missed: just the next occurrence', () => {
    const p = plan('all', '2026-05-01T10:01:30Z');
    expect(p.runs).toEqual([]);
    expect(p.missed).toBe(0);
    expect(iso(p.next)).toBe('2026-05-01T10:02:00.000Z');
  });

  it('caps at the oldest 100 rows, and still finds the latest and the next without walking them all', () => {
    const perSecond: ScheduleInput = { type: 'interval', everyMs: 1_000 };
    const now = at('2026-05-02T10:00:00.500Z');
    const all = planCatchUp({
      schedule: perSecond,
      anchor,
      fromExclusive: anchor,
      now,
      policy: 'all',
      runningNow: false,
    });
    expect(all.runs).toHaveLength(100);
    expect(iso(all.runs[0]!)).toBe('2026-05-01T10:00:01.000Z');
    expect(iso(all.runs[99]!)).toBe('2026-05-01T10:01:40.000Z');
    expect(all.more).toBe(true);
    expect(iso(all.latest)).toBe('2026-05-02T10:00:00.000Z');
    expect(iso(all.next)).toBe('2026-05-02T10:00:01.000Z');
    const once = planCatchUp({
      schedule: perSecond,
      anchor,
      fromExclusive: anchor,
      now,
      policy: 'once',
      runningNow: false,
    });
    expect(isos(once.runs)).toEqual(['2026-05-02T10:00:00.000Z']);
    const skip = planCatchUp({
      schedule: perSecond,
      anchor,
      fromExclusive: anchor,
      now,
      policy: 'skip',
      runningNow: false,
    });
    expect(skip.skipped).toHaveLength(100);
    expect(iso(skip.current)).toBe('2026-05-02T10:00:00.000Z');
  });

  it('a schedule that ended has no next occurrence', () => {
    const bounded: ScheduleInput = { type: 'interval', everyMs: 60_000, endAt: '2026-05-01T10:03:00Z' };
    const p = planCatchUp({
      schedule: bounded,
      anchor,
      fromExclusive: at('2026-05-01T10:01:00Z'),
      now: at('2026-05-01T10:30:00Z'),
      policy: 'all',
      runningNow: false,
    });
    expect(isos(p.runs)).toEqual(['2026-05-01T10:02:00.000Z', '2026-05-01T10:03:00.000Z']);
    expect(p.next).toBeNull();
  });
});
