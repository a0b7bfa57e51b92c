import { vi } from 'vitest';

/**
 * What cmdk and Radix use that jsdom lacks: ResizeObserver (cmdk's list height) and
 * scrollIntoView (cmdk keeps the selected item in view). Call from beforeEach; vi.unstubAllGlobals
 * and vi.restoreAllMocks undo it.
 */
export function stubLayoutApis(): void {
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe(): void {}
      unobserve(): void {}
      disconnect(): void {}
    },
  );
  if (typeof Element.prototype.scrollIntoView !== 'function') Element.prototype.scrollIntoView = () => {};
}
