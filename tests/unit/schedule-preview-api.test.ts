import { describe, expect, it } from 'vitest';
import { createApiFromHandlers } from '../../src/main/api';
import { createHandlers } from '../../src/main/api/handlers';
import type { Engine } from '../../src/main/engine/engine';
import type { SchedulePreview } from '../../src/shared/types';

/**
 * DST through the API method `schedule.preview` (input validation, handler, output), from fixed
 * `from` dates. schedule.preview needs no running engine: the handler never touches it.
 */
const api = createApiFromHandlers(createHandlers({} as unknown as Engine), () => () => undefined);

async function preview(expr: string, timezone: string, from: string, count: number): Promise<SchedulePreview> {
  const res = await api.call('schedule.preview', { schedule: { type: 'cron', expr, timezone }, from, count });
  if (!res.ok) throw new Error(`${res.error.code}: ${res.error.message}`);
  return res.data as SchedulePreview;
}

const rows = (p: SchedulePreview): [string, string, string | null][] =>
  p.occurrences.map((o) => [o.utc, o.local, o.dst]);

describe('schedule.preview across DST (through the API)', () => {
  const cases: [string, string, string, string, number, [string, string, string | null][]][] = [
    [
      'Berlin spring, daily',
      '30 2 * * *',
      'Europe/Berlin',
      '2026-03-28T12:00:00Z',
      2,
      [
        ['2026-03-29T01:00:00.000Z', '2026-03-29T03:00:00+02:00', 'gap-shifted'],
        ['2026-03-30T00:30:00.000Z', '2026-03-30T02:30:00+02:00', null],
      ],
    ],
    [
      'Berlin spring, hourly',
      '30 * * * *',
      'Europe/Berlin',
      '2026-03-29T00:00:00Z',
      3,
      [
        ['2026-03-29T00:30:00.000Z', '2026-03-29T01:30:00+01:00', null],
        ['2026-03-29T01:00:00.000Z', '2026-03-29T03:00:00+02:00', 'gap-shifted'],
        ['2026-03-29T01:30:00.000Z', '2026-03-29T03:30:00+02:00', null],
      ],
    ],
    [
      'Berlin fall, daily',
      '30 2 * * *',
      'Europe/Berlin',
      '2026-10-24T12:00:00Z',
      2,
      [
        ['2026-10-25T00:30:00.000Z', '2026-10-25T02:30:00+02:00', 'overlap-first'],
        ['2026-10-26T01:30:00.000Z', '2026-10-26T02:30:00+01:00', null],
      ],
    ],
    [
      'Berlin fall, hourly',
      '30 * * * *',
      'Europe/Berlin',
      '2026-10-24T23:00:00Z',
      3,
      [
        ['2026-10-24T23:30:00.000Z', '2026-10-25T01:30:00+02:00', null],
        ['2026-10-25T00:30:00.000Z', '2026-10-25T02:30:00+02:00', 'overlap-first'],
        ['2026-10-25T02:30:00.000Z', '2026-10-25T03:30:00+01:00', null],
      ],
    ],
    [
      'New York spring, daily',
      '30 2 * * *',
      'America/New_York',
      '2026-03-07T12:00:00Z',
      2,
      [
        ['2026-03-08T07:00:00.000Z', '2026-03-08T03:00:00-04:00', 'gap-shifted'],
        ['2026-03-09T06:30:00.000Z', '2026-03-09T02:30:00-04:00', null],
      ],
    ],
    [
      'New York spring, hourly',
      '30 * * * *',
      'America/New_York',
      '2026-03-08T06:00:00Z',
      3,
      [
        ['2026-03-08T06:30:00.000Z', '2026-03-08T01:30:00-05:00', null],
        ['2026-03-08T07:00:00.000Z', '2026-03-08T03:00:00-04:00', 'gap-shifted'],
        ['2026-03-08T07:30:00.000Z', '2026-03-08T03:30:00-04:00', null],
      ],
    ],
    [
      'New York spring, 6 fields',
      '45 30 2 * * *',
      'America/New_York',
      '2026-03-07T12:00:00Z',
      2,
      [
        ['2026-03-08T07:00:00.000Z', '2026-03-08T03:00:00-04:00', 'gap-shifted'],
        ['2026-03-09T06:30:45.000Z', '2026-03-09T02:30:45-04:00', null],
      ],
    ],
    [
      'New York fall, daily',
      '30 1 * * *',
      'America/New_York',
      '2026-10-31T12:00:00Z',
      2,
      [
        ['2026-11-01T05:30:00.000Z', '2026-11-01T01:30:00-04:00', 'overlap-first'],
        ['2026-11-02T06:30:00.000Z', '2026-11-02T01:30:00-05:00', null],
      ],
    ],
    [
      'New York fall, hourly',
      '30 * * * *',
      'America/New_York',
      '2026-11-01T04:00:00Z',
      3,
      [
        ['2026-11-01T04:30:00.000Z', '2026-11-01T00:30:00-04:00', null],
        ['2026-11-01T05:30:00.000Z', '2026-11-01T01:30:00-04:00', 'overlap-first'],
        ['2026-11-01T07:30:00.000Z', '2026-11-01T02:30:00-05:00', null],
      ],
    ],
    [
      'Berlin fall, 6 fields',
      '0 30 2 * * *',
      'Europe/Berlin',
      '2026-10-24T12:00:00Z',
      2,
      [
        ['2026-10-25T00:30:00.000Z', '2026-10-25T02:30:00+02:00', 'overlap-first'],
        ['2026-10-26T01:30:00.000Z', '2026-10-26T02:30:00+01:00', null],
      ],
    ],
  ];

  it.each(cases)('%s: %s in %s', async (_name, expr, zone, from, count, expected) => {
    const p = await preview(expr, zone, from, count);
    expect(p.timezone).toBe(zone);
    expect(rows(p)).toEqual(expected);
  });

  it('describes the schedule with its zone', async () => {
    expect((await preview('30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 1)).description).toBe(
      'At 02:30, every day (Europe/Berlin)',
    );
  });

  it('says what is wrong and where for a bad expression or zone', async () => {
    const bad = await api.call('schedule.preview', {
      schedule: { type: 'cron', expr: '0 25 * * *', timezone: 'Europe/Berlin' },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(!bad.ok && bad.error.message).toContain('schedule.expr: field 2 (hour)');
    const zone = await api.call('schedule.preview', {
      schedule: { type: 'cron', expr: '0 3 * * *', timezone: 'Mars/Base' },
    });
    expect(!zone.ok && zone.error.message).toContain("schedule.timezone: unknown time zone 'Mars/Base'");
  });
});
