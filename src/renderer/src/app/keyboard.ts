import { KEYBOARD_LIST } from './focus';
import {
  closePalette,
  focusViewField,
  moveJobSelection,
  openHighlightedJob,
  startNewTask,
  togglePalette,
} from './frame-actions';
import { useTickrStore } from './store';

/**
 * Every keyboard shortcut of the page, in one window listener:
 *
 *   Ctrl/Cmd+K   open or close the command palette (also from inside a field)
 *   Ctrl/Cmd+N   new task: the Tasks view, its form focused (browsers keep Ctrl+N for a new
 *                window, so in a browser tab the palette's "New task" is the way)
 *   /            focus the view's search or first field (not while typing in one)
 *   Esc          close the palette
 *   j / k, ↓ / ↑ highlight the next / previous job, while the job list has focus
 *   Enter        open the highlighted job, while the job list has focus
 *
 * Inside the palette, cmdk handles ↑, ↓ and Enter itself.
 */

/** Input types that take no text: `/`, j and k typed on them are still shortcuts. */
const NON_TEXT_INPUTS: ReadonlySet<string> = new Set([
  'button',
  'checkbox',
  'color',
  'file',
  'image',
  'radio',
  'range',
  'reset',
  'submit',
]);

/** Whether keys typed at `target` are text (a text field, a select, an editable element). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement)
    return true;
  return target instanceof HTMLInputElement && !NON_TEXT_INPUTS.has(target.type);
}

function inKeyboardList(target: EventTarget | null, list: string): boolean {
  return target instanceof Element && target.closest(`[${KEYBOARD_LIST}="${list}"]`) !== null;
}

const NEXT_KEYS: ReadonlySet<string> = new Set(['j', 'ArrowDown']);
const PREVIOUS_KEYS: ReadonlySet<string> = new Set(['k', 'ArrowUp']);

export function handleKeydown(event: KeyboardEvent): void {
  // Handled already (cmdk's Enter, Radix's Esc), or a key that composes a character.
  if (event.defaultPrevented || event.isComposing) return;
  // Without a usable token the page shows only how to get one: nothing to jump to.
  if (useTickrStore.getState().auth !== 'ok') return;

  const withCommandKey = event.ctrlKey || event.metaKey;
  if (withCommandKey) {
    if (event.altKey || event.shiftKey) return;
    const key = event.key.toLowerCase();
    if (key === 'k') togglePalette();
    else if (key === 'n') startNewTask();
    else return;
    event.preventDefault();
    return;
  }
  if (event.key === 'Escape') {
    closePalette();
    return;
  }
  if (event.altKey || isTypingTarget(event.target)) return;

  if (event.key === '/') {
    event.preventDefault();
    focusViewField();
  } else if (inKeyboardList(event.target, 'jobs') && (NEXT_KEYS.has(event.key) || PREVIOUS_KEYS.has(event.key))) {
    // Arrows would also scroll the page.
    event.preventDefault();
    moveJobSelection(NEXT_KEYS.has(event.key) ? 1 : -1);
  } else if (
    event.key === 'Enter' &&
    event.target instanceof Element &&
    event.target.matches(`[${KEYBOARD_LIST}="jobs"]`)
  ) {
    // Only on the list itself: Enter on a link or button inside it does what that control does.
    if (openHighlightedJob()) event.preventDefault();
  }
}

export function startKeyboard(win: Window = window): () => void {
  win.addEventListener('keydown', handleKeydown);
  return () => win.removeEventListener('keydown', handleKeydown);
}
