import type { StateCreator } from 'zustand';
import type { Store } from '../store';
import { saveThemeChoice, type ThemeChoice } from './theme';

/**
 * The theme choice and the OS's preference it may follow; theme-sync.ts fills both in at start
 * and applies what they resolve to on <html>.
 */
export interface ThemeSlice {
  themeChoice: ThemeChoice;
  prefersDark: boolean;
  chooseTheme: (choice: ThemeChoice) => void;
}

export const createThemeSlice: StateCreator<Store, [], [], ThemeSlice> = (set) => ({
  themeChoice: 'system',
  prefersDark: false,
  chooseTheme: (choice) => {
    saveThemeChoice(choice);
    set({ themeChoice: choice });
  },
});
