import type { EventLevel, SystemEvent } from '../../../../shared/types';

/**
 * The system timeline's model, pure so the rules are unit-tested without a page. Outages are
 * paired by the engine (events/system-events.ts): an up event names its down event
 * (`downEventId`, `downAt`, `durationMs`) and the down event, once closed, carries `endedAt`,
 * `durationMs` and `upEventId`. Here the two become one entry.
 */

/** The filters of events.list, as the view holds them ('' for "any"). */
export interface EventFilter {
  level: '' | EventLevel;
  kind: string;
  nodeId: string;
}

export const NO_FILTER: EventFilter = { level: '', kind: '', nodeId: '' };

/** The families the kind filter offers, with what the timeline calls them. */
export const KIND_FAMILIES: readonly { value: string; label: string }[] = [
  { value: 'redis.*', label: 'Redis: outages, rebuilds' },
  { value: 'mysql.*', label: 'MySQL: outages' },
  { value: 'journal.*', label: 'Journal replays' },
  { value: 'node.*', label: 'Nodes joining, leaving' },
  { value: 'recovery.*', label: 'Recovered jobs' },
  { value: 'sweep.*', label: 'Sweeps' },
  { value: 'clock.*', label: 'Clock jumps' },
  { value: 'secrets.*', label: 'Secret keys' },
  { value: 'schedule.*', label: 'Missed schedules' },
  { value: 'store.*', label: 'Unreadable rows' },
];

const SEVERITY: Record<EventLevel, number> = { info: 0, warn: 1, error: 2 };

/** Whether a live event belongs in the list the filter shows (the server's rule, eventsListSchema). */
export function matchesFilter(e: SystemEvent, f: EventFilter): boolean {
  if (f.level !== '' && SEVERITY[e.level] < SEVERITY[f.level]) return false;
  if (f.nodeId !== '' && e.nodeId !== f.nodeId) return false;
  if (f.kind === '') return true;
  return f.kind.endsWith('.*') ? e.kind.startsWith(f.kind.slice(0, -1)) : e.kind === f.kind;
}

/** The filter as events.list takes it: fields left at "any" are left out. */
export function filterInput(f: EventFilter): { level?: EventLevel; kind?: string; nodeId?: string } {
  return {
    ...(f.level !== '' && { level: f.level }),
    ...(f.kind !== '' && { kind: f.kind }),
    ...(f.nodeId !== '' && { nodeId: f.nodeId }),
  };
}

export interface OutageEntry {
  type: 'outage';
  /** The key: the down event's id, else the up event's. */
  key: string;
  service: 'redis' | 'mysql';
  nodeId: string | null;
  start: string;
  end: string | null;
  durationMs: number | null;
  /** `ongoing`: no end yet and nothing later; `unknown`: no end, but the node went on (it stopped or crashed meanwhile). */
  state: 'ended' | 'ongoing' | 'unknown';
  error: string | null;
}

export type TimelineEntry = { type: 'event'; key: string; event: SystemEvent } | OutageEntry;

const OUTAGE_KIND = /^(redis|mysql)\.(down|up)$/;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Events newest first → entries newest first, each outage once: at its up event (its end), or at
 * its down event when the up is not in the list (on a later page, or filtered out by level).
 * A down event with no end is `ongoing` only when no later event of that node says it went on.
 */
export function timelineEntries(events: readonly SystemEvent[]): TimelineEntry[] {
  const ups = new Map<string, SystemEvent>();
  const shownIds = new Set(events.map((e) => e.id));
  for (const e of events) {
    const down = str(e.data.downEventId);
    if (OUTAGE_KIND.test(e.kind) && e.kind.endsWith('.up') && down !== null) ups.set(down, e);
  }
  // Newest first: a start or stop of the node, or a later outage of the service on it, seen before
  // (newer than) a down event without an end means that end was never recorded.
  const laterOnNode = new Set<string>();
  const out: TimelineEntry[] = [];
  for (const e of events) {
    const m = OUTAGE_KIND.exec(e.kind);
    const node = e.nodeId ?? '';
    if (m === null) {
      out.push({ type: 'event', key: e.id, event: e });
      if (e.kind === 'node.started' || e.kind === 'node.stopped') laterOnNode.add(node);
      continue;
    }
    const service = m[1] as 'redis' | 'mysql';
    if (m[2] === 'up') {
      const downId = str(e.data.downEventId);
      const down = downId === null ? undefined : events.find((d) => d.id === downId);
      out.push({
        type: 'outage',
        key: downId ?? e.id,
        service,
        nodeId: e.nodeId,
        start: str(e.data.downAt) ?? down?.at ?? e.at,
        end: e.at,
        durationMs: num(e.data.durationMs),
        state: 'ended',
        error: str(down?.data.error),
      });
      laterOnNode.add(`${service}:${node}`);
      continue;
    }
    // A down event whose up is listed was shown with it.
    if (ups.has(e.id) || (str(e.data.upEventId) !== null && shownIds.has(str(e.data.upEventId)!))) continue;
    const end = str(e.data.endedAt);
    out.push({
      type: 'outage',
      key: e.id,
      service,
      nodeId: e.nodeId,
      start: e.at,
      end,
      durationMs: num(e.data.durationMs),
      state:
        end !== null ? 'ended' : laterOnNode.has(`${service}:${node}`) || laterOnNode.has(node) ? 'unknown' : 'ongoing',
      error: str(e.data.error),
    });
    laterOnNode.add(`${service}:${node}`);
  }
  return out;
}

/** "4.2 s", "3 min 5 s", "2 h 10 min": an outage's or a step's length. */
export function lengthOf(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const min = Math.floor(ms / 60_000);
  if (min < 60) {
    const s = Math.round((ms % 60_000) / 1000);
    return s === 0 ? `${min} min` : `${min} min ${s} s`;
  }
  const h = Math.floor(min / 60);
  return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
}

/** The figures an event carries, as short labelled facts ("1,204 jobs", "380 ms"); [] for none. */
export function eventFacts(e: SystemEvent): string[] {
  const d = e.data;
  const facts: string[] = [];
  const count = (n: number | null, one: string, many: string): void => {
    if (n !== null) facts.push(`${n.toLocaleString('en-US')} ${n === 1 ? one : many}`);
  };
  const took = num(d.durationMs) ?? num(d.ms);
  switch (e.kind) {
    case 'redis.rebuilt':
      count(num(d.jobs), 'job', 'jobs');
      if (took !== null) facts.push(`took ${lengthOf(took)}`);
      if (str(d.generation) !== null) facts.push(`generation ${str(d.generation)}`);
      break;
    case 'sweep.requeued':
      count(num(d.jobs) ?? num(d.count), 'job re-queued', 'jobs re-queued');
      if (took !== null) facts.push(`took ${lengthOf(took)}`);
      break;
    case 'journal.replayed':
      count(num(d.records), 'record', 'records');
      if (took !== null) facts.push(`took ${lengthOf(took)}`);
      break;
    case 'recovery.leases':
    case 'recovery.orphans': {
      count(num(d.jobs) ?? num(d.count), 'job requeued', 'jobs requeued');
      const nodes = Array.isArray(d.nodes) ? d.nodes.filter((n): n is string => typeof n === 'string') : [];
      if (nodes.length > 0) facts.push(`from ${nodes.length === 1 ? 'node' : 'nodes'} ${nodes.join(', ')}`);
      break;
    }
    case 'clock.jumped': {
      const drift = num(d.driftMs);
      if (drift !== null) facts.push(`${drift > 0 ? '+' : '−'}${lengthOf(Math.abs(drift))}`);
      break;
    }
    case 'secrets.key_mismatch':
      if (str(d.nodeKey) !== null) facts.push(`this node ${str(d.nodeKey)} ≠ cluster ${str(d.clusterKey) ?? '?'}`);
      break;
  }
  return facts;
}
