import { describe, expect, it } from 'vitest';
import { previewSchedule } from '../../src/main/engine/schedule';

/** schedule.preview names the wall time a DST-moved run was meant for, so the UI can explain the move. */
describe('schedule.preview: the nominal wall time of DST-affected runs', () => {
  it('a run in the spring gap keeps the 02:30 it was asked for, beside the 03:00 it runs at', () => {
    const p = previewSchedule({
      schedule: { type: 'cron', expr: '30 2 * * *', timezone: 'Europe/Berlin' },
      from: '2026-03-28T12:00:00Z',
      count: 2,
    });
    expect(p.occurrences.map((o) => [o.local, o.dst, o.nominal])).toEqual([
      ['2026-03-29T03:00:00+02:00', 'gap-shifted', '2026-03-29T02:30:00'],
      ['2026-03-30T02:30:00+02:00', null, null],
    ]);
  });

  it('a run in the repeated autumn hour names its wall time too (it runs at the first of the two)', () => {
    const p = previewSchedule({
      schedule: { type: 'cron', expr: '30 2 * * *', timezone: 'Europe/Berlin' },
      from: '2026-10-24T12:00:00Z',
      count: 1,
    });
    expect(p.occurrences[0]).toMatchObject({
      utc: '2026-10-25T00:30:00.000Z',
      dst: 'overlap-first',
      nominal: '2026-10-25T02:30:00',
    });
  });

  it('interval and once runs are never DST-moved: nominal stays null', () => {
    const p = previewSchedule({
      schedule: { type: 'interval', everyMs: 60_000 },
      from: '2026-03-29T00:00:00Z',
      count: 3,
    });
    expect(p.occurrences.every((o) => o.dst === null && o.nominal === null)).toBe(true);
  });
});
