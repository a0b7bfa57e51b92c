import { useId, useMemo } from 'react';

/** Every IANA zone the runtime knows, UTC included (some runtimes leave it out of the list). */
export function allTimeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

/**
 * A searchable zone picker: a text field whose suggestions (a datalist) narrow as the user types
 * "berl" or "tokyo". A name not in the list is reported by the editor as a field error.
 */
export function ZonePicker({
  id,
  value,
  onChange,
  describedBy,
  invalid,
}: {
  id?: string;
  value: string;
  onChange: (zone: string) => void;
  describedBy?: string | undefined;
  invalid?: boolean | undefined;
}) {
  const listId = useId();
  const zones = useMemo(() => allTimeZones(), []);
  return (
    <>
      <input
        id={id}
        list={listId}
        role="combobox"
        aria-expanded={false}
        aria-autocomplete="list"
        autoComplete="off"
        spellCheck={false}
        value={value}
        aria-describedby={describedBy}
        aria-invalid={invalid}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id={listId}>
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}
