import type { StateCreator } from 'zustand';
import { request } from '../../app/request';
import type { Store } from '../../app/store';
import { EXAMPLE_TASK } from './example-task';

export interface TasksSlice {
  creating: boolean;
  createError: string | null;
  /** Creates a shell task that runs once, now; resolves to whether the node accepted it. */
  createShellTask: (name: string, command: string) => Promise<boolean>;
  /** Creates EXAMPLE_TASK and, once accepted, shows the Jobs view, where its job runs. */
  createExampleTask: () => Promise<boolean>;
}

export const createTasksSlice: StateCreator<Store, [], [], TasksSlice> = (set, get) => ({
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
  createExampleTask: async () => {
    const created = await get().createShellTask(EXAMPLE_TASK.name, EXAMPLE_TASK.command);
    if (created) get().navigate({ view: 'jobs', id: null });
    return created;
  },
});
