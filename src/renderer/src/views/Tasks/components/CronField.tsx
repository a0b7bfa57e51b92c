import { useId, useState } from 'react';
import { describeCron } from '../../../../../shared/schedule-words';
import {
  DEFAULT_CHOICE,
  PRESET_LABELS,
  presetExpression,
  WEEKDAYS,
  type CronPreset,
  type PresetChoice,
} from '../cron-presets';
import { ZonePicker } from './ZonePicker';

/**
 * The cron field: presets that write the expression, the expression itself, what it means in
 * words (cronstrue), and the zone it runs in. The next runs are shown by the editor below it.
 */
export function CronField({
  expr,
  timezone,
  onExpr,
  onTimezone,
  exprError,
  zoneError,
}: {
  expr: string;
  timezone: string;
  onExpr: (expr: string) => void;
  onTimezone: (zone: string) => void;
  exprError?: string | undefined;
  zoneError?: string | undefined;
}) {
  const id = useId();
  const [choice, setChoice] = useState<PresetChoice>(DEFAULT_CHOICE);
  const apply = (patch: Partial<PresetChoice>) => {
    const next = { ...choice, ...patch };
    setChoice(next);
    onExpr(presetExpression(next));
  };
  const words = exprError === undefined && expr.trim() !== '' ? describeCron(expr) : null;
  return (
    <fieldset className="cron-field">
      <legend>Cron</legend>
      <div className="preset-row">
        <label>
          Preset
          <select value={choice.preset} onChange={(e) => apply({ preset: e.target.value as CronPreset })}>
            {Object.entries(PRESET_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {choice.preset === 'every-minutes' && (
          <label>
            Minutes
            <input
              type="number"
              min={1}
              max={59}
              value={choice.minutes}
              onChange={(e) => apply({ minutes: Number(e.target.value) })}
            />
          </label>
        )}
        {choice.preset !== 'every-minutes' && (
          <label>
            {choice.preset === 'hourly' ? 'At minute' : 'At'}
            {choice.preset === 'hourly' ? (
              <input
                type="number"
                min={0}
                max={59}
                value={Number(choice.time.split(':')[1] ?? 0)}
                onChange={(e) => apply({ time: `00:${e.target.value}` })}
              />
            ) : (
              <input type="time" value={choice.time} onChange={(e) => apply({ time: e.target.value })} />
            )}
          </label>
        )}
        {choice.preset === 'weekly' && (
          <label>
            Day
            <select value={choice.weekday} onChange={(e) => apply({ weekday: Number(e.target.value) })}>
              {WEEKDAYS.map((d, i) => (
                <option key={d} value={i}>
                  {d}
                </option>
              ))}
            </select>
          </label>
        )}
        {choice.preset === 'monthly' && (
          <label>
            Day of month
            <input
              type="number"
              min={1}
              max={31}
              value={choice.monthDay}
              onChange={(e) => apply({ monthDay: Number(e.target.value) })}
            />
          </label>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-expr`}>Cron expression</label>
        <input
          id={`${id}-expr`}
          className="mono"
          spellCheck={false}
          value={expr}
          aria-invalid={exprError !== undefined ? true : undefined}
          aria-describedby={`${id}-expr-help`}
          onChange={(e) => onExpr(e.target.value)}
        />
        <p id={`${id}-expr-help`} className={exprError !== undefined ? 'field-error' : 'cron-words'} aria-live="polite">
          {exprError ?? words ?? 'minute hour day-of-month month day-of-week'}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-zone`}>Time zone</label>
        <ZonePicker
          id={`${id}-zone`}
          value={timezone}
          onChange={onTimezone}
          invalid={zoneError !== undefined ? true : undefined}
          describedBy={zoneError !== undefined ? `${id}-zone-error` : undefined}
        />
        {zoneError !== undefined && (
          <p id={`${id}-zone-error`} className="field-error">
            {zoneError}
          </p>
        )}
      </div>
    </fieldset>
  );
}
