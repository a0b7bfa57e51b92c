import { describe, expect, it } from 'vitest';
import type { ScheduleInput } from '../../src/shared/schemas';
import { nextOccurrence, occurrencesBetween, previewSchedule } from '../../src/main/engine/schedule';

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());
const isos = (ds: Date[]): string[] => ds.map((d) => d.toISOString());

describe('interval schedules', () => {
  it('run in absolute time across DST: exact 1h spacing in UTC through the Berlin spring-forward night', () => {
    const schedule: ScheduleInput = { type: 'interval', everyMs: 3_600_000, startAt: '2026-03-28T23:00:00Z' };
    const p = previewSchedule({ schedule, from: '2026-03-28T22:00:00Z', count: 5 });
    expect(p.occurrences.map((o) => o.utc)).toEqual([
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T02:00:00.000Z',
      '2026-03-29T03:00:00.000Z',
    ]);
    expect(p.occurrences.every((o) => o.dst === null)).toBe(true);
    expect(p.timezone).toBeNull();
  });

  it('run in absolute time through the New York fall-back night', () => {
    const schedule: ScheduleInput = { type: 'interval', everyMs: 3_600_000 };
    const anchor = new Date('2026-11-01T04:00:00Z');
    expect(isos(occurrencesBetween(schedule, anchor, new Date('2026-11-01T08:00:00Z'), anchor, 100))).toEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
      '2026-11-01T08:00:00.000Z',
    ]);
  });

  it('are anchored at the creation time when there is no startAt, keeping its milliseconds', () => {
    const schedule: ScheduleInput = { type: 'interval', everyMs: 60_000 };
    const anchor = new Date('2026-01-01T10:00:00.123Z');
    expect(iso(nextOccurrence(schedule, anchor, anchor))).toBe('2026-01-01T10:01:00.123Z');
    expect(iso(nextOccurrence(schedule, new Date('2026-01-01T10:05:30Z'), anchor))).toBe('2026-01-01T10:06:00.123Z');
    expect(iso(nextOccurrence(schedule, new Date('2026-01-01T10:06:00.123Z'), anchor))).toBe(
      '2026-01-01T10:07:00.123Z',
    );
  });

  it('do not run at the creation time itself, even when asked from before it', () => {
    const schedule: ScheduleInput = { type: 'interval', everyMs: 60_000 };
    const anchor = new Date('2026-01-01T10:00:00Z');
    expect(iso(nextOccurrence(schedule, new Date('2026-01-01T09:00:00Z'), anchor))).toBe('2026-01-01T10:01:00.000Z');
  });

  it('are anchored at startAt when given, which is itself the first run', () => {
    const schedule: ScheduleInput = { type: 'interval', everyMs: 90_000, startAt: '2026-01-01T12:00:00Z' };
    const anchor = new Date('2025-12-31T00:00:07Z');
    expect(iso(nextOccurrence(schedule, new Date('2026-01-01T00:00:00Z'), anchor))).toBe('2026-01-01T12:00:00.000Z');
    expect(iso(nextOccurrence(schedule, new Date('2026-01-01T12:00:00Z'), anchor))).toBe('2026-01-01T12:01:30.000Z');
  });

  it('stop after endAt (inclusive)', () => {
    const schedule: ScheduleInput = {
      type: 'interval',
      everyMs: 600_000,
      startAt: '2026-01-01T00:00:00Z',
      endAt: '2026-01-01T00:30:00Z',
    };
    const p = previewSchedule({ schedule, from: '2025-12-31T00:00:00Z', count: 10 });
    expect(p.occurrences.map((o) => o.utc)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:10:00.000Z',
      '2026-01-01T00:20:00.000Z',
      '2026-01-01T00:30:00.000Z',
    ]);
    expect(nextOccurrence(schedule, new Date('2026-01-01T00:30:00Z'))).toBeNull();
  });
});

describe('once schedules', () => {
  const anchor = new Date('2026-05-01T10:00:00Z');

  it('run at `at` if it is still ahead', () => {
    const schedule: ScheduleInput = { type: 'once', at: '2026-05-01T12:00:00+02:00' };
    expect(iso(nextOccurrence(schedule, new Date('2026-05-01T09:00:00Z'), anchor))).toBe('2026-05-01T10:00:00.000Z');
    expect(nextOccurrence(schedule, new Date('2026-05-01T10:00:00Z'), anchor)).toBeNull();
  });

  it('run delayMs after the anchor', () => {
    const schedule: ScheduleInput = { type: 'once', delayMs: 5_000 };
    expect(iso(nextOccurrence(schedule, anchor, anchor))).toBe('2026-05-01T10:00:05.000Z');
    expect(nextOccurrence(schedule, new Date('2026-05-01T10:00:05Z'), anchor)).toBeNull();
  });

  it('run at the anchor ("now") when neither at nor delayMs is given', () => {
    const schedule: ScheduleInput = { type: 'once' };
    expect(iso(nextOccurrence(schedule, new Date(anchor.getTime() - 1), anchor))).toBe('2026-05-01T10:00:00.000Z');
    expect(nextOccurrence(schedule, anchor, anchor)).toBeNull();
    const p = previewSchedule({ schedule, count: 5 }, anchor);
    expect(p.occurrences.map((o) => o.utc)).toEqual(['2026-05-01T10:00:00.000Z']);
    expect(p.description).toBe('Once at 2026-05-01T10:00:00.000Z');
  });

  it('preview a delayed run relative to `from`, and nothing for a time already past', () => {
    expect(
      previewSchedule({
        schedule: { type: 'once', delayMs: 60_000 },
        from: '2026-05-01T10:00:00Z',
        count: 5,
      }).occurrences.map((o) => o.utc),
    ).toEqual(['2026-05-01T10:01:00.000Z']);
    expect(
      previewSchedule({
        schedule: { type: 'once', at: '2026-04-01T00:00:00Z' },
        from: '2026-05-01T10:00:00Z',
        count: 5,
      }).occurrences,
    ).toEqual([]);
  });
});

describe('cron schedules', () => {
  it('respect startAt (inclusive) and endAt (inclusive)', () => {
    const schedule: ScheduleInput = {
      type: 'cron',
      expr: '0 * * * *',
      timezone: 'UTC',
      startAt: '2026-01-01T05:00:00Z',
      endAt: '2026-01-01T07:00:00Z',
    };
    const p = previewSchedule({ schedule, from: '2026-01-01T00:00:00Z', count: 10 });
    expect(p.occurrences.map((o) => o.utc)).toEqual([
      '2026-01-01T05:00:00.000Z',
      '2026-01-01T06:00:00.000Z',
      '2026-01-01T07:00:00.000Z',
    ]);
    expect(nextOccurrence(schedule, new Date('2026-01-01T07:00:00Z'))).toBeNull();
    expect(nextOccurrence(schedule, new Date('2027-01-01T00:00:00Z'))).toBeNull();
  });

  it('run at seconds resolution with 6 fields', () => {
    const p = previewSchedule({
      schedule: { type: 'cron', expr: '*/10 * * * * *', timezone: 'UTC' },
      from: '2026-01-01T00:00:05.500Z',
      count: 3,
    });
    expect(p.occurrences.map((o) => o.utc)).toEqual([
      '2026-01-01T00:00:10.000Z',
      '2026-01-01T00:00:20.000Z',
      '2026-01-01T00:00:30.000Z',
    ]);
  });

  it('use the machine zone when none is given', () => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const p = previewSchedule({
      schedule: { type: 'cron', expr: '0 12 * * *' },
      from: '2026-01-01T00:00:00Z',
      count: 1,
    });
    expect(p.timezone).toBe(zone);
    expect(p.occurrences[0]?.local.slice(11, 19)).toBe('12:00:00');
  });

  it('that never fire give null and an empty preview, promptly', () => {
    const started = Date.now();
    for (const expr of ['0 0 30 2 *', '0 0 31 4 *', '0 0 0 1 1 * 2020']) {
      const schedule: ScheduleInput = { type: 'cron', expr, timezone: 'Europe/Berlin' };
      expect(nextOccurrence(schedule, new Date('2026-01-01T00:00:00Z'))).toBeNull();
      expect(previewSchedule({ schedule, from: '2026-01-01T00:00:00Z', count: 100 }).occurrences).toEqual([]);
      expect(
        occurrencesBetween(
          schedule,
          new Date('2026-01-01T00:00:00Z'),
          new Date('2036-01-01T00:00:00Z'),
          new Date(0),
          100,
        ),
      ).toEqual([]);
    }
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('find rare dates (29 February)', () => {
    expect(
      iso(nextOccurrence({ type: 'cron', expr: '0 0 29 2 *', timezone: 'UTC' }, new Date('2026-01-01T00:00:00Z'))),
    ).toBe('2028-02-29T00:00:00.000Z');
  });
});

describe('occurrencesBetween', () => {
  const hourly: ScheduleInput = { type: 'cron', expr: '0 * * * *', timezone: 'UTC' };
  const from = new Date('2026-01-01T00:00:00Z');
  const to = new Date('2026-01-01T10:00:00Z');

  it('is oldest first, excludes `from`, includes `to`', () => {
    const all = isos(occurrencesBetween(hourly, from, to, from, 100));
    expect(all).toHaveLength(10);
    expect(all[0]).toBe('2026-01-01T01:00:00.000Z');
    expect(all[9]).toBe('2026-01-01T10:00:00.000Z');
    expect([...all].sort()).toEqual(all);
  });

  it('stops at the limit, keeping the oldest', () => {
    expect(isos(occurrencesBetween(hourly, from, to, from, 3))).toEqual([
      '2026-01-01T01:00:00.000Z',
      '2026-01-01T02:00:00.000Z',
      '2026-01-01T03:00:00.000Z',
    ]);
    expect(occurrencesBetween(hourly, from, to, from, 0)).toEqual([]);
  });

  it('is empty when the window is empty', () => {
    expect(occurrencesBetween(hourly, to, from, from, 100)).toEqual([]);
    expect(occurrencesBetween(hourly, from, new Date('2026-01-01T00:59:59Z'), from, 100)).toEqual([]);
  });

  it('never repeats an instant across fall back (Berlin hourly) and spring forward (Berlin */30)', () => {
    expect(
      isos(
        occurrencesBetween(
          { type: 'cron', expr: '0 * * * *', timezone: 'Europe/Berlin' },
          new Date('2026-10-24T22:00:00Z'),
          new Date('2026-10-25T04:00:00Z'),
          from,
          100,
        ),
      ),
    ).toEqual([
      '2026-10-24T23:00:00.000Z',
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T03:00:00.000Z',
      '2026-10-25T04:00:00.000Z',
    ]);
    expect(
      isos(
        occurrencesBetween(
          { type: 'cron', expr: '*/30 * * * *', timezone: 'Europe/Berlin' },
          new Date('2026-03-29T00:00:00Z'),
          new Date('2026-03-29T02:00:00Z'),
          from,
          100,
        ),
      ),
    ).toEqual([
      '2026-03-29T00:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-03-29T02:00:00.000Z',
    ]);
  });

  it('counts interval runs from the anchor', () => {
    const anchor = new Date('2026-01-01T00:00:00.250Z');
    expect(isos(occurrencesBetween({ type: 'interval', everyMs: 4 * 3_600_000 }, from, to, anchor, 100))).toEqual([
      '2026-01-01T04:00:00.250Z',
      '2026-01-01T08:00:00.250Z',
    ]);
  });

  it('gives a once run at most once', () => {
    const schedule: ScheduleInput = { type: 'once', at: '2026-01-01T05:00:00Z' };
    expect(isos(occurrencesBetween(schedule, from, to, from, 100))).toEqual(['2026-01-01T05:00:00.000Z']);
  });
});
