import type { StateCreator } from 'zustand';
import type { DiagnosticsRepairResult, DiagnosticsReport } from '../../../../shared/types';
import { request } from '../../app/request';
import type { Store } from '../../app/store';

/**
 * Diagnostics: the last diagnostics.check report, and the last repair's result. A check runs
 * when the view opens, on the button, after a repair and after a reconnect; never on a timer.
 */
export interface DiagnosticsSlice {
  diagnostics: DiagnosticsReport | null;
  diagnosticsError: string | null;
  diagnosticsChecking: boolean;
  repair: DiagnosticsRepairResult | null;
  repairError: string | null;
  repairing: 'sweep' | 'rebuild' | null;
  runDiagnostics: () => Promise<void>;
  /** Runs the repair, then checks again so the panel shows what it left. A second click while one runs is ignored. */
  runRepair: (action: 'sweep' | 'rebuild') => Promise<void>;
}

export const createDiagnosticsSlice: StateCreator<Store, [], [], DiagnosticsSlice> = (set, get) => ({
  diagnostics: null,
  diagnosticsError: null,
  diagnosticsChecking: false,
  repair: null,
  repairError: null,
  repairing: null,
  runDiagnostics: async () => {
    if (get().diagnosticsChecking) return;
    set({ diagnosticsChecking: true });
    await request(set, (api) => api['diagnostics.check']({}), {
      errorKey: 'diagnosticsError',
      onData: (diagnostics) => ({ diagnostics }),
    });
    set({ diagnosticsChecking: false });
  },
  runRepair: async (action) => {
    if (get().repairing !== null) return;
    set({ repairing: action, repair: null });
    const done = await request(set, (api) => api['diagnostics.repair']({ action }), {
      errorKey: 'repairError',
      onData: (repair) => ({ repair }),
    });
    set({ repairing: null });
    if (done) await get().runDiagnostics();
  },
});
