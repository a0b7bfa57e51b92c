import { useId } from 'react';
import { useTickrStore } from '../store';
import { THEME_CHOICE_LABELS, THEME_CHOICES, type ThemeChoice } from './theme';

function ThemeOption({ choice, name }: { choice: ThemeChoice; name: string }) {
  const checked = useTickrStore((s) => s.themeChoice === choice);
  const chooseTheme = useTickrStore((s) => s.chooseTheme);
  return (
    <label className="segment">
      <input type="radio" name={name} value={choice} checked={checked} onChange={() => chooseTheme(choice)} />
      <span>{THEME_CHOICE_LABELS[choice]}</span>
    </label>
  );
}

/** System / Light / Dark as one radio group: arrow keys move between them, as in any radio group. */
export function ThemeSwitch() {
  const name = useId();
  return (
    <fieldset className="theme-switch">
      <legend>Theme</legend>
      <div className="segments">
        {THEME_CHOICES.map((choice) => (
          <ThemeOption key={choice} choice={choice} name={name} />
        ))}
      </div>
    </fieldset>
  );
}
