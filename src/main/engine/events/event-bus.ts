import type { EventMessage, EventName, EventPayloads } from '../../../shared/contract';

type Listener = (message: EventMessage) => void;

/** Engine → clients events. A throwing listener never breaks the engine or other listeners. */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  emit<E extends EventName>(event: E, data: EventPayloads[E]): void {
    const message = { event, data } as EventMessage;
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch {
        // A client's bug must not stop the scheduler.
      }
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get size(): number {
    return this.listeners.size;
  }
}
