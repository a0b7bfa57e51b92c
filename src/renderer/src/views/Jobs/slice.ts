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
  jobsError: string | null;
  selectedJobId: string | null;
  log: LogEntry[];
  logError: string | null;
  loadJobs: () => Promise<void>;
  selectJob: (id: string) => Promise<void>;
}

export const createJobsSlice: StateCreator<Store, [], [], JobsSlice> = (set, get) => ({
  jobs: [],
  jobsError: null,
  selectedJobId: null,
  log: [],
  logError: null,
  loadJobs: async () => {
    await request(set, (api) => api['jobs.list']({ limit: JOB_LIMIT }), {
      errorKey: 'jobsError',
      onData: (page) => ({ jobs: page.items }),
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
});
