import { describe, expect, it } from 'vitest';
import { TickrError } from '../../src/shared/errors';
import type { ScheduleInput } from '../../src/shared/schemas';
import { previewSchedule, resolveTimezone, validateSchedule } from '../../src/main/engine/schedule';

function errorOf(schedule: ScheduleInput): TickrError {
  try {
    validateSchedule(schedule);
  } catch (err) {
    expect(err).toBeInstanceOf(TickrError);
    expect((err as TickrError).code).toBe('BAD_INPUT');
    return err as TickrError;
  }
  throw new Error(`expected ${JSON.stringify(schedule)} to be rejected`);
}

const cronError = (expr: string): string => errorOf({ type: 'cron', expr }).message;

describe('validateSchedule: cron expressions', () => {
  it('names the field and range of an out-of-range value', () => {
    expect(cronError('0 25 * * *')).toBe('schedule.expr: field 2 (hour) value 25 is out of range 0-23');
    expect(cronError('61 * * * *')).toBe('schedule.expr: field 1 (minute) value 61 is out of range 0-59');
    expect(cronError('0 0 32 * *')).toBe('schedule.expr: field 3 (day of month) value 32 is out of range 1-31');
    expect(cronError('0 0 * 13 *')).toBe('schedule.expr: field 4 (month) value 13 is out of range 1-12');
    expect(cronError('0 0 * * 8')).toBe('schedule.expr: field 5 (day of week) value 8 is out of range 0-7');
    expect(cronError('1,2,99 * * * *')).toBe('schedule.expr: field 1 (minute) value 99 is out of range 0-59');
    expect(cronError('* 1-32/2 * * *')).toBe('schedule.expr: field 2 (hour) value 32 is out of range 0-23');
  });

  it('counts fields from the seconds in 6-field expressions', () => {
    expect(cronError('60 0 2 * * *')).toBe('schedule.expr: field 1 (second) value 60 is out of range 0-59');
    expect(cronError('0 0 24 * * *')).toBe('schedule.expr: field 3 (hour) value 24 is out of range 0-23');
  });

  it('names the field of a syntax error', () => {
    expect(cronError('a b c d e')).toMatch(/^schedule\.expr: field 1 \(minute\) 'a': .*illegal characters/);
    expect(cronError('0 */x * * *')).toMatch(/^schedule\.expr: field 2 \(hour\) '\*\/x': .*illegal characters/);
    expect(cronError('5-2 * * * *')).toMatch(/^schedule\.expr: field 1 \(minute\) '5-2': .*larger/);
    expect(cronError('*/0 * * * *')).toBe('schedule.expr: field 1 (minute) step /0 is not allowed');
    expect(cronError('0 0 * * MON#6')).toMatch(/^schedule\.expr: field 5 \(day of week\) 'MON#6': /);
  });

  it('says how many fields are expected', () => {
    expect(cronError('* * * *')).toMatch(/^schedule\.expr: has 4 fields; expected 5 .* 6 .* 7/);
    expect(cronError('0 0 0 0 0 0 0 0')).toMatch(/has 8 fields/);
    expect(cronError('   ')).toBe('schedule.expr: must not be empty');
  });

  it('rejects unknown nicknames and accepts the known ones', () => {
    expect(cronError('@often')).toMatch(/^schedule\.expr: unknown nickname '@often'/);
    expect(() => validateSchedule({ type: 'cron', expr: '@daily' })).not.toThrow();
  });

  it('accepts croner extensions and month/day names', () => {
    for (const expr of [
      '0 9 * * MON-FRI',
      '0 0 L * *',
      '0 0 * * 5#L',
      '0 0 1 * +MON',
      '0 0 * JAN,JUL *',
      '0 0 0 1 1 * 2030',
      '0 30 2 * * *',
    ]) {
      expect(() => validateSchedule({ type: 'cron', expr, timezone: 'UTC' }), expr).not.toThrow();
    }
  });
});

describe('validateSchedule: zones and bounds', () => {
  it('rejects an unknown time zone by name', () => {
    expect(errorOf({ type: 'cron', expr: '* * * * *', timezone: 'Mars/Base' }).message).toMatch(
      /^schedule\.timezone: unknown time zone 'Mars\/Base'/,
    );
  });

  it('rejects startAt at or after endAt', () => {
    expect(
      errorOf({ type: 'cron', expr: '* * * * *', startAt: '2026-02-01T00:00:00Z', endAt: '2026-01-01T00:00:00Z' })
        .message,
    ).toMatch(/^schedule\.endAt: must be after schedule\.startAt/);
    expect(
      errorOf({ type: 'interval', everyMs: 1000, startAt: '2026-01-01T00:00:00Z', endAt: '2026-01-01T01:00:00+01:00' })
        .message,
    ).toMatch(/^schedule\.endAt: must be after schedule\.startAt/);
    expect(() =>
      validateSchedule({
        type: 'interval',
        everyMs: 1000,
        startAt: '2026-01-01T00:00:00Z',
        endAt: '2026-01-01T00:00:01Z',
      }),
    ).not.toThrow();
  });

  it('rejects dates that do not parse and bad numbers (inputs that bypassed zod)', () => {
    expect(errorOf({ type: 'once', at: 'tomorrow' }).message).toBe(
      "schedule.at: 'tomorrow' is not an ISO 8601 date-time",
    );
    expect(errorOf({ type: 'interval', everyMs: 0 }).message).toMatch(/^schedule\.everyMs: /);
    expect(errorOf({ type: 'once', delayMs: -1 }).message).toMatch(/^schedule\.delayMs: /);
    expect(errorOf({ type: 'once', at: '2026-01-01T00:00:00Z', delayMs: 5 }).message).toMatch(/either at or delayMs/);
  });

  it('accepts a once schedule with neither at nor delayMs ("now")', () => {
    expect(() => validateSchedule({ type: 'once' })).not.toThrow();
  });

  it('is applied by previewSchedule', () => {
    expect(() => previewSchedule({ schedule: { type: 'cron', expr: '0 25 * * *' }, count: 5 })).toThrow(
      /field 2 \(hour\)/,
    );
  });
});

describe('resolveTimezone', () => {
  it('gives the cron zone, else the machine zone, and null for other schedules', () => {
    expect(resolveTimezone({ type: 'cron', expr: '* * * * *', timezone: 'Europe/Berlin' })).toBe('Europe/Berlin');
    expect(resolveTimezone({ type: 'cron', expr: '* * * * *' })).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(resolveTimezone({ type: 'interval', everyMs: 1000 })).toBeNull();
    expect(resolveTimezone({ type: 'once' })).toBeNull();
  });
});
