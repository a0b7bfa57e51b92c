// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { CronField } from '../../src/renderer/src/views/Tasks/components/CronField';
import { SchedulePreview } from '../../src/renderer/src/views/Tasks/components/SchedulePreview';
import { allTimeZones } from '../../src/renderer/src/views/Tasks/components/ZonePicker';
import { presetExpression, DEFAULT_CHOICE } from '../../src/renderer/src/views/Tasks/cron-presets';
import type { SchedulePreview as Preview } from '../../src/shared/types';

/** The cron field (presets, the expression in words, the zone picker) and the preview of its next runs. */

function Harness({ initial = '0 9 * * *' }: { initial?: string }) {
  const [expr, setExpr] = useState(initial);
  const [zone, setZone] = useState('UTC');
  return <CronField expr={expr} timezone={zone} onExpr={setExpr} onTimezone={setZone} />;
}

const exprBox = () => screen.getByRole('textbox', { name: 'Cron expression' }) as HTMLInputElement;
const words = () => document.getElementById(exprBox().getAttribute('aria-describedby') as string)?.textContent;

afterEach(cleanup);

describe('the cron field', () => {
  it('says the expression in words as it is typed', () => {
    render(<Harness />);
    expect(words()).toBe('At 09:00, every day');
    fireEvent.change(exprBox(), { target: { value: '*/10 * * * 1-5' } });
    expect(words()).toBe('Every 10 minutes, Monday through Friday');
  });

  it.each([
    ['every-minutes', { minutes: 15 }, '*/15 * * * *'],
    ['hourly', { time: '00:05' }, '5 * * * *'],
    ['daily', { time: '07:30' }, '30 7 * * *'],
    ['weekdays', { time: '08:00' }, '0 8 * * 1-5'],
    ['weekly', { time: '18:45', weekday: 5 }, '45 18 * * 5'],
    ['monthly', { time: '01:00', monthDay: 15 }, '0 1 15 * *'],
  ] as const)('the %s preset writes its expression', (preset, choice, expected) => {
    expect(presetExpression({ ...DEFAULT_CHOICE, preset, ...choice })).toBe(expected);
  });

  it('a preset picked in the field writes the expression, and its inputs refine it', () => {
    render(<Harness initial="" />);
    fireEvent.change(screen.getByRole('combobox', { name: 'Preset' }), { target: { value: 'weekly' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Day' }), { target: { value: '3' } });
    fireEvent.change(screen.getByLabelText('At'), { target: { value: '06:15' } });
    expect(exprBox().value).toBe('15 6 * * 3');
    expect(words()).toBe('At 06:15, only on Wednesday');

    fireEvent.change(screen.getByRole('combobox', { name: 'Preset' }), { target: { value: 'every-minutes' } });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Minutes' }), { target: { value: '20' } });
    expect(exprBox().value).toBe('*/20 * * * *');
  });

  it('offers every IANA zone to search in, UTC included, and takes the one typed', () => {
    render(<Harness />);
    const zone = screen.getByRole('combobox', { name: 'Time zone' }) as HTMLInputElement;
    const list = document.getElementById(zone.getAttribute('list') as string) as HTMLDataListElement;
    const options = [...list.querySelectorAll('option')].map((o) => o.value);
    expect(options).toEqual(allTimeZones());
    expect(options).toEqual(expect.arrayContaining(['UTC', 'Europe/Berlin', 'Asia/Tokyo', 'America/New_York']));
    fireEvent.change(zone, { target: { value: 'Asia/Tokyo' } });
    expect(zone.value).toBe('Asia/Tokyo');
  });

  it('shows an error instead of the words when the expression is refused', () => {
    render(
      <CronField expr="0 25 * * *" timezone="UTC" onExpr={() => {}} onTimezone={() => {}} exprError="out of range" />,
    );
    expect(exprBox().getAttribute('aria-invalid')).toBe('true');
    expect(words()).toBe('out of range');
  });
});

describe('the preview of the next runs', () => {
  const preview: Preview = {
    description: 'At 02:30, every day (Europe/Berlin)',
    timezone: 'Europe/Berlin',
    occurrences: [
      { utc: '2027-03-27T01:30:00.000Z', local: '2027-03-27T02:30:00+01:00', dst: null, nominal: null },
      {
        utc: '2027-03-28T01:00:00.000Z',
        local: '2027-03-28T03:00:00+02:00',
        dst: 'gap-shifted',
        nominal: '2027-03-28T02:30:00',
      },
      {
        utc: '2027-10-31T00:30:00.000Z',
        local: '2027-10-31T02:30:00+02:00',
        dst: 'overlap-first',
        nominal: '2027-10-31T02:30:00',
      },
    ],
  };

  it('lists each run in the task’s zone and in the viewer’s', () => {
    render(<SchedulePreview preview={preview} taskZone="Europe/Berlin" viewerZone="America/New_York" />);
    const rows = screen
      .getAllByTestId('preview-run')
      .map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows[0]).toEqual(['Sat 2027-03-27 02:30', 'Fri 2027-03-26 21:30', '']);
    expect(rows[1]!.slice(0, 2)).toEqual(['Sun 2027-03-28 03:00', 'Sat 2027-03-27 21:00']);
  });

  it('flags DST-affected runs and says why', () => {
    render(<SchedulePreview preview={preview} taskZone="Europe/Berlin" viewerZone="Europe/Berlin" />);
    const rows = screen.getAllByTestId('preview-run');
    // One zone: the viewer's column is left out.
    expect(rows[0]!.querySelectorAll('td')).toHaveLength(2);
    expect(rows[1]!.className).toBe('dst-affected');
    expect(rows[1]!.textContent).toContain('02:30 does not exist on 28 Mar (clocks go forward); runs at 03:00');
    expect(rows[2]!.textContent).toContain('02:30 happens twice on 31 Oct (clocks go back); runs at the first, +02:00');
    expect(rows[0]!.className).toBe('');
  });
});
