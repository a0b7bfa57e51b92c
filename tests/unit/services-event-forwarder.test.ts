import { describe, expect, it } from 'vitest';
import { forwardServiceEvents, type EventSink } from '../../src/main/services/event-forwarder';
import type { ServiceEvent } from '../../src/main/services/supervisor';

function event(n: number): ServiceEvent {
  return {
    level: 'info',
    kind: 'service.started',
    message: `event ${n}`,
    data: { service: 'redis', port: 1, restarts: n },
  };
}

function fakeSink(): EventSink & { ready: boolean; recorded: string[] } {
  return {
    ready: false,
    recorded: [],
    get storeReady() {
      return this.ready;
    },
    async recordSystemEvent(e) {
      this.recorded.push(e.message);
    },
  };
}

describe('forwardServiceEvents', () => {
  it('records at once when MySQL is ready, with the time it happened', async () => {
    const seen: Record<string, unknown>[] = [];
    const forward = forwardServiceEvents(() => ({
      storeReady: true,
      recordSystemEvent: async (e) => {
        seen.push(e.data ?? {});
      },
    }));
    forward(event(1));
    expect(seen).toHaveLength(1);
    expect(typeof seen[0]!.at).toBe('string');
    forward.close();
  });

  it('holds what comes before the engine or before MySQL, and records it in order once ready', async () => {
    const sink = fakeSink();
    let engine: EventSink | null = null;
    const forward = forwardServiceEvents(() => engine, { flushMs: 10 });
    forward(event(1));
    engine = sink;
    forward(event(2));
    expect(sink.recorded).toEqual([]);
    sink.ready = true;
    await new Promise((r) => setTimeout(r, 50));
    expect(sink.recorded).toEqual(['event 1', 'event 2']);
    forward(event(3));
    expect(sink.recorded).toEqual(['event 1', 'event 2', 'event 3']);
    forward.close();
  });

  it('keeps only the newest events while MySQL stays away', async () => {
    const sink = fakeSink();
    const forward = forwardServiceEvents(() => sink, { maxPending: 2, flushMs: 10 });
    for (let n = 1; n <= 4; n++) forward(event(n));
    sink.ready = true;
    await new Promise((r) => setTimeout(r, 50));
    expect(sink.recorded).toEqual(['event 3', 'event 4']);
    forward.close();
  });
});
