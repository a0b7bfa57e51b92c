import type { Job } from '../../../../shared/types';
import type { Store } from '../../app/store';

/**
 * What engine events mean for the queue lanes, applied by app/events.ts. The lanes are re-read
 * only while they are shown: the Queues view reads them again when it mounts.
 */

type StoreApi = { getState: () => Store; setState: (partial: Partial<Store>) => void };

export function refreshQueuesIfShown(store: StoreApi): void {
  const state = store.getState();
  if (state.auth === 'ok' && state.route.view === 'queues') void state.refreshQueues();
}

const FINISHED: ReadonlySet<Job['status']> = new Set(['succeeded', 'failed']);

/**
 * A job changed: the lanes moved. A job that finished also changes its task's median, so that
 * task's statistics are dropped, to be read again with the next snapshot.
 */
export function jobMoved(store: StoreApi, job: Job): void {
  const { durations } = store.getState();
  if (FINISHED.has(job.status) && durations[job.taskId] !== undefined) {
    const rest = { ...durations };
    delete rest[job.taskId];
    store.setState({ durations: rest });
  }
  refreshQueuesIfShown(store);
}
