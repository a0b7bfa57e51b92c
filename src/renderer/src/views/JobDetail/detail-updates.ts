import type { Job } from '../../../../shared/types';
import type { Store } from '../../app/store';

type StoreApi = { getState: () => Store };

/**
 * A job.updated event (or a reconnect, `job` null) for the job page: re-read the open job when it
 * is the one that changed, or a neighbour of it appeared (the schedule made the next occurrence).
 * refreshJobDetail coalesces, so a burst of updates costs two reads at most.
 */
export function refreshDetailIfShown(store: StoreApi, job: Job | null): void {
  const state = store.getState();
  const open = state.jobDetail;
  if (state.auth !== 'ok' || state.detailJobId === null) return;
  const concerns =
    job === null ||
    job.id === state.detailJobId ||
    (open !== null && job.taskId === open.taskId && state.detailNeighbours?.next === null);
  if (concerns) void state.refreshJobDetail();
}
