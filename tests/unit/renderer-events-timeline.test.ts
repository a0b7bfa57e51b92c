import { describe, expect, it } from 'vitest';
import type { SystemEvent } from '../../src/shared/types';
import {
  eventFacts,
  filterInput,
  matchesFilter,
  NO_FILTER,
  timelineEntries,
} from '../../src/renderer/src/views/Events/timeline';

let nextId = 100;
function ev(kind: string, data: Record<string, unknown> = {}, over: Partial<SystemEvent> = {}): SystemEvent {
  nextId += 1;
  return {
    id: String(nextId),
    at: new Date(Date.UTC(2026, 0, 1, 12, 0, nextId % 60)).toISOString(),
    level: kind.endsWith('.down') ? 'error' : 'info',
    kind,
    message: kind,
    nodeId: 'node-aaaa-1',
    data,
    ...over,
  };
}

describe('the outage pairing (events newest first)', () => {
  it('makes a down and its up one ended entry at the up, with start, end and length', () => {
    const down = ev('redis.down', { error: 'connection closed', endedAt: 'x', upEventId: '0' });
    const up = ev('redis.up', { downEventId: down.id, downAt: down.at, durationMs: 4_200 });
    down.data.upEventId = up.id;
    const rebuilt = ev('redis.rebuilt', { jobs: 3 });
    const entries = timelineEntries([up, rebuilt, down]);
    expect(entries.map((e) => e.type)).toEqual(['outage', 'event']);
    expect(entries[0]).toMatchObject({
      type: 'outage',
      service: 'redis',
      start: down.at,
      end: up.at,
      durationMs: 4_200,
      state: 'ended',
      error: 'connection closed',
      key: down.id,
    });
  });

  it('shows an up whose down is on a later page as the whole outage, from the up alone', () => {
    const up = ev('mysql.up', { downEventId: '5', downAt: '2026-01-01T11:00:00.000Z', durationMs: 60_000 });
    expect(timelineEntries([up])).toEqual([
      expect.objectContaining({ service: 'mysql', start: '2026-01-01T11:00:00.000Z', end: up.at, state: 'ended' }),
    ]);
    // When that page comes, the down is not shown a second time.
    const down = ev('mysql.down', { upEventId: up.id, endedAt: up.at }, { id: '5' });
    expect(timelineEntries([up, down])).toHaveLength(1);
  });

  it('shows a closed down without its up (filtered out by level) as ended, from the amended data', () => {
    const down = ev('redis.down', { endedAt: '2026-01-01T12:00:59.000Z', durationMs: 9_000, upEventId: '999' });
    expect(timelineEntries([down])[0]).toMatchObject({
      state: 'ended',
      end: '2026-01-01T12:00:59.000Z',
      durationMs: 9_000,
    });
  });

  it('calls a down with no end ongoing, unless the node started or stopped after it', () => {
    const down = ev('redis.down');
    expect(timelineEntries([down])[0]).toMatchObject({ state: 'ongoing', end: null });
    const restarted = ev('node.started');
    expect(timelineEntries([restarted, down])[1]).toMatchObject({ state: 'unknown' });
    // Another node's start says nothing about this node's outage.
    const other = ev('node.started', {}, { nodeId: 'node-bbbb-2' });
    expect(timelineEntries([other, down])[1]).toMatchObject({ state: 'ongoing' });
  });

  it('keeps each node its own outage: two nodes seeing one Redis outage make two entries', () => {
    const a = ev('redis.down', {}, { nodeId: 'node-a' });
    const b = ev('redis.down', {}, { nodeId: 'node-b' });
    const upA = ev('redis.up', { downEventId: a.id, downAt: a.at, durationMs: 1_000 }, { nodeId: 'node-a' });
    const entries = timelineEntries([upA, b, a]);
    expect(entries.map((e) => (e.type === 'outage' ? `${e.nodeId}:${e.state}` : e.type))).toEqual([
      'node-a:ended',
      'node-b:ongoing',
    ]);
  });
});

describe('the figures each event shows', () => {
  it('gives rebuilds, sweeps, replays, reaped leases, clock jumps and key mismatches their numbers', () => {
    expect(eventFacts(ev('redis.rebuilt', { jobs: 1204, ms: 380, generation: '7' }))).toEqual([
      '1,204 jobs',
      'took 380 ms',
      'generation 7',
    ]);
    expect(eventFacts(ev('sweep.requeued', { count: 1 }))).toEqual(['1 job re-queued']);
    expect(eventFacts(ev('journal.replayed', { records: 40, durationMs: 1_500 }))).toEqual([
      '40 records',
      'took 1.5 s',
    ]);
    expect(eventFacts(ev('recovery.leases', { count: 2, nodes: ['n1'] }))).toEqual(['2 jobs requeued', 'from node n1']);
    expect(eventFacts(ev('clock.jumped', { driftMs: -7_000 }))).toEqual(['−7.0 s']);
    expect(eventFacts(ev('secrets.key_mismatch', { nodeKey: 'aa', clusterKey: 'bb' }))).toEqual([
      'this node aa ≠ cluster bb',
    ]);
    expect(eventFacts(ev('node.started', { nodeId: 'x' }))).toEqual([]);
  });
});

describe('the events filter', () => {
  it('matches live events by least level, kind family or exact kind, and node', () => {
    const warn = ev('redis.rebuilt', {}, { level: 'warn' });
    expect(matchesFilter(warn, NO_FILTER)).toBe(true);
    expect(matchesFilter(warn, { ...NO_FILTER, level: 'warn' })).toBe(true);
    expect(matchesFilter(warn, { ...NO_FILTER, level: 'error' })).toBe(false);
    expect(matchesFilter(warn, { ...NO_FILTER, kind: 'redis.*' })).toBe(true);
    expect(matchesFilter(warn, { ...NO_FILTER, kind: 'redis.up' })).toBe(false);
    expect(matchesFilter(ev('redisx.up'), { ...NO_FILTER, kind: 'redis.*' })).toBe(false);
    expect(matchesFilter(warn, { ...NO_FILTER, nodeId: 'node-other-1' })).toBe(false);
    expect(filterInput(NO_FILTER)).toEqual({});
    expect(filterInput({ level: 'warn', kind: 'sweep.*', nodeId: 'n-12345678' })).toEqual({
      level: 'warn',
      kind: 'sweep.*',
      nodeId: 'n-12345678',
    });
  });
});
