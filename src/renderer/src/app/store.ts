import { create } from 'zustand';
import {
  createDashboardSlice,
  createHealthSlice,
  type DashboardSlice,
  type HealthSlice,
} from '../views/Dashboard/slice';
import { createDiagnosticsSlice, type DiagnosticsSlice } from '../views/Diagnostics/slice';
import { createEventsSlice, type EventsSlice } from '../views/Events/slice';
import { createJobLogSlice, type JobLogSlice } from '../views/JobDetail/log/slice';
import { createBulkSlice, type BulkSlice } from '../views/Jobs/bulk-slice';

import { createJobDetailSlice, type JobDetailSlice } from '../views/JobDetail/slice';
import { createJobsSlice, type JobsSlice } from '../views/Jobs/slice';
import { createQueuesSlice, type QueuesSlice } from '../views/Queues/slice';
import { createSettingsSlice, type SettingsSlice } from '../views/Settings/slice';
import { createTasksSlice, type TasksSlice } from '../views/Tasks/slice';
import { createAuthSlice, type AuthSlice } from './auth-slice';
import { createPaletteSlice, type PaletteSlice } from './palette/palette-slice';
import { createRouteSlice, type RouteSlice } from './routing/route-slice';
import { createThemeSlice, type ThemeSlice } from './theme/theme-slice';

/**
 * The page's one store, built from one slice per view plus the frame's own (auth, route, theme,
 * palette), zustand's slices pattern. Components read one value per selector and call the
 * slices' actions; engine events are applied in events.ts, the address bar in routing/router.ts.
 */
export type Store = AuthSlice &
  RouteSlice &
  ThemeSlice &
  PaletteSlice &
  HealthSlice &
  DashboardSlice &
  TasksSlice &
  JobsSlice &
  BulkSlice &
  JobLogSlice &
  JobDetailSlice &
  QueuesSlice &
  SettingsSlice &
  EventsSlice &
  DiagnosticsSlice;

export const useTickrStore = create<Store>()((...args) => ({
  ...createAuthSlice(...args),
  ...createRouteSlice(...args),
  ...createThemeSlice(...args),
  ...createPaletteSlice(...args),
  ...createHealthSlice(...args),
  ...createDashboardSlice(...args),
  ...createTasksSlice(...args),
  ...createJobsSlice(...args),
  ...createBulkSlice(...args),
  ...createJobLogSlice(...args),
  ...createJobDetailSlice(...args),
  ...createQueuesSlice(...args),
  ...createSettingsSlice(...args),

  ...createEventsSlice(...args),
  ...createDiagnosticsSlice(...args),
}));

/** Puts every slice back to the state it was created with; tests call it between cases. */
export function resetStore(): void {
  useTickrStore.setState(useTickrStore.getInitialState(), true);
}
