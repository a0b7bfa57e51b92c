import type { StateCreator } from 'zustand';
import type { ServiceName } from '../../../../shared/connection-fields';
import type { SettingsTestConnectionInput, SettingsUpdateInput } from '../../../../shared/schemas';
import type { ConnectionTestResult, Settings, SettingsApply } from '../../../../shared/types';
import { request } from '../../app/request';
import type { Store } from '../../app/store';

/**
 * The Settings view and the first-run screen: the node's settings (never a password: the engine
 * sends `passwordSet`), the last connection test of each service, and where applying a change
 * stands (settings.progress events, app/events.ts).
 */
export interface SettingsSlice {
  settings: Settings | null;
  settingsError: string | null;
  /** Why the last save was refused, or null. */
  settingsSaveError: string | null;
  settingsSaving: boolean;
  settingsApply: SettingsApply | null;
  connectionTests: Partial<Record<ServiceName, ConnectionTestResult>>;
  connectionTestError: string | null;
  connectionTesting: ServiceName | null;
  /** The user chose to look around before connecting: the first-run screen stays closed. */
  firstRunDismissed: boolean;
  loadSettings: () => Promise<void>;
  saveSettings: (update: SettingsUpdateInput) => Promise<boolean>;
  testConnection: (input: SettingsTestConnectionInput) => Promise<void>;
  dismissFirstRun: () => void;
}

export const createSettingsSlice: StateCreator<Store, [], [], SettingsSlice> = (set, get) => ({
  settings: null,
  settingsError: null,
  settingsSaveError: null,
  settingsSaving: false,
  settingsApply: null,
  connectionTests: {},
  connectionTestError: null,
  connectionTesting: null,
  firstRunDismissed: false,
  loadSettings: async () => {
    await request(set, (api) => api['settings.get']({}), {
      errorKey: 'settingsError',
      onData: (settings) => ({ settings, settingsApply: settings.apply }),
    });
  },
  saveSettings: async (update) => {
    set({ settingsSaving: true });
    const ok = await request(set, (api) => api['settings.update'](update), {
      errorKey: 'settingsSaveError',
      onData: (settings) => ({ settings, settingsApply: settings.apply }),
    });
    set({ settingsSaving: false });
    return ok;
  },
  testConnection: async (input) => {
    set({ connectionTesting: input.service });
    await request(set, (api) => api['settings.testConnection'](input), {
      errorKey: 'connectionTestError',
      onData: (result) => ({ connectionTests: { ...get().connectionTests, [result.service]: result } }),
    });
    set({ connectionTesting: null });
  },
  dismissFirstRun: () => set({ firstRunDismissed: true }),
});
