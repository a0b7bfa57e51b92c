import type { EventMessage } from '../../../../shared/contract';
import { TERMINAL_STATUSES } from '../../../../shared/schemas';
import type { Health } from '../../../../shared/types';
import { useTickrStore } from '../../app/store';
import type { DashboardPart } from './slice';

/**
 * How the dashboard follows the engine's events: each event marks the parts it changes, and one
 * re-read of those parts follows COALESCE_MS later, however many events came meanwhile (200 jobs
 * finishing in a second cost one jobs.counts, not 200). Nothing is read while the dashboard is not
 * shown; opening it loads everything (index.tsx).
 */
export const COALESCE_MS = 1_000;

const pending = new Set<DashboardPart>();
let timer: ReturnType<typeof setTimeout> | null = null;

function shown(): boolean {
  return useTickrStore.getState().route.view === 'dashboard';
}

/** Re-reads `parts` once, COALESCE_MS from the first call since the last re-read. */
export function refreshSoon(parts: readonly DashboardPart[]): void {
  if (!shown()) return;
  for (const p of parts) pending.add(p);
  timer ??= setTimeout(() => {
    timer = null;
    const due = [...pending];
    pending.clear();
    if (shown()) void useTickrStore.getState().loadDashboard(due);
  }, COALESCE_MS);
}

/** Drops a re-read still waiting; tests call it between cases. */
export function cancelRefresh(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  pending.clear();
}

const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_STATUSES);

function cameBack(before: Health | null, after: Health): boolean {
  return (
    before === null ||
    (before.redis.status !== 'up' && after.redis.status === 'up') ||
    (before.mysql.status !== 'up' && after.mysql.status === 'up')
  );
}

/**
 * Called by app/events.ts for every event, with the health as it was before this event. A job
 * that changes status moves the counts; one that finishes, the throughput; a new waiting job (a
 * schedule's next occurrence, a task created or edited) the upcoming runs. Every health report
 * adds a latency sample and re-reads the nodes, whose heartbeats it also ages; a service that comes
 * back (maybe another server now) has its facts re-read, as has Redis after a rebuild.
 */
export function dashboardOnEvent(message: EventMessage, healthBefore: Health | null): void {
  switch (message.event) {
    case 'job.updated': {
      const job = (message as EventMessage<'job.updated'>).data;
      const parts: DashboardPart[] = ['counts'];
      if (TERMINAL.has(job.status)) parts.push('throughput');
      if (job.status === 'waiting' && job.attempt === 0) parts.push('upcoming');
      refreshSoon(parts);
      return;
    }
    case 'health.changed': {
      const health = (message as EventMessage<'health.changed'>).data;
      useTickrStore.getState().appendLatency(health, new Date());
      refreshSoon(cameBack(healthBefore, health) ? ['nodes', 'history'] : ['nodes']);
      return;
    }
    case 'event.appended': {
      const event = (message as EventMessage<'event.appended'>).data;
      if (event.kind === 'redis.rebuilt') refreshSoon(['history', 'counts']);
      return;
    }
    default:
      return;
  }
}
