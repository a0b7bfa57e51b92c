import type { StateCreator } from 'zustand';
import type { LogEntry } from '../../../../../shared/types';
import { request } from '../../../app/request';
import type { Store } from '../../../app/store';

/**
 * The log of the job the detail page shows: read once with jobs.logs, then kept current by
 * job.log events (app/events.ts) for as long as that job is open.
 */
export interface JobLogSlice {
  /** The job whose log is held, or null when no job page is open. */
  logJobId: string | null;
  log: LogEntry[];
  logError: string | null;
  openLog: (jobId: string) => Promise<void>;
  closeLog: () => void;
}

export const createJobLogSlice: StateCreator<Store, [], [], JobLogSlice> = (set, get) => ({
  logJobId: null,
  log: [],
  logError: null,
  openLog: async (jobId) => {
    set({ logJobId: jobId, log: [], logError: null });
    await request(set, (api) => api['jobs.logs']({ id: jobId }), {
      errorKey: 'logError',
      onData: (page) => ({ log: page.items }),
      // The user may have opened another job while this one loaded.
      isCurrent: () => get().logJobId === jobId,
    });
  },
  closeLog: () => set({ logJobId: null, log: [], logError: null }),
});
