import type { StateCreator } from 'zustand';
import type { Store } from '../store';

/** Whether the command palette is open. Opened and closed through frame-actions.ts, which also moves focus. */
export interface PaletteSlice {
  paletteOpen: boolean;
}

export const createPaletteSlice: StateCreator<Store, [], [], PaletteSlice> = () => ({
  paletteOpen: false,
});
