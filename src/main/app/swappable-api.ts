import type { EventMessage } from '../../shared/contract';
import type { ApiHandler } from '../api/types';

/**
 * The API the transports hold, pointing at whichever engine runs now. A settings change swaps
 * the engine (engine-switch.ts); the IPC transport, the notifier and the window keep this one
 * object, and every listener is moved over to the new engine's events without re-subscribing.
 * `emit` adds the shell's own events (settings.progress) to the same stream.
 */
export interface SwappableApi {
  api: ApiHandler;
  swap(next: ApiHandler): void;
  emit(message: EventMessage): void;
}

export function swappableApi(): SwappableApi {
  let current: ApiHandler | null = null;
  let unsubscribe: () => void = () => undefined;
  const listeners = new Set<(message: EventMessage) => void>();
  const deliver = (message: EventMessage): void => {
    for (const listener of [...listeners]) listener(message);
  };
  return {
    api: {
      call: (method, input) =>
        current === null
          ? Promise.resolve({ ok: false, error: { code: 'SHUTTING_DOWN', message: 'the engine is not running yet' } })
          : current.call(method, input),
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    swap(next) {
      unsubscribe();
      current = next;
      unsubscribe = next.subscribe(deliver);
    },
    emit: deliver,
  };
}
