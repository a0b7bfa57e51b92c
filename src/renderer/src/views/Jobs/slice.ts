import type { StateCreator } from 'zustand';
import { DURATION_STATS_MAX_TASKS, type JobFilter } from '../../../../shared/schemas';
import type { Job, NodeInfo } from '../../../../shared/types';
import { sameFilter } from '../../app/routing/job-filter-params';
import { request } from '../../app/request';
import type { Store } from '../../app/store';
import { appendPage } from './job-updates';

/** The first page is small so that it renders at once; later pages, read while scrolling, are large. */
export const FIRST_PAGE = 100;
export const NEXT_PAGE = 1000;

/**
 * The job history: the jobs the current filter matches, read page by page with keyset cursors
 * (jobs.list's nextCursor) and kept current by job.updated events (app/events.ts).
 * `selectedJobId` is the highlighted row: j / k move it, Enter opens it, and the job page sets it
 * so that the row last opened is marked when the list is shown again.
 */
export interface JobsSlice {
  /** Loaded rows, newest first. */
  jobs: Job[];
  /** True once the first page for `jobsFilter` answered: an empty list means "none" only then. */
  jobsLoaded: boolean;
  /** True once any loadJobs ran: the Jobs view then reads only when its filter differs. */
  jobsRequested: boolean;
  jobsError: string | null;
  /** The filter the rows were read with (the route's, once the Jobs view has been shown). */
  jobsFilter: JobFilter;
  /** Where the next page starts; null when every matching job is loaded. */
  jobsNextCursor: string | null;
  jobsLoadingMore: boolean;
  /** Each listed task's p95 duration (tasks.durationStats), null when it has no finished job. */
  taskP95: Record<string, number | null>;
  jobStatsError: string | null;
  /** The nodes known to MySQL (nodes.list), for the node filter and the rows' node names. */
  jobNodes: NodeInfo[];
  jobNodesError: string | null;
  selectedJobId: string | null;
  /** Reads the first page for `filter` (by default the current one), replacing the rows. */
  loadJobs: (filter?: JobFilter) => Promise<void>;
  /** Reads the next page, if any and if none is being read. */
  loadMoreJobs: () => Promise<void>;
  loadJobNodes: () => Promise<void>;
  selectJob: (id: string | null) => void;
}

/** Bumped by every loadJobs: an answer for an older filter (or an older read) is dropped. */
let generation = 0;

export const createJobsSlice: StateCreator<Store, [], [], JobsSlice> = (set, get) => {
  /** Asks for the p95 of the tasks in `jobs` that have none yet, in calls of at most 200 ids. */
  const loadStats = async (jobs: readonly Job[]): Promise<void> => {
    const known = get().taskP95;
    const missing = [...new Set(jobs.map((j) => j.taskId))].filter((id) => !(id in known));
    for (let i = 0; i < missing.length; i += DURATION_STATS_MAX_TASKS) {
      const taskIds = missing.slice(i, i + DURATION_STATS_MAX_TASKS);
      await request(set, (api) => api['tasks.durationStats']({ taskIds }), {
        errorKey: 'jobStatsError',
        onData: ({ items }) => {
          const taskP95 = { ...get().taskP95 };
          for (const id of taskIds) taskP95[id] = null;
          for (const stats of items) taskP95[stats.taskId] = stats.p95Ms;
          return { taskP95 };
        },
      });
    }
  };

  return {
    jobs: [],
    jobsLoaded: false,
    jobsRequested: false,
    jobsError: null,
    jobsFilter: {},
    jobsNextCursor: null,
    jobsLoadingMore: false,
    taskP95: {},
    jobStatsError: null,
    jobNodes: [],
    jobNodesError: null,
    selectedJobId: null,
    loadJobs: async (filter = get().jobsFilter) => {
      const mine = ++generation;
      // Another filter's rows must not show under this one's controls while it loads.
      if (!sameFilter(filter, get().jobsFilter)) set({ jobs: [], jobsLoaded: false, jobsNextCursor: null });
      set({ jobsFilter: filter, jobsLoadingMore: false, jobsRequested: true });
      let loaded: Job[] = [];
      await request(set, (api) => api['jobs.list']({ limit: FIRST_PAGE, ...filter }), {
        errorKey: 'jobsError',
        isCurrent: () => mine === generation,
        onData: (page) => {
          loaded = page.items;
          return { jobs: page.items, jobsNextCursor: page.nextCursor, jobsLoaded: true };
        },
      });
      if (loaded.length > 0) await loadStats(loaded);
    },
    loadMoreJobs: async () => {
      const { jobsNextCursor: cursor, jobsLoadingMore, jobsFilter: filter, jobsLoaded } = get();
      if (cursor === null || jobsLoadingMore || !jobsLoaded) return;
      const mine = generation;
      set({ jobsLoadingMore: true });
      let loaded: Job[] = [];
      await request(set, (api) => api['jobs.list']({ limit: NEXT_PAGE, cursor, ...filter }), {
        errorKey: 'jobsError',
        isCurrent: () => mine === generation,
        onData: (page) => {
          loaded = page.items;
          return { jobs: appendPage(get().jobs, page.items), jobsNextCursor: page.nextCursor };
        },
      });
      if (mine === generation) set({ jobsLoadingMore: false });
      if (loaded.length > 0) await loadStats(loaded);
    },
    loadJobNodes: async () => {
      await request(set, (api) => api['nodes.list']({}), {
        errorKey: 'jobNodesError',
        onData: ({ items }) => ({ jobNodes: items }),
      });
    },
    selectJob: (id) => set({ selectedJobId: id }),
  };
};
