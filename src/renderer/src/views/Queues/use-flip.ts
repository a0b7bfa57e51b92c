import { useLayoutEffect, useRef, type RefObject } from 'react';

/** The attribute that names a row for FLIP: its key (a job id), stable across renders. */
export const FLIP_KEY = 'data-flip-key';

const MOVE_MS = 220;
const ENTER_MS = 180;

/**
 * How far a row's running move animation has it shifted right now: a new move starts from where
 * the row is seen, not from where it was laid out, so a row interrupted mid-glide does not jump.
 */
function shiftNow(row: HTMLElement): number {
  const transform = getComputedStyle(row).transform;
  if (transform === '' || transform === 'none' || typeof DOMMatrixReadOnly !== 'function') return 0;
  return new DOMMatrixReadOnly(transform).m42;
}

function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * Animates the rows of a list when they move (FLIP: First, Last, Invert, Play). After each render
 * it reads where every keyed row now is; a row that was elsewhere before is shifted back there
 * with a transform and played to its new place, a new row fades in. Only transforms and opacity
 * change, so nothing is laid out again and the lanes keep their size. With prefers-reduced-motion,
 * rows simply are where they are.
 *
 * Rows are the list's direct children with FLIP_KEY; the list should be `position: relative`, so
 * that offsetTop is measured from it.
 */
export function useFlip(listRef: RefObject<HTMLElement | null>): void {
  const previous = useRef(new Map<string, number>());
  const moving = useRef(new WeakMap<HTMLElement, Animation>());
  const laidOut = useRef(false);
  // On every render: a snapshot that moves rows is a render like any other.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list === null) return;
    const animate = !reducedMotion();
    const firstLayout = !laidOut.current;
    laidOut.current = true;
    const now = new Map<string, number>();
    for (const row of list.children) {
      if (!(row instanceof HTMLElement)) continue;
      const key = row.getAttribute(FLIP_KEY);
      if (key === null) continue;
      const top = row.offsetTop;
      now.set(key, top);
      // jsdom and old engines have no Web Animations: the rows then just move.
      if (!animate || typeof row.animate !== 'function') continue;
      const before = previous.current.get(key);
      if (before === undefined) {
        // The first render shows the lane as it is; only rows arriving later fade in.
        if (!firstLayout) row.animate([{ opacity: 0 }, { opacity: 1 }], { duration: ENTER_MS, easing: 'ease-out' });
      } else if (before !== top) {
        const running = moving.current.get(row);
        const from = before + (running === undefined ? 0 : shiftNow(row));
        running?.cancel();
        const move = row.animate([{ transform: `translateY(${from - top}px)` }, { transform: 'none' }], {
          duration: MOVE_MS,
          easing: 'ease-out',
        });
        moving.current.set(row, move);
      }
    }
    previous.current = now;
  });
}
