import { describe, expect, it } from 'vitest';
import { describeSchedule, previewSchedule } from '../../src/main/engine/schedule';

describe('schedule descriptions', () => {
  it('describes cron schedules with cronstrue and the zone', () => {
    const p = previewSchedule({
      schedule: { type: 'cron', expr: '30 2 * * *', timezone: 'Europe/Berlin' },
      from: '2026-01-01T00:00:00Z',
      count: 1,
    });
    expect(p.description).toBe('At 02:30, every day (Europe/Berlin)');
    expect(p.timezone).toBe('Europe/Berlin');
    expect(describeSchedule({ type: 'cron', expr: '0 30 2 * * *', timezone: 'UTC' })).toBe('At 02:30, every day (UTC)');
    expect(describeSchedule({ type: 'cron', expr: '0 9 * * 1-5', timezone: 'UTC' })).toBe(
      'At 09:00, Monday through Friday (UTC)',
    );
    expect(describeSchedule({ type: 'cron', expr: '*/15 * * * *', timezone: 'UTC' })).toBe('Every 15 minutes (UTC)');
    expect(describeSchedule({ type: 'cron', expr: '30 * * * *', timezone: 'UTC' })).toBe(
      'At 30 minutes past the hour (UTC)',
    );
  });

  it('falls back to the expression where cronstrue does not know a croner extension', () => {
    expect(describeSchedule({ type: 'cron', expr: '0 12 1 * +MON', timezone: 'UTC' })).toBe(
      "Cron '0 12 1 * +MON' (UTC)",
    );
  });

  it('adds start and end bounds', () => {
    expect(
      describeSchedule({
        type: 'cron',
        expr: '0 8 * * *',
        timezone: 'UTC',
        startAt: '2026-01-01T00:00:00Z',
        endAt: '2026-02-01T00:00:00+01:00',
      }),
    ).toBe('At 08:00, every day (UTC), from 2026-01-01T00:00:00.000Z, until 2026-01-31T23:00:00.000Z');
  });

  it('describes intervals in the largest exact unit', () => {
    expect(describeSchedule({ type: 'interval', everyMs: 300_000 })).toBe('Every 5 minutes');
    expect(describeSchedule({ type: 'interval', everyMs: 90_000 })).toBe('Every 90 seconds');
    expect(describeSchedule({ type: 'interval', everyMs: 3_600_000 })).toBe('Every hour');
    expect(describeSchedule({ type: 'interval', everyMs: 2 * 86_400_000 })).toBe('Every 2 days');
    expect(describeSchedule({ type: 'interval', everyMs: 1_500 })).toBe('Every 1500 milliseconds');
  });

  it('describes once schedules by their instant', () => {
    expect(describeSchedule({ type: 'once', at: '2026-05-01T12:00:00+02:00' })).toBe(
      'Once at 2026-05-01T10:00:00.000Z',
    );
    expect(describeSchedule({ type: 'once', delayMs: 60_000 }, new Date('2026-05-01T10:00:00Z'))).toBe(
      'Once at 2026-05-01T10:01:00.000Z',
    );
  });
});
