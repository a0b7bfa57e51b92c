import { scrollJobIntoView } from '../views/Jobs/list-scroll';
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

/** Shows the job's page (`#/jobs/<id>`), its title focused so that Tab continues from the top. */
export function openJob(id: string): void {
  useTickrStore.getState().navigate({ view: 'jobs', id });
  focusSoon(byId(VIEW_TITLE_ID));
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

/** How close to the last loaded row the highlight gets before the next page is read. */
const LOAD_AHEAD_ROWS = 20;

/**
 * j / k: highlights the next or previous job of the history (the first when none is), kept in
 * view, reading the next page as the end comes near. The page stays where it is: Enter opens the
 * job (openHighlightedJob), so moving through the list does not fill the history with job pages.
 */
export function moveJobSelection(step: 1 | -1): void {
  const { jobs, selectedJobId, selectJob, loadMoreJobs } = useTickrStore.getState();
  const index = jobs.findIndex((j) => j.id === selectedJobId);
  const next = index < 0 ? 0 : Math.min(Math.max(index + step, 0), jobs.length - 1);
  const job = jobs[next];
  if (job === undefined) return;
  selectJob(job.id);
  scrollJobIntoView(next);
  if (next >= jobs.length - LOAD_AHEAD_ROWS) void loadMoreJobs();
}

/** Enter in the history: the highlighted job's page (`#/jobs/<id>`). */
export function openHighlightedJob(): boolean {
  const { jobs, selectedJobId, navigate } = useTickrStore.getState();
  if (selectedJobId === null || !jobs.some((j) => j.id === selectedJobId)) return false;
  navigate({ view: 'jobs', id: selectedJobId });
  return true;
}
