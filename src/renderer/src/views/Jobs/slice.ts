import type { StateCreator } from 'zustand';
import type { Job } from '../../../../shared/types';
import { request } from '../../app/request';
import type { Store } from '../../app/store';
import { JOB_LIMIT } from './job-updates';

/**
 * Recent jobs, loaded here and then kept current by job.updated events (app/events.ts).
 * `selectedJobId` is the row last opened, marked when the list is shown again.
 */
export interface JobsSlice {
  jobs: Job[];
  /** True once the first jobs.list answered: an empty list means "no jobs yet" only then. */
  jobsLoaded: boolean;
  jobsError: string | null;
  selectedJobId: string | null;
  loadJobs: () => Promise<void>;
  selectJob: (id: string | null) => void;
}

export const createJobsSlice: StateCreator<Store, [], [], JobsSlice> = (set) => ({
  jobs: [],
  jobsLoaded: false,
  jobsError: null,
  selectedJobId: null,
  loadJobs: async () => {
    await request(set, (api) => api['jobs.list']({ limit: JOB_LIMIT }), {
      errorKey: 'jobsError',
      onData: (page) => ({ jobs: page.items, jobsLoaded: true }),
    });
  },
  selectJob: (id) => set({ selectedJobId: id }),
});
