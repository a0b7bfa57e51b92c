import type { StateCreator } from 'zustand';
import type { Health } from '../../../../shared/types';
import { request } from '../../app/request';
import type { Store } from '../../app/store';

/** The node's health: loaded once, then kept current by health.changed events (app/events.ts). */
export interface HealthSlice {
  health: Health | null;
  healthError: string | null;
  loadHealth: () => Promise<void>;
}

export const createHealthSlice: StateCreator<Store, [], [], HealthSlice> = (set) => ({
  health: null,
  healthError: null,
  loadHealth: async () => {
    await request(set, (api) => api['health.get']({}), {
      errorKey: 'healthError',
      onData: (health) => ({ health }),
    });
  },
});
