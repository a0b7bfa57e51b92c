import { useTickrStore, type Store } from '../store';
import { isThemeStorageKey, loadThemeChoice, resolveTheme } from './theme';

const DARK_QUERY = '(prefers-color-scheme: dark)';

/**
 * Puts the theme on <html>: `data-theme` (`light` | `dark`) is what the stylesheet switches on (it
 * sets `color-scheme`, which picks every `light-dark()` colour, form controls and scrollbars),
 * `data-theme-choice` what the user picked.
 */
function applyTheme(root: HTMLElement, { themeChoice, prefersDark }: Store): void {
  root.dataset.theme = resolveTheme(themeChoice, prefersDark);
  root.dataset.themeChoice = themeChoice;
}

/**
 * Loads the remembered choice, follows the OS's preference as it changes (matchMedia, no polling)
 * and another window's choice (the storage event), and keeps <html> in step with the store.
 */
export function startTheme(win: Window = window): () => void {
  const root = win.document.documentElement;
  // jsdom and old engines have no matchMedia: the page is then light unless chosen otherwise.
  const media = typeof win.matchMedia === 'function' ? win.matchMedia(DARK_QUERY) : null;
  useTickrStore.setState({ themeChoice: loadThemeChoice(), prefersDark: media?.matches ?? false });
  applyTheme(root, useTickrStore.getState());

  const unsubscribe = useTickrStore.subscribe((state, previous) => {
    if (state.themeChoice !== previous.themeChoice || state.prefersDark !== previous.prefersDark)
      applyTheme(root, state);
  });
  const onPreference = (event: MediaQueryListEvent): void => useTickrStore.setState({ prefersDark: event.matches });
  const onStorage = (event: StorageEvent): void => {
    if (isThemeStorageKey(event.key)) useTickrStore.setState({ themeChoice: loadThemeChoice() });
  };
  media?.addEventListener('change', onPreference);
  win.addEventListener('storage', onStorage);
  return () => {
    unsubscribe();
    media?.removeEventListener('change', onPreference);
    win.removeEventListener('storage', onStorage);
  };
}
