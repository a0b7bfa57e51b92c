import { jobRowId } from '../views/Jobs/components/JobRow';
import { TASK_NAME_FIELD_ID } from '../views/Tasks/components/TaskEditor';
import { focusSoon, KEYBOARD_LIST, VIEW_TITLE_ID, viewFocusTarget } from './focus';
import type { ViewName } from './routing/routes';
import { useTickrStore } from './store';

/**
 * What the keyboard, the command palette and the frame's buttons do, in one place so that a
 * shortcut and its palette entry cannot drift apart. Module-level actions on the store (zustand's
 * pattern) plus the focus moves that go with them.
 */

const byId = (id: string) => () => document.getElementById(id);

/** Where focus was when the palette opened: it goes back there when the palette is dismissed. */
let focusBeforePalette: HTMLElement | null = null;

export function openPalette(): void {
  if (useTickrStore.getState().paletteOpen) return;
  focusBeforePalette = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  useTickrStore.setState({ paletteOpen: true });
  // Tasks are found by name: read them once if no view has yet (the Dashboard does not).
  const { tasksLoaded, loadTasks, auth } = useTickrStore.getState();
  if (!tasksLoaded && auth === 'ok') void loadTasks();
}

/** Closes the palette without running anything (Esc, a click outside, Ctrl+K again). */
export function closePalette(): void {
  if (!useTickrStore.getState().paletteOpen) return;
  useTickrStore.setState({ paletteOpen: false });
  const previous = focusBeforePalette;
  focusBeforePalette = null;
  if (previous !== null) focusSoon(() => (previous.isConnected ? previous : null), 1);
}

export function togglePalette(): void {
  if (useTickrStore.getState().paletteOpen) closePalette();
  else openPalette();
}

/**
 * Closes the palette to run one of its commands. Focus goes back where it was, unless the command
 * moves it: its own focusSoon runs after the one closePalette scheduled.
 */
export function runFromPalette(command: () => void): void {
  closePalette();
  command();
}

export function goToView(view: ViewName): void {
  useTickrStore.getState().navigate({ view, id: null });
  focusSoon(byId(VIEW_TITLE_ID));
}

/** Focuses the Jobs view's list, where j and k move the selection. */
export function focusJobList(): void {
  focusSoon(() => document.querySelector<HTMLElement>(`[${KEYBOARD_LIST}="jobs"]`));
}

/** Shows the job on the Jobs view (`#/jobs/<id>`), with the list focused for j and k. */
export function openJob(id: string): void {
  useTickrStore.getState().navigate({ view: 'jobs', id });
  focusJobList();
}

/** Ctrl+N and the palette's "New task": the task editor (`#/tasks/new`) with its first field focused. */
export function startNewTask(): void {
  closePalette();
  useTickrStore.getState().navigate({ view: 'tasks', id: 'new' });
  focusSoon(byId(TASK_NAME_FIELD_ID));
}

/** `/`: the current view's search field, or its first field, or its job list (focus.ts). */
export function focusViewField(): void {
  viewFocusTarget()?.focus();
}

/** j / k: the next or previous job of the list (the first when none is selected), kept in view. */
export function moveJobSelection(step: 1 | -1): void {
  const { jobs, selectedJobId, navigate } = useTickrStore.getState();
  const index = jobs.findIndex((j) => j.id === selectedJobId);
  const job = jobs[index < 0 ? 0 : Math.min(Math.max(index + step, 0), jobs.length - 1)];
  if (job === undefined) return;
  // One history entry for the list, not one per keystroke.
  navigate({ view: 'jobs', id: job.id }, { replace: true });
  setTimeout(() => document.getElementById(jobRowId(job.id))?.scrollIntoView?.({ block: 'nearest' }), 0);
}
