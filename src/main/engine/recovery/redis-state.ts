import type { RowDataPacket } from 'mysql2';
import type { Pool, PoolConnection } from 'mysql2/promise';
import type { PartContext } from '../context';
import { wakeEveryone, type WakeContext } from '../intake/push-jobs';
import { reportUnreadableJobs } from '../events/unreadable-rows';
import { queuedPage } from '../store/jobs';
import { getMeta, setMeta } from '../store/meta';

/** Ids read from MySQL and added to Redis per round trip in a rebuild. */
const REBUILD_PAGE = 10_000;
/** How long a node waits for another node's rebuild (the MySQL named lock). */
const REBUILD_LOCK_S = 60;

/** Parses `run_id` out of INFO server. */
export function parseRunId(info: string): string | null {
  const m = /^run_id:([0-9a-f]+)\s*$/m.exec(info);
  return m?.[1] ?? null;
}

export type RedisStateContext = WakeContext &
  PartContext<'pool' | 'redis' | 'queue' | 'health' | 'bus' | 'log' | 'recordEvent', 'redisPrefix'>;

/** What says whether Redis still holds the state MySQL expects. */
export interface StateMarkers {
  runId: string | null;
  redisGeneration: string | null;
  mysqlGeneration: string | null;
  mysqlRunId: string | null;
}

/** Why the queues in Redis cannot be trusted, or null when its markers match MySQL's. */
export function stateMismatch(m: StateMarkers): string | null {
  if (m.redisGeneration === null) return 'generation marker missing';
  if (m.redisGeneration !== m.mysqlGeneration) {
    return `generation ${m.redisGeneration} ≠ ${m.mysqlGeneration ?? 'none'} in MySQL`;
  }
  if (m.runId !== m.mysqlRunId) return `Redis run_id changed (${m.mysqlRunId ?? 'none'} → ${m.runId ?? '?'})`;
  return null;
}

/**
 * Invariant 7: detects a Redis that lost or rolled back its state and rebuilds the queues from
 * MySQL, once across all nodes. MySQL `meta` holds a generation number and the `run_id` of the
 * Redis that has it; Redis holds a copy of the generation. A missing marker, another generation,
 * or another `run_id` (restart without persistence, restore of an old snapshot, failover) means a
 * rebuild. Checked on every (re)connect, and cheaply after every health probe (a FLUSHALL
 * happens without a reconnect).
 */
export class RedisStateGuard {
  private knownGeneration: string | null = null;
  /** The probe counter as the last health probe read it. */
  private lastProbeCounter: number | null = null;
  /** The probe counter went back, and no check has run since. */
  private stateInDoubt = false;
  private checking: Promise<void> | null = null;
  private recovering: Promise<void> | null = null;

  constructor(private readonly ctx: RedisStateContext) {}

  private get metaKeys(): { generation: string; runId: string } {
    const p = this.ctx.config.redisPrefix;
    return { generation: `redis_generation:${p}`.slice(0, 64), runId: `redis_run_id:${p}`.slice(0, 64) };
  }

  private async readMarkers(db: Pool | PoolConnection): Promise<StateMarkers> {
    const runId = parseRunId(await this.ctx.redis.info('server'));
    this.ctx.health.runId = runId;
    return {
      runId,
      redisGeneration: await this.ctx.redis.get(this.ctx.queue.keys.generation),
      mysqlGeneration: await getMeta(db, this.metaKeys.generation),
      mysqlRunId: await getMeta(db, this.metaKeys.runId),
    };
  }

  /**
   * After every (re)connect of Redis: status `recovering` until the state was checked (and
   * rebuilt if lost), then `up`, the promoter woken and a sweep run at once for pushes that failed
   * while Redis was away. A failed check is retried with a back-off while Redis stays connected
   * and the node runs; calls during one share it.
   */
  afterReconnect(opts: { stopping(): boolean; connected(): boolean; sweep(): Promise<unknown> }): Promise<void> {
    if (this.recovering) return this.recovering;
    const { ctx } = this;
    ctx.queue.resetBlockingClient();
    ctx.health.set('redis', 'recovering');
    this.recovering = (async () => {
      for (let attempt = 0; !opts.stopping(); attempt++) {
        try {
          await this.check();
          ctx.health.set('redis', 'up');
          ctx.wake.notify();
          void opts.sweep().catch((err: Error) => ctx.log.warn(`sweep after reconnect failed: ${err.message}`));
          return;
        } catch (err) {
          ctx.log.warn(`redis recovery check failed: ${(err as Error).message}`);
          await new Promise((r) => setTimeout(r, Math.min(5_000, 250 * 2 ** Math.min(attempt, 5))));
          if (!opts.connected()) return;
        }
      }
    })().finally(() => {
      this.recovering = null;
    });
    return this.recovering;
  }

  /** The markers as Redis and MySQL hold them now, and why they do not match (null: they do). For diagnostics. */
  async inspect(): Promise<StateMarkers & { mismatch: string | null }> {
    const markers = await this.readMarkers(this.ctx.pool);
    return { ...markers, mismatch: stateMismatch(markers) };
  }

  /** Checks that Redis still holds the state it should, and rebuilds it if not. */
  check(): Promise<void> {
    if (this.checking) return this.checking;
    this.checking = (async () => {
      const markers = await this.readMarkers(this.ctx.pool);
      const reason = stateMismatch(markers);
      if (reason === null) {
        this.knownGeneration = markers.redisGeneration;
        this.sawProbeCounter(await this.ctx.queue.probeCounter());
      } else await this.rebuild(reason);
    })().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  /**
   * Cheap check after every health probe, by the probe counter it read (queue/redis-queue.ts,
   * probe): the counter only grows while Redis keeps its keys, so a value below the last one
   * seen means they were lost without a reconnect (FLUSHALL, FLUSHDB, a DEL by hand, a rebuild
   * begun elsewhere). The full check then runs, and again on each probe until one succeeds.
   */
  async quickCheck(probeCounter: number): Promise<void> {
    if (this.lastProbeCounter !== null && probeCounter < this.lastProbeCounter) this.stateInDoubt = true;
    this.lastProbeCounter = probeCounter;
    if (!this.stateInDoubt || this.checking || this.knownGeneration === null) return;
    // Cleared before the check, so a loss seen while it runs asks for another one.
    this.stateInDoubt = false;
    try {
      await this.check();
    } catch (err) {
      this.stateInDoubt = true;
      throw err;
    }
  }

  /**
   * The counter as a check or a rebuild found it: a loss right after, before the first probe,
   * still shows as the counter going back. A probe sent before and answered after may then read
   * lower, and costs one needless check.
   */
  private sawProbeCounter(value: number): void {
    this.lastProbeCounter = Math.max(this.lastProbeCounter ?? 0, value);
  }

  /**
   * Rebuilds every queue from MySQL, once across all nodes, under a MySQL named lock: a node that
   * waited for the lock finds the markers matching and skips. Returns null when it skipped.
   * `force` rebuilds with matching markers too: the repair Diagnostics offers for stray or
   * doubled ids, which no marker shows.
   */
  async rebuild(reason: string, opts: { force?: boolean } = {}): Promise<{ jobs: number; ms: number } | null> {
    const { ctx } = this;
    const conn = await ctx.pool.getConnection();
    const lockName = `tickr_rebuild_${ctx.config.redisPrefix}`.slice(0, 64);
    try {
      const [lock] = await conn.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS got', [lockName, REBUILD_LOCK_S]);
      if (Number(lock[0]?.got) !== 1) throw new Error(`could not take the rebuild lock within ${REBUILD_LOCK_S} s`);
      try {
        const markers = await this.readMarkers(conn);
        if (stateMismatch(markers) === null && opts.force !== true) {
          this.knownGeneration = markers.redisGeneration;
          return null;
        }
        return await this.rebuildLocked(conn, reason, markers);
      } finally {
        await conn.query('SELECT RELEASE_LOCK(?)', [lockName]).catch(() => undefined);
      }
    } finally {
      conn.release();
    }
  }

  private async rebuildLocked(
    conn: PoolConnection,
    reason: string,
    markers: StateMarkers,
  ): Promise<{ jobs: number; ms: number }> {
    const { ctx } = this;
    const started = performance.now();
    const nextGen = String(Number(markers.mysqlGeneration ?? '0') + 1);
    // Marker first: a node that dies mid-rebuild leaves no marker, so the next check redoes it.
    // The probe counter goes with it, so every node's next probe sees it go back and checks.
    await ctx.redis.del(ctx.queue.keys.generation);
    await ctx.queue.dropProbeCounter();
    // Clearing before reading MySQL closes the race with jobs created meanwhile: a job
    // committed before the read is in the read; one committed after pushes itself.
    await ctx.queue.clearQueues();
    let jobs = 0;
    const unreadable: string[] = [];
    for (const status of ['waiting', 'ready'] as const) {
      let after = '0';
      for (;;) {
        const page = await queuedPage(conn, status, after, REBUILD_PAGE);
        if (page.lastId === null) break;
        await ctx.queue.add(page.entries);
        jobs += page.entries.length;
        unreadable.push(...page.unreadable);
        after = page.lastId;
      }
    }
    await reportUnreadableJobs(ctx, unreadable, 'left out of the Redis rebuild');
    await ctx.redis.set(ctx.queue.keys.generation, nextGen);
    this.sawProbeCounter(await ctx.queue.seedProbeCounter());
    await setMeta(conn, this.metaKeys.generation, nextGen);
    await setMeta(conn, this.metaKeys.runId, markers.runId ?? 'unknown');
    this.knownGeneration = nextGen;
    const ms = Math.round(performance.now() - started);
    await ctx.recordEvent({
      level: 'warn',
      kind: 'redis.rebuilt',
      message: `rebuilt the Redis queues from MySQL (${reason}): ${jobs} job(s) in ${ms} ms`,
      data: { jobs, ms, durationMs: ms, reason, generation: nextGen },
    });
    ctx.log.info(`recovery: rebuilt Redis queues from MySQL (${reason}): ${jobs} jobs in ${ms} ms`);
    ctx.bus.emit('queue.changed', { reason: 'rebuilt from MySQL' });
    await wakeEveryone(ctx);
    return { jobs, ms };
  }
}
