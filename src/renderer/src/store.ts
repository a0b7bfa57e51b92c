import { create } from 'zustand';
import type { Health, Job, LogEntry } from '../../shared/types';
import { ApiError, getApi } from './api-client';
import { JOB_LIMIT } from './job-updates';

/**
 * The page's state and the actions that load it. Components read one value per selector and call
 * these module-level actions; engine events are applied in events.ts.
 */

/** Whether the page can talk to the node: `missing` (browser without a token) or `invalid` (token refused). */
export type AuthState = 'ok' | 'missing' | 'invalid';

export interface TickrState {
  auth: AuthState;
  health: Health | null;
  healthError: string | null;
  jobs: Job[];
  jobsError: string | null;
  selectedJobId: string | null;
  log: LogEntry[];
  logError: string | null;
  creating: boolean;
  createError: string | null;
}

export const initialState: TickrState = {
  auth: 'ok',
  health: null,
  healthError: null,
  jobs: [],
  jobsError: null,
  selectedJobId: null,
  log: [],
  logError: null,
  creating: false,
  createError: null,
};

export const useTickrStore = create<TickrState>()(() => initialState);

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A refused token makes the page show how to get one instead of panels that can only fail. */
function noteAuthError(err: unknown): void {
  if (err instanceof ApiError && err.code === 'UNAUTHORIZED') useTickrStore.setState({ auth: 'invalid' });
}

export async function loadHealth(): Promise<void> {
  try {
    const health = await getApi()['health.get']({});
    useTickrStore.setState({ health, healthError: null });
  } catch (err) {
    noteAuthError(err);
    useTickrStore.setState({ healthError: messageOf(err) });
  }
}

export async function loadJobs(): Promise<void> {
  try {
    const page = await getApi()['jobs.list']({ limit: JOB_LIMIT });
    useTickrStore.setState({ jobs: page.items, jobsError: null });
  } catch (err) {
    noteAuthError(err);
    useTickrStore.setState({ jobsError: messageOf(err) });
  }
}

export async function selectJob(id: string): Promise<void> {
  useTickrStore.setState({ selectedJobId: id, log: [], logError: null });
  try {
    const page = await getApi()['jobs.logs']({ id });
    // The user may have clicked another job while this one loaded.
    if (useTickrStore.getState().selectedJobId !== id) return;
    useTickrStore.setState({ log: page.items });
  } catch (err) {
    noteAuthError(err);
    if (useTickrStore.getState().selectedJobId === id) useTickrStore.setState({ logError: messageOf(err) });
  }
}

/** Creates a shell task that runs once, now; its job then shows up through job.updated events. */
export async function createShellTask(name: string, command: string): Promise<boolean> {
  useTickrStore.setState({ creating: true, createError: null });
  try {
    await getApi()['tasks.create']({ name, type: 'shell', command, schedule: { type: 'once' } });
    useTickrStore.setState({ creating: false });
    return true;
  } catch (err) {
    noteAuthError(err);
    useTickrStore.setState({ creating: false, createError: messageOf(err) });
    return false;
  }
}
