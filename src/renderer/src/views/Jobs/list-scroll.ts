/**
 * The bridge from the keyboard (app/frame-actions.ts) to the virtualized history: a row far from
 * the screen is not in the DOM, so only the list's virtualizer can bring it into view. The list
 * registers its scroller while it is mounted.
 */
type Scroller = (index: number) => void;

let scroller: Scroller | null = null;

export function registerJobScroller(scroll: Scroller): () => void {
  scroller = scroll;
  return () => {
    if (scroller === scroll) scroller = null;
  };
}

/** Brings the row at `index` into view, if the history is on screen. */
export function scrollJobIntoView(index: number): void {
  scroller?.(index);
}
