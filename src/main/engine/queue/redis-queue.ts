import type { Redis } from 'ioredis';
import type { QueueEntry } from '../store/jobs';
import type { QueueKeys } from './keys';
import { GroupCommit } from '../group-commit';
import { defineScripts } from './scripts';

/** The commands queue/scripts.ts defines from lua/*.lua. */
interface QueueCommands {
  tickrPromote(waiting: string, ready: string, nowMs: number, limit: number): Promise<string[]>;
  tickrRequeue(active: string, waiting: string, id: string, dueMs: number): Promise<number>;
  tickrSweep(...args: (string | number)[]): Promise<number>;
  tickrAck(active: string, ...ids: string[]): Promise<number>;
  tickrTakeBatch(pinnedReady: string, ready: string, active: string, max: number): Promise<string[]>;
}

type CommandRedis = Redis & QueueCommands;

/** What the one-command health probe reads. */
export interface RedisProbe {
  /**
   * The nodes' successful MySQL probes so far (after counting this one, if it was). It only
   * grows while Redis keeps its state, and each rebuild seeds it far above any earlier value, so
   * a value below the last one seen means Redis lost its keys (recovery/redis-state.ts).
   */
  mysqlProbes: number;
}

export interface PromoteResult {
  moved: string[];
  pinnedMoved: string[];
  /** Earliest due time still waiting in any set this node promotes, or null if none. */
  nextDueMs: number | null;
}

const PROMOTE_BATCH = 1000;

/**
 * The Redis side of the pipeline. Every move between keys is one Lua script or one atomic
 * command (invariant 2). `blocking` is a connection of its own, because BLMOVE holds it.
 */
export class RedisQueue {
  private readonly redis: CommandRedis;
  private blockedClientId: number | null = null;
  private taking = false;

  constructor(
    redis: Redis,
    private readonly blocking: Redis,
    readonly keys: QueueKeys,
    private readonly nodeId: string,
  ) {
    defineScripts(redis);
    this.redis = redis as CommandRedis;
  }

  private waitingKey(pinnedNodeId: string | null): string {
    return pinnedNodeId ? this.keys.waitingFor(pinnedNodeId) : this.keys.waiting;
  }

  /**
   * Adds ids to their waiting sets, up to 1,000 members per ZADD (a rebuild adds 100,000 ids).
   * ZADD is idempotent, so adding an id twice is harmless.
   */
  async add(entries: readonly QueueEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const byKey = new Map<string, (string | number)[]>();
    for (const e of entries) {
      const key = this.waitingKey(e.pinnedNodeId);
      const members = byKey.get(key) ?? [];
      members.push(e.dueMs, e.id);
      byKey.set(key, members);
    }
    const pipe = this.redis.pipeline();
    for (const [key, members] of byKey) {
      for (let i = 0; i < members.length; i += 2_000) pipe.zadd(key, ...members.slice(i, i + 2_000));
    }
    const results = await pipe.exec();
    const failed = results?.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  /**
   * The health probe, one plain command (a script's own calls count as commands on the server
   * too): INCR of the MySQL probe counter when this node's last MySQL probe succeeded, else GET.
   * Its answer shows Redis answers, feeds the self-fence, and shows a lost state by going back.
   */
  async probe(countMysqlProbe: boolean): Promise<RedisProbe> {
    const mysqlProbes = countMysqlProbe ? await this.redis.incr(this.keys.mysqlProbes) : await this.probeCounter();
    return { mysqlProbes };
  }

  /**
   * A rebuild's first step: the counter goes, so every node's next probe sees it go back and
   * checks the state, even if this node dies before the rebuild is done.
   */
  async dropProbeCounter(): Promise<void> {
    await this.redis.del(this.keys.mysqlProbes);
  }

  /**
   * A rebuild's last step: the counter starts again above any value it held before (the time in
   * microseconds: nodes add about one a second each), so a later loss always shows as going back.
   */
  async seedProbeCounter(nowMs = Date.now()): Promise<number> {
    const seed = Math.max((await this.probeCounter()) + 1, nowMs * 1000);
    await this.redis.set(this.keys.mysqlProbes, String(seed));
    return seed;
  }

  /** The probe counter as it stands, without counting (0 when Redis has none). */
  async probeCounter(): Promise<number> {
    return Number((await this.redis.get(this.keys.mysqlProbes)) ?? 0);
  }

  /** Moves every due id (shared and pinned to this node) to its ready list. */
  async promote(nowMs: number): Promise<PromoteResult> {
    const moved = await this.promoteAll(this.keys.waiting, this.keys.ready, nowMs);
    const pinned = await this.promoteAll(this.keys.waitingFor(this.nodeId), this.keys.readyFor(this.nodeId), nowMs);
    const candidates = [moved.nextDueMs, pinned.nextDueMs].filter((v): v is number => v !== null);
    return { moved: moved.ids, pinnedMoved: pinned.ids, nextDueMs: candidates.length ? Math.min(...candidates) : null };
  }

  private async promoteAll(
    waiting: string,
    ready: string,
    nowMs: number,
  ): Promise<{ ids: string[]; nextDueMs: number | null }> {
    const ids: string[] = [];
    for (;;) {
      const [next, ...batch] = await this.redis.tickrPromote(waiting, ready, nowMs, PROMOTE_BATCH);
      ids.push(...batch);
      const nextDueMs = next === undefined || next === '-1' ? null : Number(next);
      if (batch.length < PROMOTE_BATCH || nextDueMs === null || nextDueMs > nowMs) return { ids, nextDueMs };
    }
  }

  /**
   * Takes up to `max` ready ids into this node's active list: those pinned to this node first,
   * then shared ones, in one script. When none is ready it blocks on the shared ready list for up
   * to `timeoutSec` for one, and then takes what else is ready without blocking, so a burst
   * wakes a node with its free workers filled at once. Call with `max` no more than the free
   * workers (invariant 5). Returns [] when the block timed out or was interrupted.
   */
  async take(max: number, timeoutSec: number): Promise<string[]> {
    // takeReady sees whatever was made ready before it runs; an interrupt after that is latched.
    this.interruptPending = false;
    const ids = await this.takeReady(max);
    if (ids.length > 0) return ids;
    const first = await this.takeBlocking(timeoutSec);
    if (first === null) return [];
    return max > 1 ? [first, ...(await this.takeReady(max - 1))] : [first];
  }

  /** Up to `max` ready ids, pinned first, without blocking. */
  private takeReady(max: number): Promise<string[]> {
    const active = this.keys.active(this.nodeId);
    return this.redis.tickrTakeBatch(this.keys.readyFor(this.nodeId), this.keys.ready, active, max);
  }

  private async takeBlocking(timeoutSec: number): Promise<string | null> {
    const active = this.keys.active(this.nodeId);
    if (this.blockedClientId === null) this.blockedClientId = Number(await this.blocking.client('ID'));
    // A pinned id made ready since takeReady looked: do not block, look again.
    if (this.interruptPending) return null;
    this.taking = true;
    const moved = this.blocking.blmove(this.keys.ready, active, 'LEFT', 'RIGHT', timeoutSec);
    const abandoned = new Promise<null>((resolve) => {
      this.endAbandonedTake = () => resolve(null);
    });
    try {
      return await Promise.race([moved, abandoned]);
    } finally {
      // An abandoned BLMOVE may still settle (or never): its answer is no longer anyone's.
      moved.catch(() => undefined);
      this.endAbandonedTake = null;
      this.taking = false;
    }
  }

  /**
   * Ends a blocked take early (a pinned id became ready, or the node is stopping). False when a
   * take is under way and the UNBLOCK did not reach Redis.
   */
  async interruptTake(): Promise<boolean> {
    this.interruptPending = true;
    if (!this.taking) return true;
    if (this.blockedClientId === null) return false;
    try {
      // The BLMOVE goes over another connection and may not have reached Redis yet (UNBLOCK
      // then answers 0): try again for a moment, or the take would block its whole timeout.
      for (let i = 0; i < 20 && this.taking; i++) {
        if (Number(await this.redis.client('UNBLOCK', this.blockedClientId)) === 1) return true;
        await new Promise((r) => setTimeout(r, 5));
      }
      return true;
    } catch {
      // The blocking connection may be reconnecting; the take then ends on its own.
      return false;
    }
  }

  /** An interrupt that came while no BLMOVE was outstanding: the next block is skipped. */
  private interruptPending = false;

  /** Ends the take under way with no id, set while a BLMOVE is outstanding. */
  private endAbandonedTake: (() => void) | null = null;

  /**
   * Ends a blocked take when Redis is away, for a stopping node: UNBLOCK cannot reach it, and
   * ioredis keeps a BLMOVE that was sent for when Redis returns, so the take would never end.
   * Closing the blocking connection rejects it. An id BLMOVE may have moved meanwhile sits in
   * this node's active list, where the next start's orphan reaping finds it.
   */
  abandonTake(): void {
    if (!this.taking) return;
    // Closing alone is not enough: a connection already lost keeps the command queued and never
    // fails it, so the take is also ended here.
    this.blocking.disconnect();
    this.endAbandonedTake?.();
  }

  /** Forgets the blocking connection's client id, which changes when it reconnects. */
  resetBlockingClient(): void {
    this.blockedClientId = null;
  }

  /**
   * Removes a finished or dropped id from this node's active list. Acks that come together (the
   * jobs of one group commit) go in one command; each resolves once that command has.
   */
  ack(id: string): Promise<void> {
    return this.acks.submit(id);
  }

  private readonly acks = new GroupCommit<string, void>(
    'ack',
    async (ids) => {
      await this.redis.tickrAck(this.keys.active(this.nodeId), ...ids);
      return ids.map(() => ({ ok: true, value: undefined }));
    },
    { maxItems: 500 },
  );

  /** Puts a taken-but-not-started id back to wait until `dueMs`. */
  async requeue(id: string, dueMs: number, pinnedNodeId: string | null): Promise<void> {
    await this.redis.tickrRequeue(this.keys.active(this.nodeId), this.waitingKey(pinnedNodeId), id, dueMs);
  }

  /** Ids this node had taken, e.g. before it crashed. */
  async activeIds(nodeId = this.nodeId): Promise<string[]> {
    return this.redis.lrange(this.keys.active(nodeId), 0, -1);
  }

  /** Best-effort removal of a cancelled id; a leftover id is dropped by the claim anyway. */
  async remove(id: string, pinnedNodeId: string | null): Promise<void> {
    const pipe = this.redis.pipeline();
    pipe.zrem(this.waitingKey(pinnedNodeId), id);
    pipe.lrem(pinnedNodeId ? this.keys.readyFor(pinnedNodeId) : this.keys.ready, 0, id);
    await pipe.exec();
  }

  private activeKeys(): Promise<string[]> {
    return this.scanKeys(this.keys.activePattern);
  }

  /** Re-adds entries no queue holds; returns how many it added. */
  async sweep(entries: readonly QueueEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const active = await this.activeKeys();
    let added = 0;
    const groups = new Map<string | null, QueueEntry[]>();
    for (const e of entries) groups.set(e.pinnedNodeId, [...(groups.get(e.pinnedNodeId) ?? []), e]);
    for (const [pinned, group] of groups) {
      const ready = pinned ? this.keys.readyFor(pinned) : this.keys.ready;
      for (let i = 0; i < group.length; i += 500) {
        const args = group.slice(i, i + 500).flatMap((e) => [e.id, e.dueMs]);
        const keys = [this.waitingKey(pinned), ready, ...active];
        added += Number(await this.redis.tickrSweep(keys.length, ...keys, ...args));
      }
    }
    return added;
  }

  /** Deletes every queue key (not the active lists of running jobs' nodes) before a rebuild. */
  async clearQueues(): Promise<void> {
    const keys = [this.keys.waiting, this.keys.ready];
    for (const pattern of [`${this.keys.prefix}waiting:*`, `${this.keys.prefix}ready:*`, this.keys.activePattern]) {
      let cursor = '0';
      do {
        const [next, batch] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
    }
    for (let i = 0; i < keys.length; i += 500) await this.redis.del(...keys.slice(i, i + 500));
  }

  /** Every key matching `pattern`, by SCAN (never KEYS: the Redis may be shared and large). */
  private async scanKeys(pattern: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    return keys;
  }

  /**
   * What every queue holds, read from Redis only: counts in full, and the first `limit` ids of
   * each list (the waiting sets by due time, the ready lists in the order workers take them).
   * One pipeline after the SCANs for the per-node keys, so the lists are read close together.
   */
  async snapshot(limit = 100): Promise<RawQueueSnapshot> {
    const [activeKeys, pinnedWaitingKeys, pinnedReadyKeys] = await Promise.all([
      this.activeKeys(),
      this.scanKeys(`${this.keys.prefix}waiting:*`),
      this.scanKeys(`${this.keys.prefix}ready:*`),
    ]);
    const nodeOf = (key: string, stem: string): string => key.slice(`${this.keys.prefix}${stem}:`.length);
    const pinnedNodes = [
      ...new Set([
        ...pinnedWaitingKeys.map((k) => nodeOf(k, 'waiting')),
        ...pinnedReadyKeys.map((k) => nodeOf(k, 'ready')),
      ]),
    ];
    const pipe = this.redis.pipeline();
    const sortedSet = (key: string): void => {
      pipe.zcard(key);
      pipe.zrange(key, 0, limit - 1, 'WITHSCORES');
    };
    const list = (key: string): void => {
      pipe.llen(key);
      pipe.lrange(key, 0, limit - 1);
    };
    sortedSet(this.keys.waiting);
    list(this.keys.ready);
    for (const key of activeKeys) list(key);
    for (const nodeId of pinnedNodes) {
      sortedSet(this.keys.waitingFor(nodeId));
      list(this.keys.readyFor(nodeId));
    }
    const res = (await pipe.exec()) ?? [];
    let at = 0;
    const take = (): unknown => {
      const entry = res[at++];
      if (!entry || entry[0]) throw entry?.[0] ?? new Error('redis pipeline failed');
      return entry[1];
    };
    const readSet = (): RawWaiting => {
      const count = Number(take());
      const scored = take() as string[];
      const next: { id: string; dueMs: number }[] = [];
      for (let i = 0; i + 1 < scored.length; i += 2)
        next.push({ id: scored[i] as string, dueMs: Number(scored[i + 1]) });
      return { count, next };
    };
    const readList = (): RawList => ({ count: Number(take()), ids: take() as string[] });
    const waiting = readSet();
    const ready = readList();
    const active = activeKeys.map((key) => ({ nodeId: nodeOf(key, 'active'), ...readList() }));
    const pinned = pinnedNodes.map((nodeId) => ({ nodeId, waiting: readSet(), ready: readList() }));
    return { waiting, ready, active, pinned, limit, atMs: Date.now() };
  }
}

export interface RawWaiting {
  count: number;
  next: { id: string; dueMs: number }[];
}

export interface RawList {
  count: number;
  ids: string[];
}

/** The queues as Redis holds them (ids and due times only, invariant 1); see queue/snapshot.ts. */
export interface RawQueueSnapshot {
  waiting: RawWaiting;
  ready: RawList;
  active: ({ nodeId: string } & RawList)[];
  pinned: { nodeId: string; waiting: RawWaiting; ready: RawList }[];
  limit: number;
  atMs: number;
}
