import { focusJobList, startNewTask } from '../frame-actions';
import type { ViewName } from '../routing/routes';
import { useTickrStore } from '../store';

/** A command the palette offers on one view; `shortcut` is the key that does the same (with Ctrl/⌘). */
export interface ViewAction {
  id: string;
  label: string;
  keywords: string[];
  shortcut?: string;
  run: () => void;
}

const newTaskAction: ViewAction = {
  id: 'new-task',
  label: 'New task',
  keywords: ['create', 'add', 'shell'],
  shortcut: 'N',
  run: startNewTask,
};

const exampleTaskAction: ViewAction = {
  id: 'example-task',
  label: 'Create an example task',
  keywords: ['hello', 'demo', 'try'],
  run: () => void useTickrStore.getState().createExampleTask(),
};

const focusJobListAction: ViewAction = {
  id: 'focus-job-list',
  label: 'Focus the job list (then j / k)',
  keywords: ['select', 'browse'],
  run: focusJobList,
};

/** Each view's own actions; the views still to be built have none yet. */
export const VIEW_ACTIONS: Record<ViewName, readonly ViewAction[]> = {
  dashboard: [exampleTaskAction, newTaskAction],
  tasks: [newTaskAction, exampleTaskAction],
  queues: [],
  jobs: [focusJobListAction],
  events: [],
  diagnostics: [],
  settings: [],
};
