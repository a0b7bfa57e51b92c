import type { EventMessage } from '../../../shared/contract';
import type { TickrClient } from '../api-client';
import { dashboardOnEvent } from '../views/Dashboard/live';
import { appendLog, upsertJob } from '../views/Jobs/job-updates';
import { useTickrStore } from './store';

/**
 * The one place engine events reach the page: each event becomes a store update. Components
 * never subscribe themselves, so there is one subscription however many components render.
 */
export function applyEvent(message: EventMessage): void {
  // Before the store changes: the dashboard compares the health before and after.
  dashboardOnEvent(message, useTickrStore.getState().health);
  switch (message.event) {
    case 'job.updated': {
      const job = (message as EventMessage<'job.updated'>).data;
      useTickrStore.setState((s) => ({ jobs: upsertJob(s.jobs, job) }));
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
    default:
      // queue.changed has no view on this page yet; event.appended reaches only the dashboard.
      return;
  }
}

export function connectEvents(api: Pick<TickrClient, 'onEvent'>): () => void {
  return api.onEvent(applyEvent);
}
