import type { StateCreator } from 'zustand';
import { request } from '../../app/request';
import type { Store } from '../../app/store';

export interface TasksSlice {
  creating: boolean;
  createError: string | null;
  /** Creates a shell task that runs once, now; resolves to whether the node accepted it. */
  createShellTask: (name: string, command: string) => Promise<boolean>;
}

export const createTasksSlice: StateCreator<Store, [], [], TasksSlice> = (set) => ({
  creating: false,
  createError: null,
  createShellTask: async (name, command) => {
    set({ creating: true, createError: null });
    // No onData: the task's job shows up in the Jobs view through job.updated events.
    const created = await request(
      set,
      (api) => api['tasks.create']({ name, type: 'shell', command, schedule: { type: 'once' } }),
      { errorKey: 'createError' },
    );
    set({ creating: false });
    return created;
  },
});
