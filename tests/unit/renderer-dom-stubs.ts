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

/**
 * Layout for a virtualized list in jsdom, which lays nothing out: elements matching `selector`
 * get a client size (what @tanstack/react-virtual reads to know how many rows fit) and a
 * scrollHeight from their children's inline heights (the virtualizer's spacer), and every element
 * gets a scrollTo that moves scrollTop at once and fires scroll a task later, as a browser does
 * (a test awaits that inside act). Returns the undo.
 */
export function stubScrollLayout(selector: string, size: { width: number; height: number }): () => void {
  const proto = HTMLElement.prototype;
  const savedScrollTo = Object.getOwnPropertyDescriptor(Element.prototype, 'scrollTo');
  Object.defineProperty(proto, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.matches(selector) ? size.height : 0;
    },
  });
  Object.defineProperty(proto, 'clientWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return this.matches(selector) ? size.width : 0;
    },
  });
  Object.defineProperty(proto, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      const content = [...this.children].reduce(
        (sum, child) => sum + (parseFloat((child as HTMLElement).style.height) || 0),
        0,
      );
      return Math.max(this.clientHeight, content);
    },
  });
  Element.prototype.scrollTo = function scrollTo(this: Element, options?: ScrollToOptions | number) {
    const top = typeof options === 'number' ? options : (options?.top ?? this.scrollTop);
    this.scrollTop = Math.max(0, Math.min(top, this.scrollHeight - this.clientHeight));
    setTimeout(() => this.dispatchEvent(new Event('scroll')), 0);
  } as Element['scrollTo'];
  return () => {
    // jsdom keeps its own on Element.prototype: removing the stubs uncovers them again.
    for (const name of ['clientHeight', 'clientWidth', 'scrollHeight']) Reflect.deleteProperty(proto, name);
    if (savedScrollTo === undefined) Reflect.deleteProperty(Element.prototype, 'scrollTo');
    else Object.defineProperty(Element.prototype, 'scrollTo', savedScrollTo);
  };
}
