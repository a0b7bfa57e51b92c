import type { ServiceEvent } from './supervisor';

/** What the forwarder needs of the engine (Engine satisfies it). */
export interface EventSink {
  readonly storeReady: boolean;
  recordSystemEvent(event: {
    level: ServiceEvent['level'];
    kind: string;
    message: string;
    data?: Record<string, unknown>;
  }): Promise<void>;
}

export interface ForwarderOptions {
  /** Events kept while MySQL is not ready; beyond it the oldest go (a crash loop repeats itself). */
  maxPending?: number;
  /** How often held events are retried. */
  flushMs?: number;
}

export interface EventForwarder {
  (event: ServiceEvent): void;
  /** Stops the retry timer; what is still held is dropped. */
  close(): void;
}

/**
 * Turns the supervisors' reports into system events. The managed servers start before the
 * engine and before MySQL answers, so a report that comes before then is held and recorded once
 * MySQL is ready, with the time it happened in `data.at`; otherwise the first start's events
 * would only ever be log lines.
 */
export function forwardServiceEvents(sink: () => EventSink | null, options: ForwarderOptions = {}): EventForwarder {
  const maxPending = options.maxPending ?? 50;
  const pending: ServiceEvent[] = [];
  let timer: NodeJS.Timeout | null = null;

  const record = (target: EventSink, event: ServiceEvent): void => {
    void target.recordSystemEvent({ ...event, data: { ...event.data } });
  };

  const flush = (): void => {
    const target = sink();
    if (target === null || !target.storeReady) return;
    for (const event of pending.splice(0)) record(target, event);
    if (timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };

  const forward = ((event: ServiceEvent) => {
    const stamped: ServiceEvent = { ...event, data: { ...event.data, at: new Date().toISOString() } };
    pending.push(stamped);
    if (pending.length > maxPending) pending.shift();
    flush();
    if (pending.length > 0 && timer === null) {
      timer = setInterval(flush, options.flushMs ?? 1_000);
      timer.unref();
    }
  }) as EventForwarder;
  forward.close = () => {
    if (timer !== null) clearInterval(timer);
    timer = null;
    pending.length = 0;
  };
  return forward;
}
