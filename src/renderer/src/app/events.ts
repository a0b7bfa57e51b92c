import type { EventMessage } from '../../../shared/contract';
import type { TickrClient } from '../api-client';
import { appendLog, upsertJob } from '../views/Jobs/job-updates';
import { jobMoved, refreshQueuesIfShown } from '../views/Queues/queue-updates';
import { useTickrStore } from './store';

/**
 * The one place engine events reach the page: each event becomes a store update. Components
 * never subscribe themselves, so there is one subscription however many components render.
 */
export function applyEvent(message: EventMessage): void {
  switch (message.event) {
    case 'job.updated': {
      const job = (message as EventMessage<'job.updated'>).data;
      useTickrStore.setState((s) => ({ jobs: upsertJob(s.jobs, job) }));
      jobMoved(useTickrStore, job);
      return;
    }
    case 'job.log': {
      const { jobId, entries } = (message as EventMessage<'job.log'>).data;
      // Returning the state itself for another job's log leaves the store as it is: no listener runs.
      useTickrStore.setState((s) => (s.selectedJobId === jobId ? { log: appendLog(s.log, entries) } : s));
      return;
    }
    case 'health.changed': {
      const health = (message as EventMessage<'health.changed'>).data;
      useTickrStore.setState({ health, healthError: null });
      return;
    }
    case 'queue.changed':
      refreshQueuesIfShown(useTickrStore);
      return;
    default:
      // event.appended has no view on this page yet.
      return;
  }
}

export function connectEvents(api: Pick<TickrClient, 'onEvent'>): () => void {
  return api.onEvent(applyEvent);
}

/**
 * After the event stream was cut and is back, the events of the gap are lost: re-read what the
 * page shows (the health, the recent jobs, and the queue lanes if they are on screen).
 */
export function rereadAfterReconnect(): void {
  const { auth, loadHealth, loadJobs } = useTickrStore.getState();
  if (auth !== 'ok') return;
  void loadHealth();
  void loadJobs();
  refreshQueuesIfShown(useTickrStore);
}
