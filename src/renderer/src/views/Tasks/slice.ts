import type { StateCreator } from 'zustand';
import type { RecentRun, SchedulePreview, Task } from '../../../../shared/types';
import { currentApi } from '../../app/api-source';
import { request } from '../../app/request';
import type { Store } from '../../app/store';
import { EXAMPLE_TASK } from './example-task';
import { toCreateInput, toUpdateInput, type TaskFormState } from './form-model';
import { NO_FILTERS, upsertTask, type TaskFilters } from './task-list-model';

/** A page of the Tasks list; tasks.recentRuns takes up to 200 ids, so one page fits one call. */
export const TASK_PAGE = 100;

export type SaveResult = { ok: true; task: Task } | { ok: false; message: string };

export interface TasksSlice {
  creating: boolean;
  createError: string | null;
  /** Creates a shell task that runs once, now; resolves to whether the node accepted it. */
  createShellTask: (name: string, command: string) => Promise<boolean>;
  /** Creates EXAMPLE_TASK and, once accepted, shows the Jobs view, where its job runs. */
  createExampleTask: () => Promise<boolean>;

  tasks: Task[];
  tasksLoaded: boolean;
  tasksError: string | null;
  tasksCursor: string | null;
  /** The strip of each listed task: its newest jobs, newest first (tasks.recentRuns, then job.updated). */
  recentRuns: Record<string, RecentRun[]>;
  taskFilters: TaskFilters;
  /** Why the last pause, resume, run now or delete from the list failed. */
  taskActionError: string | null;
  /** The task ids with a list action under way: their buttons wait. */
  taskBusy: Record<string, boolean>;
  loadTasks: () => Promise<void>;
  loadMoreTasks: () => Promise<void>;
  /** Re-reads one task (its next run moved when a job of it was made). */
  refreshTask: (id: string) => Promise<void>;
  setTaskFilters: (filters: Partial<TaskFilters>) => void;
  setTaskEnabled: (id: string, enabled: boolean) => Promise<boolean>;
  runTaskNow: (id: string) => Promise<boolean>;
  deleteTask: (id: string, purge: boolean) => Promise<boolean>;

  taskSaveError: string | null;
  /** Creates or updates the task the form stands for; the failure's message names its fields. */
  saveTask: (form: TaskFormState) => Promise<SaveResult>;
  taskLoadError: string | null;
  /** tasks.get for the editor: the task without its secrets' values. */
  loadTask: (id: string) => Promise<Task | null>;
  previewError: string | null;
  preview: SchedulePreview | null;
  /** schedule.preview for the cron field; a newer call wins over a slower older one. */
  loadPreview: (schedule: unknown) => Promise<void>;
}

let previewSeq = 0;

export const createTasksSlice: StateCreator<Store, [], [], TasksSlice> = (set, get) => {
  const loadRuns = async (ids: string[]): Promise<void> => {
    if (ids.length === 0) return;
    await request(set, (api) => api['tasks.recentRuns']({ taskIds: ids }), {
      errorKey: 'tasksError',
      onData: ({ items }) => {
        const runs = { ...get().recentRuns };
        for (const t of items) runs[t.taskId] = t.runs;
        return { recentRuns: runs };
      },
    });
  };
  const busy = (id: string, on: boolean) => set({ taskBusy: { ...get().taskBusy, [id]: on } });
  /** A list action: the answer (the task as it now is) replaces the row. */
  const act = async (id: string, call: () => Promise<Task | null>): Promise<boolean> => {
    busy(id, true);
    const ok = await request(set, () => call(), {
      errorKey: 'taskActionError',
      onData: (task) => (task === null ? {} : { tasks: upsertTask(get().tasks, task) }),
    });
    busy(id, false);
    return ok;
  };
  return {
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

    tasks: [],
    tasksLoaded: false,
    tasksError: null,
    tasksCursor: null,
    recentRuns: {},
    taskFilters: NO_FILTERS,
    taskActionError: null,
    taskBusy: {},
    loadTasks: async () => {
      let ids: string[] = [];
      await request(set, (api) => api['tasks.list']({ limit: TASK_PAGE }), {
        errorKey: 'tasksError',
        onData: (page) => {
          ids = page.items.map((t) => t.id);
          return { tasks: page.items, tasksCursor: page.nextCursor, tasksLoaded: true };
        },
      });
      await loadRuns(ids);
    },
    loadMoreTasks: async () => {
      const cursor = get().tasksCursor;
      if (cursor === null) return;
      let ids: string[] = [];
      await request(set, (api) => api['tasks.list']({ limit: TASK_PAGE, cursor }), {
        errorKey: 'tasksError',
        onData: (page) => {
          ids = page.items.map((t) => t.id);
          const known = new Set(get().tasks.map((t) => t.id));
          return {
            tasks: [...get().tasks, ...page.items.filter((t) => !known.has(t.id))],
            tasksCursor: page.nextCursor,
          };
        },
      });
      await loadRuns(ids);
    },
    refreshTask: async (id) => {
      await request(set, (api) => api['tasks.get']({ id }), {
        errorKey: 'tasksError',
        onData: (task) => ({ tasks: upsertTask(get().tasks, task) }),
      });
    },
    setTaskFilters: (filters) => set({ taskFilters: { ...get().taskFilters, ...filters } }),
    setTaskEnabled: (id, enabled) =>
      act(id, () => (enabled ? currentApi()['tasks.resume']({ id }) : currentApi()['tasks.pause']({ id }))),
    runTaskNow: (id) =>
      act(id, async () => {
        // The job itself arrives as job.updated events, into the strip.
        await currentApi()['tasks.runNow']({ id });
        return null;
      }),
    deleteTask: async (id, purge) => {
      busy(id, true);
      const ok = await request(set, (api) => api['tasks.delete']({ id, purge }), {
        errorKey: 'taskActionError',
        onData: () => {
          const { [id]: _gone, ...runs } = get().recentRuns;
          return { tasks: get().tasks.filter((t) => t.id !== id), recentRuns: runs };
        },
      });
      busy(id, false);
      return ok;
    },

    taskSaveError: null,
    saveTask: async (form) => {
      let saved: Task | null = null;
      const ok = await request(
        set,
        (api) =>
          form.id === null
            ? api['tasks.create'](toCreateInput(form) as never)
            : api['tasks.update'](toUpdateInput(form) as never),
        {
          errorKey: 'taskSaveError',
          onData: (task) => {
            saved = task;
            return get().tasksLoaded ? { tasks: upsertTask(get().tasks, task) } : {};
          },
        },
      );
      if (ok && saved !== null) return { ok: true, task: saved };
      return { ok: false, message: get().taskSaveError ?? 'the task was not saved' };
    },
    taskLoadError: null,
    loadTask: async (id) => {
      let task: Task | null = null;
      await request(set, (api) => api['tasks.get']({ id }), {
        errorKey: 'taskLoadError',
        onData: (t) => {
          task = t;
          return {};
        },
      });
      return task;
    },
    previewError: null,
    preview: null,
    loadPreview: async (schedule) => {
      previewSeq += 1;
      const seq = previewSeq;
      await request(set, (api) => api['schedule.preview']({ schedule: schedule as never, count: 10 }), {
        errorKey: 'previewError',
        onData: (preview) => ({ preview }),
        isCurrent: () => seq === previewSeq,
      });
      if (seq === previewSeq && get().previewError !== null) set({ preview: null });
    },
  };
};
