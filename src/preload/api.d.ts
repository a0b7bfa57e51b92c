import type { EventMessage, TickrApi } from '../shared/contract';

/**
 * The type of `window.tickr`, derived from the contract so that nothing hand-written can drift.
 * Included by tsconfig.web.json for the renderer; the preload checks its object against it.
 */

export type TickrEventListener = (message: EventMessage) => void;

export type TickrBridge = TickrApi & {
  /** Subscribes to engine events; returns the unsubscribe function. */
  onEvent(listener: TickrEventListener): () => void;
};

declare global {
  interface Window {
    /** Present inside the desktop app only; a browser served by `tickr serve` uses HTTP. */
    tickr?: TickrBridge;
  }
}
