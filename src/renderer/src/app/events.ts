import type { EventMessage } from '../../../shared/contract';
import type { TickrClient } from '../api-client';
import { dashboardOnEvent } from '../views/Dashboard/live';
import { liveLogUpdate, resumeLogOnceEnded } from '../views/JobDetail/log/log-updates';
import { bulkProgressUpdate } from '../views/Jobs/bulk-slice';
import { applyJobUpdate } from '../views/Jobs/job-updates';
import { refreshDetailIfShown } from '../views/JobDetail/detail-updates';
import { jobMoved, refreshQueuesIfShown } from '../views/Queues/queue-updates';
import { foldJobIntoStrip } from '../views/Tasks/task-list-model';
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
      useTickrStore.setState((s) => {
        const jobs = applyJobUpdate(s.jobs, job, { filter: s.jobsFilter, complete: s.jobsNextCursor === null });
        return jobs === s.jobs ? s : { jobs };
      });
      jobMoved(useTickrStore, job);
      applyJobToTasks(job);
      resumeLogOnceEnded(useTickrStore.getState(), job);

      refreshDetailIfShown(useTickrStore, job);
      return;
    }
    case 'job.log': {
      const { jobId, entries } = (message as EventMessage<'job.log'>).data;
      // Returning the state itself for another job's log leaves the store as it is: no listener runs.
      useTickrStore.setState((s) => (s.logJobId === jobId ? liveLogUpdate(s, entries) : s));
      return;
    }
    case 'health.changed': {
      const health = (message as EventMessage<'health.changed'>).data;
      const mysqlWas = useTickrStore.getState().health?.mysql.status;
      useTickrStore.setState({ health, healthError: null });
      // What the page read while MySQL was away (or not reached yet, at a node's first start)
      // failed or is stale: read it again once MySQL is back, as after a lost event stream.
      if (mysqlWas !== undefined && mysqlWas !== 'up' && health.mysql.status === 'up') rereadAfterReconnect();
      return;
    }
    case 'bulk.progress': {
      const op = (message as EventMessage<'bulk.progress'>).data;
      useTickrStore.setState((s) => bulkProgressUpdate(s, op) ?? s);
      return;
    }
    case 'queue.changed':
      refreshQueuesIfShown(useTickrStore);
      return;
    case 'settings.progress': {
      const settingsApply = (message as EventMessage<'settings.progress'>).data;
      useTickrStore.setState({ settingsApply });
      // Applied: the settings (and the engine behind them) are new; re-read what they are.
      if (settingsApply.state === 'done' || settingsApply.state === 'failed')
        void useTickrStore.getState().loadSettings();
      return;
    }

    case 'event.appended':
      // The dashboard saw it above; the Events view puts it on top if its filter shows it.
      useTickrStore.getState().eventAppended((message as EventMessage<'event.appended'>).data);
      return;
    default:
      return;
  }
}

/**
 * A job of a listed task goes into that task's strip. A job not seen before means the task made
 * an occurrence (or ran now), so its next run moved: that one task is re-read, once per new job.
 */
function applyJobToTasks(job: EventMessage<'job.updated'>['data']): void {
  const state = useTickrStore.getState();
  const strip = state.recentRuns[job.taskId];
  if (strip === undefined) return;
  const isNew = !strip.some((r) => r.id === job.id);
  useTickrStore.setState((s) => ({ recentRuns: { ...s.recentRuns, [job.taskId]: foldJobIntoStrip(strip, job) } }));
  if (isNew) void state.refreshTask(job.taskId);
}

export function connectEvents(api: Pick<TickrClient, 'onEvent' | 'onReconnect'>): () => void {
  const stopEvents = api.onEvent(applyEvent);
  const stopReconnect = api.onReconnect?.(rereadAfterReconnect);
  return () => {
    stopEvents();
    stopReconnect?.();
  };
}

/**
 * After the event stream was cut and is back, the events of the gap are lost: re-read what the
 * page shows (the health, the job history under its filter, a bulk operation it follows, the open
 * job's log from its last line, the queue lanes if they are on screen, the events timeline once
 * read, and the diagnostics on screen).
 */
export function rereadAfterReconnect(): void {
  const { auth, loadHealth, loadJobs, loadTasks, tasksLoaded, route, loadDashboard, logJobId, resumeLog } =
    useTickrStore.getState();
  if (auth !== 'ok') return;
  if (logJobId !== null) void resumeLog();
  void loadHealth();
  void loadJobs();
  if (route.view === 'jobs' || useTickrStore.getState().bulkOp !== null) void useTickrStore.getState().loadBulkOps();
  if (tasksLoaded) void loadTasks();
  refreshQueuesIfShown(useTickrStore);
  if (route.view === 'dashboard') void loadDashboard();
  refreshDetailIfShown(useTickrStore, null);

  const { loadEvents, diagnostics, runDiagnostics } = useTickrStore.getState();
  if (route.view === 'events') void loadEvents();
  if (route.view === 'diagnostics' && diagnostics !== null) void runDiagnostics();
}
