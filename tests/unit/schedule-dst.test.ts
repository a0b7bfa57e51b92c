import { describe, expect, it } from 'vitest';
import type { ScheduleInput } from '../../src/shared/schemas';
import { nextOccurrence, occurrencesBetween, previewSchedule } from '../../src/main/engine/schedule';

function cron(expr: string, timezone: string): ScheduleInput {
  return { type: 'cron', expr, timezone };
}

/** [utc, local, dst] triples: the whole of each occurrence, so a wrong offset or flag shows too. */
function preview(expr: string, timezone: string, from: string, count: number): [string, string, string | null][] {
  return previewSchedule({ schedule: cron(expr, timezone), from, count }).occurrences.map((o) => [
    o.utc,
    o.local,
    o.dst,
  ]);
}

describe('Europe/Berlin spring forward (2026-03-29, 02:00 → 03:00)', () => {
  it('runs a daily 02:30 once, at 03:00 local, the first instant after the gap', () => {
    expect(preview('30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 3)).toEqual([
      ['2026-03-29T01:00:00.000Z', '2026-03-29T03:00:00+02:00', 'gap-shifted'],
      ['2026-03-30T00:30:00.000Z', '2026-03-30T02:30:00+02:00', null],
      ['2026-03-31T00:30:00.000Z', '2026-03-31T02:30:00+02:00', null],
    ]);
  });

  it('runs an hourly :30 at 01:30, 03:00 (for the missing 02:30), 03:30', () => {
    expect(preview('30 * * * *', 'Europe/Berlin', '2026-03-28T23:00:00Z', 5)).toEqual([
      ['2026-03-28T23:30:00.000Z', '2026-03-29T00:30:00+01:00', null],
      ['2026-03-29T00:30:00.000Z', '2026-03-29T01:30:00+01:00', null],
      ['2026-03-29T01:00:00.000Z', '2026-03-29T03:00:00+02:00', 'gap-shifted'],
      ['2026-03-29T01:30:00.000Z', '2026-03-29T03:30:00+02:00', null],
      ['2026-03-29T02:30:00.000Z', '2026-03-29T04:30:00+02:00', null],
    ]);
  });

  it('merges every missing wall time and a real 03:00 into one run (*/15)', () => {
    expect(preview('*/15 * * * *', 'Europe/Berlin', '2026-03-29T00:40:00Z', 4)).toEqual([
      ['2026-03-29T00:45:00.000Z', '2026-03-29T01:45:00+01:00', null],
      ['2026-03-29T01:00:00.000Z', '2026-03-29T03:00:00+02:00', 'gap-shifted'],
      ['2026-03-29T01:15:00.000Z', '2026-03-29T03:15:00+02:00', null],
      ['2026-03-29T01:30:00.000Z', '2026-03-29T03:30:00+02:00', null],
    ]);
  });

  it('handles a 6-field expression, dropping the seconds of a missing wall time', () => {
    expect(preview('0 30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 2)).toEqual([
      ['2026-03-29T01:00:00.000Z', '2026-03-29T03:00:00+02:00', 'gap-shifted'],
      ['2026-03-30T00:30:00.000Z', '2026-03-30T02:30:00+02:00', null],
    ]);
    expect(preview('15 30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 2)).toEqual([
      ['2026-03-29T01:00:00.000Z', '2026-03-29T03:00:00+02:00', 'gap-shifted'],
      ['2026-03-30T00:30:15.000Z', '2026-03-30T02:30:15+02:00', null],
    ]);
  });
});

describe('Europe/Berlin fall back (2026-10-25, 03:00 → 02:00)', () => {
  it('runs a daily 02:30 once, at the first 02:30 (+02:00)', () => {
    expect(preview('30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z', 3)).toEqual([
      ['2026-10-25T00:30:00.000Z', '2026-10-25T02:30:00+02:00', 'overlap-first'],
      ['2026-10-26T01:30:00.000Z', '2026-10-26T02:30:00+01:00', null],
      ['2026-10-27T01:30:00.000Z', '2026-10-27T02:30:00+01:00', null],
    ]);
  });

  it('runs an hourly :30 once in the repeated hour, leaving two hours to the next run', () => {
    expect(preview('30 * * * *', 'Europe/Berlin', '2026-10-24T23:00:00Z', 4)).toEqual([
      ['2026-10-24T23:30:00.000Z', '2026-10-25T01:30:00+02:00', null],
      ['2026-10-25T00:30:00.000Z', '2026-10-25T02:30:00+02:00', 'overlap-first'],
      ['2026-10-25T02:30:00.000Z', '2026-10-25T03:30:00+01:00', null],
      ['2026-10-25T03:30:00.000Z', '2026-10-25T04:30:00+01:00', null],
    ]);
  });

  it('from inside the second pass of the repeated hour, never returns a time in the past', () => {
    // 01:10Z is 02:10 +01:00; 02:30 already ran at 00:30Z, so the next run is 03:30 +01:00.
    expect(nextOccurrence(cron('30 * * * *', 'Europe/Berlin'), new Date('2026-10-25T01:10:00Z'))?.toISOString()).toBe(
      '2026-10-25T02:30:00.000Z',
    );
    expect(preview('0 0 3 * * *', 'Europe/Berlin', '2026-10-25T01:59:59Z', 1)).toEqual([
      ['2026-10-25T02:00:00.000Z', '2026-10-25T03:00:00+01:00', null],
    ]);
  });

  it('handles a seconds-resolution expression across the repeated hour', () => {
    expect(preview('*/20 * * * * *', 'Europe/Berlin', '2026-10-25T00:59:30Z', 3)).toEqual([
      ['2026-10-25T00:59:40.000Z', '2026-10-25T02:59:40+02:00', 'overlap-first'],
      ['2026-10-25T02:00:00.000Z', '2026-10-25T03:00:00+01:00', null],
      ['2026-10-25T02:00:20.000Z', '2026-10-25T03:00:20+01:00', null],
    ]);
  });
});

describe('America/New_York spring forward (2026-03-08, 02:00 → 03:00)', () => {
  it('runs a daily 02:30 at 03:00 EDT', () => {
    expect(preview('30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', 2)).toEqual([
      ['2026-03-08T07:00:00.000Z', '2026-03-08T03:00:00-04:00', 'gap-shifted'],
      ['2026-03-09T06:30:00.000Z', '2026-03-09T02:30:00-04:00', null],
    ]);
  });

  it('runs an hourly :30 at 01:30 EST, 03:00 EDT, 03:30 EDT', () => {
    expect(preview('30 * * * *', 'America/New_York', '2026-03-08T06:00:00Z', 3)).toEqual([
      ['2026-03-08T06:30:00.000Z', '2026-03-08T01:30:00-05:00', null],
      ['2026-03-08T07:00:00.000Z', '2026-03-08T03:00:00-04:00', 'gap-shifted'],
      ['2026-03-08T07:30:00.000Z', '2026-03-08T03:30:00-04:00', null],
    ]);
  });
});

describe('America/New_York fall back (2026-11-01, 02:00 → 01:00)', () => {
  it('runs a daily 01:30 once, at 01:30 EDT', () => {
    expect(preview('30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 2)).toEqual([
      ['2026-11-01T05:30:00.000Z', '2026-11-01T01:30:00-04:00', 'overlap-first'],
      ['2026-11-02T06:30:00.000Z', '2026-11-02T01:30:00-05:00', null],
    ]);
  });

  it('runs an hourly :30 once in the repeated 01:00 hour', () => {
    expect(preview('30 * * * *', 'America/New_York', '2026-11-01T04:00:00Z', 3)).toEqual([
      ['2026-11-01T04:30:00.000Z', '2026-11-01T00:30:00-04:00', null],
      ['2026-11-01T05:30:00.000Z', '2026-11-01T01:30:00-04:00', 'overlap-first'],
      ['2026-11-01T07:30:00.000Z', '2026-11-01T02:30:00-05:00', null],
    ]);
  });

  it('handles a 6-field expression in the repeated hour', () => {
    expect(preview('30 30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 2)).toEqual([
      ['2026-11-01T05:30:30.000Z', '2026-11-01T01:30:30-04:00', 'overlap-first'],
      ['2026-11-02T06:30:30.000Z', '2026-11-02T01:30:30-05:00', null],
    ]);
  });
});

describe('other zones', () => {
  it('shifts into the end of a 30-minute gap (Australia/Lord_Howe, 2026-10-04 02:00 → 02:30)', () => {
    expect(preview('15 2 * * *', 'Australia/Lord_Howe', '2026-10-03T00:00:00Z', 2)).toEqual([
      ['2026-10-03T15:30:00.000Z', '2026-10-04T02:30:00+11:00', 'gap-shifted'],
      ['2026-10-04T15:15:00.000Z', '2026-10-05T02:15:00+11:00', null],
    ]);
  });

  it('formats half-hour offsets', () => {
    expect(preview('0 9 * * *', 'Asia/Kolkata', '2026-01-01T00:00:00Z', 1)).toEqual([
      ['2026-01-01T03:30:00.000Z', '2026-01-01T09:00:00+05:30', null],
    ]);
  });
});

describe('invariants across transitions', () => {
  const cases: [string, string, string][] = [
    ['*/7 * * * *', 'Europe/Berlin', '2026-03-28T22:00:00Z'],
    ['*/7 * * * *', 'Europe/Berlin', '2026-10-24T22:00:00Z'],
    ['13,47 * * * *', 'America/New_York', '2026-03-08T04:00:00Z'],
    ['13,47 * * * *', 'America/New_York', '2026-11-01T03:00:00Z'],
  ];
  it.each(cases)(
    '%s in %s: strictly increasing, and next(after) agrees with the list for every minute',
    (expr, zone, start) => {
      const schedule = cron(expr, zone);
      const from = new Date(start);
      const to = new Date(from.getTime() + 6 * 3_600_000);
      const list = occurrencesBetween(schedule, from, to, from, 1000).map((d) => d.getTime());
      for (let i = 1; i < list.length; i++) expect(list[i]).toBeGreaterThan(list[i - 1] as number);
      for (let t = from.getTime(); t < to.getTime() - 3_600_000; t += 60_000 + 7_000) {
        const expected = list.find((x) => x > t);
        expect(nextOccurrence(schedule, new Date(t))?.getTime()).toBe(expected);
      }
    },
  );
});
