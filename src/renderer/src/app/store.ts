import { create } from 'zustand';
import { createHealthSlice, type HealthSlice } from '../views/Dashboard/slice';
import { createJobsSlice, type JobsSlice } from '../views/Jobs/slice';
import { createTasksSlice, type TasksSlice } from '../views/Tasks/slice';
import { createAuthSlice, type AuthSlice } from './auth-slice';

/**
 * The page's one store, built from one slice per view plus the frame's auth (zustand's slices
 * pattern). Components read one value per selector and call the slices' actions; engine events
 * are applied in events.ts.
 */
export type Store = AuthSlice & HealthSlice & TasksSlice & JobsSlice;

export const useTickrStore = create<Store>()((...args) => ({
  ...createAuthSlice(...args),
  ...createHealthSlice(...args),
  ...createTasksSlice(...args),
  ...createJobsSlice(...args),
}));

/** Puts every slice back to the state it was created with; tests call it between cases. */
export function resetStore(): void {
  useTickrStore.setState(useTickrStore.getInitialState(), true);
}
