import type { StateCreator } from 'zustand';
import type { Job, LogEntry } from '../../../../shared/types';
import { request } from '../../app/request';
import type { Store } from '../../app/store';
import { JOB_LIMIT } from './job-updates';

/**
 * Recent jobs and the log of the one selected. Both are loaded here, then kept current by
 * job.updated and job.log events (app/events.ts).
 */
export interface JobsSlice {
  jobs: Job[];
  /** True once the first jobs.list answered: an empty list means "no jobs yet" only then. */
  jobsLoaded: boolean;
  jobsError: string | null;
  selectedJobId: string | null;
  log: LogEntry[];
  logError: string | null;
  loadJobs: () => Promise<void>;
  selectJob: (id: string) => Promise<void>;
  clearJobSelection: () => void;
}

export const createJobsSlice: StateCreator<Store, [], [], JobsSlice> = (set, get) => ({
  jobs: [],
  jobsLoaded: false,
  jobsError: null,
  selectedJobId: null,
  log: [],
  logError: null,
  loadJobs: async () => {
    await request(set, (api) => api['jobs.list']({ limit: JOB_LIMIT }), {
      errorKey: 'jobsError',
      onData: (page) => ({ jobs: page.items, jobsLoaded: true }),
    });
  },
  selectJob: async (id) => {
    set({ selectedJobId: id, log: [], logError: null });
    await request(set, (api) => api['jobs.logs']({ id }), {
      errorKey: 'logError',
      onData: (page) => ({ log: page.items }),
      // The user may have clicked another job while this one loaded.
      isCurrent: () => get().selectedJobId === id,
    });
  },
  clearJobSelection: () => set({ selectedJobId: null, log: [], logError: null }),
});
