import type {
  NodeInfo,
  NodeQueues,
  QueueEntryView,
  QueuePair,
  QueueSnapshot,
  ReadyEntry,
  WaitingEntry,
} from '../../../shared/types';
import type { PartContext } from '../context';
import { listNodes } from '../store/nodes';
import { readQueueEntries, type QueueEntryFacts } from '../store/queue-entries';
import type { RawList, RawQueueSnapshot, RawWaiting } from './redis-queue';

export type SnapshotContext = PartContext<'queue' | 'pool' | 'log', 'leaseMs'>;

/** What MySQL adds to the Redis picture; empty when MySQL cannot be read. */
interface StoreFacts {
  entries: Map<string, QueueEntryFacts>;
  nodes: NodeInfo[] | null;
}

function allIds(raw: RawQueueSnapshot): string[] {
  return [
    ...raw.waiting.next.map((e) => e.id),
    ...raw.ready.ids,
    ...raw.active.flatMap((a) => a.ids),
    ...raw.pinned.flatMap((p) => [...p.waiting.next.map((e) => e.id), ...p.ready.ids]),
  ];
}

/**
 * Names and nodes are decoration: the lanes come from Redis, so a MySQL outage leaves them in
 * place, with the tasks unnamed, rather than failing the whole snapshot.
 */
async function readStoreFacts(ctx: SnapshotContext, raw: RawQueueSnapshot): Promise<StoreFacts> {
  try {
    const [entries, nodes] = await Promise.all([
      readQueueEntries(ctx.pool, allIds(raw)),
      listNodes(ctx.pool, ctx.config.leaseMs, new Date(raw.atMs)),
    ]);
    return { entries, nodes };
  } catch (err) {
    ctx.log.warn(`queues.snapshot: no task names (${(err as Error).message})`);
    return { entries: new Map(), nodes: null };
  }
}

function entryView(id: string, facts: StoreFacts): QueueEntryView {
  const f = facts.entries.get(id);
  return { id, taskId: f?.taskId ?? null, taskName: f?.taskName ?? null };
}

function waitingLane(raw: RawWaiting, facts: StoreFacts): QueuePair['waiting'] {
  const next: WaitingEntry[] = raw.next.map((e) => ({
    ...entryView(e.id, facts),
    dueAt: new Date(e.dueMs).toISOString(),
  }));
  return { count: raw.count, next };
}

function readyLane(raw: RawList, facts: StoreFacts): QueuePair['ready'] {
  const entries: ReadyEntry[] = raw.ids.map((id, i) => ({ ...entryView(id, facts), position: i + 1 }));
  return { count: raw.count, entries };
}

const EMPTY_LIST: RawList = { count: 0, ids: [] };
const EMPTY_WAITING: RawWaiting = { count: 0, next: [] };

/**
 * The nodes the lanes show: every alive one (so idle workers count in the ETA), and any other
 * that still holds ids in Redis (a node that died with jobs taken: the reaper will free them).
 */
function nodeQueues(raw: RawQueueSnapshot, facts: StoreFacts): NodeQueues[] {
  const known = new Map((facts.nodes ?? []).map((n) => [n.id, n]));
  const ids = new Set<string>((facts.nodes ?? []).filter((n) => n.alive).map((n) => n.id));
  for (const a of raw.active) if (a.count > 0) ids.add(a.nodeId);
  for (const p of raw.pinned) if (p.waiting.count + p.ready.count > 0) ids.add(p.nodeId);
  const nodes = [...ids].map((nodeId): NodeQueues => {
    const info = known.get(nodeId);
    const active = raw.active.find((a) => a.nodeId === nodeId) ?? EMPTY_LIST;
    const pinned = raw.pinned.find((p) => p.nodeId === nodeId);
    return {
      nodeId,
      name: info?.name ?? null,
      concurrency: info?.concurrency ?? null,
      alive: info?.alive ?? false,
      running: {
        count: active.count,
        entries: active.ids.map((id) => {
          const f = facts.entries.get(id);
          // Taken from Redis, not yet claimed in MySQL: its row still holds the attempt before
          // (and, for a retry, that attempt's start). It is about to start the next one.
          const claimed = f?.status === 'running';
          return {
            ...entryView(id, facts),
            attempt: f === undefined ? 0 : claimed ? f.attempt : f.attempt + 1,
            maxAttempts: f?.maxAttempts ?? 0,
            startedAt: claimed && f.startedAt ? f.startedAt.toISOString() : null,
          };
        }),
      },
      pinned: {
        waiting: waitingLane(pinned?.waiting ?? EMPTY_WAITING, facts),
        ready: readyLane(pinned?.ready ?? EMPTY_LIST, facts),
      },
    };
  });
  return nodes.sort(
    (a, b) => (a.name ?? a.nodeId).localeCompare(b.name ?? b.nodeId) || a.nodeId.localeCompare(b.nodeId),
  );
}

/**
 * queues.snapshot: the lanes from Redis (one pipeline), annotated from MySQL with one batched
 * read of the ids shown (task, name, attempt, start) and the nodes table.
 */
export async function queueSnapshot(ctx: SnapshotContext, limit = 100): Promise<QueueSnapshot> {
  const raw = await ctx.queue.snapshot(limit);
  const facts = await readStoreFacts(ctx, raw);
  return {
    waiting: waitingLane(raw.waiting, facts),
    ready: { ...readyLane(raw.ready, facts), ids: raw.ready.ids },
    active: raw.active.filter((a) => a.ids.length > 0).map((a) => ({ nodeId: a.nodeId, ids: a.ids })),
    nodes: nodeQueues(raw, facts),
    limit: raw.limit,
    at: new Date(raw.atMs).toISOString(),
  };
}
