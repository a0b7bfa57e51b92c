import { newRow, type ValueRow } from '../form-model';

/**
 * Name / value rows with a secret toggle: env variables of a shell task, headers of an http one.
 * A stored secret's value is never shown (tasks.get does not return it): its field stays empty,
 * saying it is kept unless something is typed to replace it.
 */
export function ValueRows({
  legend,
  noun,
  rows,
  onChange,
  error,
}: {
  legend: string;
  noun: string;
  rows: readonly ValueRow[];
  onChange: (rows: ValueRow[]) => void;
  error?: string | undefined;
}) {
  const update = (key: string, patch: Partial<ValueRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <fieldset className="value-rows">
      <legend>{legend}</legend>
      {rows.map((row, i) => (
        <div className="value-row" key={row.key}>
          <input
            aria-label={`${noun} ${i + 1} name`}
            placeholder="NAME"
            value={row.name}
            onChange={(e) => update(row.key, { name: e.target.value })}
          />
          <input
            aria-label={`${noun} ${i + 1} value`}
            type={row.secret ? 'password' : 'text'}
            autoComplete="off"
            placeholder={row.stored && row.secret ? 'secret kept — type to replace' : 'value'}
            value={row.value}
            onChange={(e) => update(row.key, { value: e.target.value })}
          />
          <label className="check">
            <input
              type="checkbox"
              checked={row.secret}
              // Making a stored secret plain would need its value, which the page never has.
              disabled={row.stored && row.secret && row.value === ''}
              onChange={(e) => update(row.key, { secret: e.target.checked })}
            />
            Secret<span className="visually-hidden"> {`${noun} ${i + 1}`}</span>
          </label>
          <button
            type="button"
            className="secondary"
            aria-label={`Remove ${noun} ${i + 1}`}
            onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
          >
            ×
          </button>
        </div>
      ))}
      <button type="button" className="secondary" onClick={() => onChange([...rows, newRow()])}>
        Add {noun}
      </button>
      {error !== undefined && <p className="field-error">{error}</p>}
    </fieldset>
  );
}
