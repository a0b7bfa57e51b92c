/**
 * Light and dark: the user's choice (follow the OS, or one of the two), what it resolves to, and
 * where it is remembered. Pure apart from the guarded storage calls, so it runs in Node tests.
 */

export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];
export type Theme = 'light' | 'dark';

export const THEME_CHOICE_LABELS: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

const THEME_KEY = 'tickr.theme';

export function resolveTheme(choice: ThemeChoice, prefersDark: boolean): Theme {
  if (choice === 'system') return prefersDark ? 'dark' : 'light';
  return choice;
}

function isThemeChoice(value: unknown): value is ThemeChoice {
  return (THEME_CHOICES as readonly unknown[]).includes(value);
}

/** The remembered choice; `system` when there is none, it is not one we know, or storage is disabled. */
export function loadThemeChoice(): ThemeChoice {
  try {
    const stored = localStorage.getItem(THEME_KEY);
    return isThemeChoice(stored) ? stored : 'system';
  } catch {
    return 'system';
  }
}

export function saveThemeChoice(choice: ThemeChoice): void {
  try {
    // `system` is the default: remembering it as no entry lets a later default apply.
    if (choice === 'system') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, choice);
  } catch {
    // Storage can be disabled; the choice then lasts until the page is reloaded.
  }
}

/** Whether a `storage` event (another window of this page changed it) concerns the theme. */
export function isThemeStorageKey(key: string | null): boolean {
  return key === null || key === THEME_KEY;
}
