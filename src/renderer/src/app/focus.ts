/**
 * Moving the keyboard focus to something a store change is about to render. A change to the store
 * renders in a microtask; the element is looked for a task later, and again a few times while it
 * is not there yet (a view that mounts late), then given up on.
 */
export function focusSoon(find: () => HTMLElement | null, attempts = 5): void {
  setTimeout(() => {
    // The page may be gone by then (a window closing, a test's DOM torn down): nothing to focus.
    if (typeof document === 'undefined') return;
    const element = find();
    if (element !== null) element.focus();
    else if (attempts > 1) focusSoon(find, attempts - 1);
  }, 0);
}

/** The attribute that marks a list whose selection j and k move (keyboard.ts). */
export const KEYBOARD_LIST = 'data-keyboard-list';

const SEARCH_FIELD = 'input[type="search"], [role="searchbox"]';
const TEXT_FIELD = 'input:not([type="hidden"]):not(:disabled), textarea:not(:disabled), select:not(:disabled)';

/** What `/` focuses in the current view: its search field, else its first field, else its keyboard list. */
export function viewFocusTarget(doc: Document = document): HTMLElement | null {
  const main = doc.querySelector('main');
  if (main === null) return null;
  return (
    main.querySelector<HTMLElement>(SEARCH_FIELD) ??
    main.querySelector<HTMLElement>(TEXT_FIELD) ??
    main.querySelector<HTMLElement>(`[${KEYBOARD_LIST}]`)
  );
}

/** The view's title, focused after a jump so that Tab continues from the top of the new view. */
export const VIEW_TITLE_ID = 'view-title';
