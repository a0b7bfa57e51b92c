/**
 * The cron field's presets, pure: each turns a few choices into an expression (5 fields: minute
 * hour day-of-month month day-of-week). The expression stays the source; a preset only writes it.
 */
export type CronPreset = 'every-minutes' | 'hourly' | 'daily' | 'weekdays' | 'weekly' | 'monthly';

export interface PresetChoice {
  preset: CronPreset;
  /** every N minutes */
  minutes: number;
  /** 'HH:mm' for daily, weekdays, weekly and monthly; the minute past for hourly */
  time: string;
  /** 0 (Sunday) … 6 */
  weekday: number;
  /** 1 … 31 */
  monthDay: number;
}

export const PRESET_LABELS: Record<CronPreset, string> = {
  'every-minutes': 'Every N minutes',
  hourly: 'Hourly',
  daily: 'Daily at',
  weekdays: 'Weekdays at',
  weekly: 'Weekly on',
  monthly: 'Monthly on',
};

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

function hourMinute(time: string): [number, number] {
  const [h = '0', m = '0'] = time.split(':');
  const hour = Math.min(23, Math.max(0, Number.parseInt(h, 10) || 0));
  const minute = Math.min(59, Math.max(0, Number.parseInt(m, 10) || 0));
  return [hour, minute];
}

export function presetExpression(c: PresetChoice): string {
  const [hour, minute] = hourMinute(c.time);
  switch (c.preset) {
    case 'every-minutes': {
      const n = Math.min(59, Math.max(1, Math.floor(c.minutes) || 1));
      return n === 1 ? '* * * * *' : `*/${n} * * * *`;
    }
    case 'hourly':
      return `${minute} * * * *`;
    case 'daily':
      return `${minute} ${hour} * * *`;
    case 'weekdays':
      return `${minute} ${hour} * * 1-5`;
    case 'weekly':
      return `${minute} ${hour} * * ${c.weekday}`;
    case 'monthly':
      return `${minute} ${hour} ${Math.min(31, Math.max(1, Math.floor(c.monthDay) || 1))} * *`;
  }
}

export const DEFAULT_CHOICE: PresetChoice = { preset: 'daily', minutes: 15, time: '09:00', weekday: 1, monthDay: 1 };
