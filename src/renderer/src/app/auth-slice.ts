import type { StateCreator } from 'zustand';
import type { Store } from './store';

/** Whether the page can talk to the node: `missing` (browser without a token) or `invalid` (token refused). */
export type AuthState = 'ok' | 'missing' | 'invalid';

/**
 * The frame's own state. main.tsx sets `missing` before anything loads; request() sets `invalid`
 * when the node refuses the token.
 */
export interface AuthSlice {
  auth: AuthState;
}

export const createAuthSlice: StateCreator<Store, [], [], AuthSlice> = () => ({
  auth: 'ok',
});
