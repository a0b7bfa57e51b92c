import type { StateCreator } from 'zustand';
import { coalesced } from '../../../../shared/coalesced';
import type { JobDetail, JobNeighbours, NodeInfo, Task } from '../../../../shared/types';
import { request } from '../../app/request';
import type { Store } from '../../app/store';

/** What the last Cancel or Retry on the page did, said in a line under the buttons. */
export interface JobActionResult {
  action: 'cancel' | 'retry';
  /** The job a retry made, to link to. */
  jobId: string | null;
  message: string;
}

/**
 * The job page (`#/jobs/<id>`): the job with its attempts, its task, the occurrences around it
 * and the node names. Read when the page opens, then again on each job.updated event for this
 * job (app/events.ts), coalesced, so a running job is followed to its end. The log is its own
 * slice (log/slice.ts).
 */
export interface JobDetailSlice {
  detailJobId: string | null;
  jobDetail: JobDetail | null;
  jobDetailError: string | null;
  detailTask: Task | null;
  detailNeighbours: JobNeighbours | null;
  /** Node id → name, for the nodes the page names. */
  detailNodeNames: Record<string, string>;
  jobAction: JobActionResult | null;
  jobActionError: string | null;
  /** True while a Cancel or Retry waits for its answer: the buttons are disabled meanwhile. */
  jobActionBusy: boolean;
  openJobDetail: (jobId: string) => Promise<void>;
  /** Re-reads the open job (and its neighbours): one read however many updates arrive meanwhile. */
  refreshJobDetail: () => Promise<void>;
  closeJobDetail: () => void;
  cancelDetailJob: () => Promise<void>;
  retryDetailJob: () => Promise<void>;
}

const CLOSED = {
  detailJobId: null,
  jobDetail: null,
  jobDetailError: null,
  detailTask: null,
  detailNeighbours: null,
  jobAction: null,
  jobActionError: null,
  jobActionBusy: false,
} satisfies Partial<JobDetailSlice>;

export const createJobDetailSlice: StateCreator<Store, [], [], JobDetailSlice> = (set, get) => {
  const readJob = async (jobId: string): Promise<void> => {
    const isCurrent = () => get().detailJobId === jobId;
    await request(set, (api) => api['jobs.get']({ id: jobId }), {
      errorKey: 'jobDetailError',
      onData: (job) => ({ jobDetail: job }),
      isCurrent,
    });
    // The neighbours change as the schedule makes the next occurrence; read with the job.
    await request(set, (api) => api['jobs.neighbours']({ id: jobId }), {
      errorKey: 'jobDetailError',
      onData: (detailNeighbours) => ({ detailNeighbours }),
      isCurrent,
    });
  };
  const refresh = coalesced(async () => {
    const jobId = get().detailJobId;
    if (jobId !== null) await readJob(jobId);
  });

  return {
    ...CLOSED,
    detailNodeNames: {},
    openJobDetail: async (jobId) => {
      set({ ...CLOSED, detailJobId: jobId });
      const isCurrent = () => get().detailJobId === jobId;
      await readJob(jobId);
      const job = get().jobDetail;
      if (!isCurrent() || job === null) return;
      await Promise.all([
        request(set, (api) => api['tasks.get']({ id: job.taskId }), {
          errorKey: 'jobDetailError',
          onData: (detailTask) => ({ detailTask }),
          isCurrent,
        }),
        request(set, (api) => api['nodes.list']({}), {
          errorKey: 'jobDetailError',
          onData: ({ items }) => ({ detailNodeNames: nodeNames(items) }),
          isCurrent,
        }),
      ]);
    },
    refreshJobDetail: refresh,
    closeJobDetail: () => set(CLOSED),
    cancelDetailJob: async () => {
      const jobId = get().detailJobId;
      if (jobId === null || get().jobActionBusy) return;
      set({ jobActionBusy: true, jobAction: null });
      await request(set, (api) => api['jobs.cancel']({ id: jobId }), {
        errorKey: 'jobActionError',
        onData: (job) => ({
          jobAction: {
            action: 'cancel',
            jobId: null,
            message: job.status === 'running' ? 'Cancel requested: the node is stopping the run.' : 'Cancelled.',
          },
        }),
        isCurrent: () => get().detailJobId === jobId,
      });
      set({ jobActionBusy: false });
      await refresh();
    },
    retryDetailJob: async () => {
      const jobId = get().detailJobId;
      if (jobId === null || get().jobActionBusy) return;
      set({ jobActionBusy: true, jobAction: null });
      await request(set, (api) => api['jobs.retry']({ id: jobId }), {
        errorKey: 'jobActionError',
        onData: (job) => ({ jobAction: { action: 'retry', jobId: job.id, message: `Retried as job ${job.id}.` } }),
        isCurrent: () => get().detailJobId === jobId,
      });
      set({ jobActionBusy: false });
      await refresh();
    },
  };
};

function nodeNames(nodes: readonly NodeInfo[]): Record<string, string> {
  return Object.fromEntries(nodes.map((n) => [n.id, n.name]));
}
