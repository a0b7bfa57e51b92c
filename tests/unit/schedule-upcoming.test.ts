import { describe, expect, it } from 'vitest';
import { upcomingRuns } from '../../src/main/engine/schedule/upcoming';

const from = new Date('2026-03-10T10:00:30.000Z');
const to = new Date(from.getTime() + 24 * 3_600_000);
const anchor = new Date('2026-03-01T00:00:00.000Z');

describe('upcoming runs of all tasks', () => {
  it('merges every task’s runs in the window, soonest first', () => {
    const { items, truncated } = upcomingRuns(
      [
        {
          id: '2',
          name: 'six-hourly',
          schedule: { type: 'cron', expr: '0 */6 * * *', timezone: 'UTC' },
          anchorAt: anchor,
        },
        { id: '1', name: 'once', schedule: { type: 'once', at: '2026-03-10T12:00:00.000Z' }, anchorAt: anchor },
      ],
      from,
      to,
      100,
    );
    expect(truncated).toBe(false);
    expect(items.map((r) => `${r.at.slice(11, 16)} ${r.taskName}`)).toEqual([
      '12:00 once',
      '12:00 six-hourly',
      '18:00 six-hourly',
      '00:00 six-hourly',
      '06:00 six-hourly',
    ]);
  });

  it('stops a frequent task at the cap and says the answer was cut', () => {
    const { items, truncated } = upcomingRuns(
      [{ id: '1', name: 'often', schedule: { type: 'interval', everyMs: 1_000 }, anchorAt: anchor }],
      from,
      to,
      25,
    );
    expect(items).toHaveLength(25);
    expect(truncated).toBe(true);
  });

  it('leaves out a once task already past and a schedule that ended', () => {
    const { items } = upcomingRuns(
      [
        { id: '1', name: 'past', schedule: { type: 'once', at: '2026-03-09T00:00:00.000Z' }, anchorAt: anchor },
        {
          id: '2',
          name: 'ended',
          schedule: { type: 'cron', expr: '* * * * *', timezone: 'UTC', endAt: '2026-03-10T09:00:00.000Z' },
          anchorAt: anchor,
        },
      ],
      from,
      to,
      100,
    );
    expect(items).toEqual([]);
  });
});
