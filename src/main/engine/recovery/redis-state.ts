import type { RowDataPacket } from 'mysql2';
import type { EngineContext } from '../context';
import type { JobRunner } from '../execution/job-runner';
import type { ProcessRegistry } from '../execution/process-registry';
import { pushJobs, wakeEveryone } from '../intake/push-jobs';
import {
  cancelRequestedOnNode,
  expiredLeases,
  finishAttempt,
  getJobRow,
  planAfterAttempt,
  queuedDueBy,
  queuedPage,
  renewLeases,
  runningOnNode,
  type RunningRef,
} from '../store/jobs';
import { getMeta, setMeta } from '../store/meta';
import { heartbeatNode, serverUptimeSeconds } from '../store/nodes';
import { jobFromRow } from '../store/rows';

const REBUILD_PAGE = 10_000;
const SWEEP_LIMIT = 10_000;

/** Parses `run_id` out of INFO server. */
export function parseRunId(info: string): string | null {
  const m = /^run_id:([0-9a-f]+)\s*$/m.exec(info);
  return m?.[1] ?? null;
}

/**
 * Crash and outage recovery: leases and heartbeats (invariant 6), the safety sweep (invariant 4)
 * and the detection and repair of a Redis that lost or rolled back its state (invariant 7).
 */
export class Recovery {
  private knownGeneration: string | null = null;
  private checking: Promise<void> | null = null;
  /** performance.now() when this node last saw MySQL come back after being down. */
  private mysqlBackAt: number | null = null;
  private mysqlWasDown = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly runner: JobRunner,
    private readonly processes: ProcessRegistry,
    /** Results this node still holds in its journal; their jobs look "running" in MySQL until replayed. */
    private readonly journalPending: () => number = () => 0,
    /** Told when this node's leases were renewed (the self-fence counts from then). */
    private readonly onLeasesRenewed: () => void = () => undefined,
  ) {}

  private get metaKeys(): { generation: string; runId: string } {
    const p = this.ctx.config.redisPrefix;
    return { generation: `redis_generation:${p}`.slice(0, 64), runId: `redis_run_id:${p}`.slice(0, 64) };
  }

  /** Ends an attempt that lost its node: recorded as interrupted, then retried under its policy. */
  async interrupt(ref: RunningRef, reason: string): Promise<boolean> {
    const now = new Date();
    const plan = planAfterAttempt({
      outcome: 'interrupted',
      attempt: ref.attempt,
      maxAttempts: ref.max_attempts,
      retryDelayMs: ref.retry_delay_ms,
      now,
    });
    const done = await finishAttempt(this.ctx.pool, {
      id: String(ref.id),
      attempt: ref.attempt,
      token: ref.claim_token,
      result: {
        outcome: 'interrupted',
        exitCode: null,
        signal: null,
        httpStatus: null,
        error: reason,
        finishedAt: now,
      },
      plan,
    });
    if (done && plan.status === 'waiting' && plan.dueAt) {
      await pushJobs(this.ctx, [{ id: String(ref.id), dueMs: plan.dueAt.getTime(), pinnedNodeId: ref.pinned_node_id }]);
    }
    if (done) {
      const job = await getJobRow(this.ctx.pool, String(ref.id));
      if (job) this.ctx.bus.emit('job.updated', jobFromRow(job));
    }
    return done;
  }

  /** At start: whatever this node left running (it crashed) is interrupted and retried. */
  async reapOwnOrphans(): Promise<number> {
    // A crash leaves the jobs' process groups running: end them before their retries start.
    const ended = this.processes.endLeftovers();
    if (ended.length > 0)
      this.ctx.log.warn(`ended the process groups of job(s) ${ended.join(', ')} left running by the last run`);
    const orphans = await runningOnNode(this.ctx.pool, this.ctx.nodeId);
    let n = 0;
    for (const ref of orphans) {
      if (this.runner.isRunning(String(ref.id))) continue;
      if (await this.interrupt(ref, 'interrupted: the node stopped while the job ran (found at restart)')) n += 1;
    }
    // Ids this node took but never claimed go back to wait; claimed ones are simply forgotten.
    for (const id of await this.ctx.queue.activeIds()) {
      const row = await getJobRow(this.ctx.pool, id);
      if (row && (row.status === 'waiting' || row.status === 'ready'))
        await this.ctx.queue.requeue(id, row.due_at.getTime(), row.pinned_node_id);
      else if (!this.runner.isRunning(id)) await this.ctx.queue.ack(id);
    }
    if (n > 0) {
      await this.ctx.recordEvent({
        level: 'warn',
        kind: 'recovery.orphans',
        message: `${n} job(s) left running by this node's last run were interrupted and requeued`,
        data: { count: n },
      });
    }
    return n;
  }

  /** One heartbeat: renew this node's leases, note cancel requests, reap others' expired leases. */
  async heartbeat(): Promise<void> {
    const { ctx } = this;
    await renewLeases(ctx.pool, ctx.nodeId, ctx.config.leaseMs);
    this.onLeasesRenewed();
    await heartbeatNode(ctx.pool, ctx.nodeId, new Date());
    for (const id of await cancelRequestedOnNode(ctx.pool, ctx.nodeId)) this.runner.stop(id, 'cancel');
    await this.reapExpired();
  }

  /**
   * Told of every MySQL status change. A return after an outage starts the reaping hold-off, and
   * this node renews its own leases at once rather than at its next heartbeat: the other nodes
   * hold off for one lease, and the renewal must land well inside it.
   */
  mysqlStatusChanged(status: string): void {
    if (status !== 'up') {
      this.mysqlWasDown = true;
      return;
    }
    if (this.mysqlWasDown) {
      this.mysqlBackAt = performance.now();
      renewLeases(this.ctx.pool, this.ctx.nodeId, this.ctx.config.leaseMs)
        .then(() => this.onLeasesRenewed())
        .catch((err: Error) => this.ctx.log.warn(`leases not renewed after MySQL returned: ${err.message}`));
    }
    this.mysqlWasDown = false;
  }

  /**
   * Why other nodes' expired leases must not be reaped yet, or null. During a MySQL outage no
   * node can renew its leases, so every lease of a long outage expires, though the nodes live:
   * their jobs went on and finished into their journals. For one lease after MySQL returns
   * (as this node saw it, or as MySQL's own uptime says after a restart) they get to renew and
   * replay; reaping before that would run those jobs a second time. Only a node that stays
   * silent for a whole lease after the return is taken for dead.
   */
  async holdOffReaping(): Promise<string | null> {
    const leaseMs = this.ctx.config.leaseMs;
    if (this.mysqlWasDown) return 'MySQL is down';
    if (this.mysqlBackAt !== null && performance.now() - this.mysqlBackAt < leaseMs)
      return 'MySQL came back less than a lease ago';
    // A server that does not say its uptime (a proxy, a managed service) is taken as not restarted.
    const uptimeS = await serverUptimeSeconds(this.ctx.pool).catch(() => Number.POSITIVE_INFINITY);
    if (uptimeS * 1000 < leaseMs) return 'MySQL restarted less than a lease ago';
    return null;
  }

  async reapExpired(): Promise<number> {
    // Until our journal is replayed, an expired lease may belong to a job that finished here
    // during a MySQL outage: reaping it would run it again.
    if (this.journalPending() > 0) return 0;
    const expired = await expiredLeases(this.ctx.pool);
    if (expired.length === 0) return 0;
    const holdOff = expired.some((ref) => ref.node_id !== this.ctx.nodeId) ? await this.holdOffReaping() : null;
    let n = 0;
    for (const ref of expired) {
      // Our own running job's lease lapsed only because renewals failed; it is still ours.
      if (ref.node_id === this.ctx.nodeId && this.runner.isRunning(String(ref.id))) continue;
      if (holdOff && ref.node_id !== this.ctx.nodeId) continue;
      if (await this.interrupt(ref, `interrupted: node ${ref.node_id} stopped renewing its lease`)) n += 1;
    }
    if (n > 0) {
      await this.ctx.recordEvent({
        level: 'warn',
        kind: 'recovery.leases',
        message: `${n} job(s) with expired leases were interrupted and requeued`,
        data: { count: n },
      });
    }
    return n;
  }

  /** The safety net: due jobs MySQL holds as queued but no Redis queue holds are re-added. */
  async sweep(): Promise<number> {
    const { ctx } = this;
    const now = Date.now();
    // A job written in the last 2 s may be between its insert and its push: not lost, left out.
    const entries = await queuedDueBy(ctx.pool, new Date(now + ctx.config.sweepMs), new Date(now - 2_000), SWEEP_LIMIT);
    const added = await ctx.queue.sweep(entries);
    if (added > 0) {
      await wakeEveryone(ctx);
      await ctx.recordEvent({
        level: 'warn',
        kind: 'sweep.requeued',
        message: `safety sweep re-queued ${added} job(s) that no Redis queue held`,
        data: { count: added },
      });
    }
    return added;
  }

  /**
   * Checks that Redis still holds the state it should. A missing or foreign generation marker,
   * or a run_id other than the one recorded in MySQL (restart, failover, restore of an old
   * snapshot) means the queues can't be trusted: they are rebuilt from MySQL.
   */
  async checkRedisState(): Promise<void> {
    if (this.checking) return this.checking;
    this.checking = this.doCheck().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  /** Cheap check for the health probe: is our generation marker still in Redis? */
  async quickCheck(): Promise<void> {
    if (this.checking || this.knownGeneration === null) return;
    const current = await this.ctx.redis.get(this.ctx.queue.keys.generation);
    if (current !== this.knownGeneration) await this.checkRedisState();
  }

  private async doCheck(): Promise<void> {
    const { ctx } = this;
    const runId = parseRunId(await ctx.redis.info('server'));
    ctx.health.runId = runId;
    const redisGen = await ctx.redis.get(ctx.queue.keys.generation);
    const metaGen = await getMeta(ctx.pool, this.metaKeys.generation);
    const metaRun = await getMeta(ctx.pool, this.metaKeys.runId);
    if (redisGen !== null && redisGen === metaGen && runId === metaRun) {
      this.knownGeneration = redisGen;
      return;
    }
    const reason =
      redisGen === null
        ? 'generation marker missing'
        : redisGen !== metaGen
          ? `generation ${redisGen} ≠ ${metaGen ?? 'none'} in MySQL`
          : `Redis run_id changed (${metaRun ?? 'none'} → ${runId ?? '?'})`;
    await this.rebuild(reason);
  }

  /** Rebuilds every queue from MySQL, once across all nodes, under a MySQL named lock. */
  async rebuild(reason: string): Promise<{ jobs: number; ms: number } | null> {
    const { ctx } = this;
    const conn = await ctx.pool.getConnection();
    const lockName = `tickr_rebuild_${ctx.config.redisPrefix}`.slice(0, 64);
    try {
      const [lock] = await conn.query<RowDataPacket[]>('SELECT GET_LOCK(?, 60) AS got', [lockName]);
      if (Number(lock[0]?.got) !== 1) throw new Error('could not take the rebuild lock within 60 s');
      try {
        // Another node may have rebuilt while we waited for the lock.
        const runId = parseRunId(await ctx.redis.info('server'));
        const redisGen = await ctx.redis.get(ctx.queue.keys.generation);
        const metaGen = await getMeta(conn, this.metaKeys.generation);
        const metaRun = await getMeta(conn, this.metaKeys.runId);
        if (redisGen !== null && redisGen === metaGen && runId === metaRun) {
          this.knownGeneration = redisGen;
          return null;
        }
        const started = performance.now();
        const nextGen = String(Number(metaGen ?? '0') + 1);
        // Marker first: a node that dies mid-rebuild leaves no marker, so the next check redoes it.
        await ctx.redis.del(ctx.queue.keys.generation);
        // Clearing before reading MySQL closes the race with jobs created meanwhile: a job
        // committed before the read is in the read; one committed after pushes itself.
        await ctx.queue.clearQueues();
        let jobs = 0;
        for (const status of ['waiting', 'ready'] as const) {
          let after = '0';
          for (;;) {
            const page = await queuedPage(conn, status, after, REBUILD_PAGE);
            if (page.length === 0) break;
            await ctx.queue.add(page);
            jobs += page.length;
            after = page[page.length - 1]!.id;
          }
        }
        await ctx.redis.set(ctx.queue.keys.generation, nextGen);
        await setMeta(conn, this.metaKeys.generation, nextGen);
        await setMeta(conn, this.metaKeys.runId, runId ?? 'unknown');
        this.knownGeneration = nextGen;
        const ms = Math.round(performance.now() - started);
        await ctx.recordEvent({
          level: 'warn',
          kind: 'redis.rebuilt',
          message: `rebuilt the Redis queues from MySQL (${reason}): ${jobs} job(s) in ${ms} ms`,
          data: { jobs, ms, reason, generation: nextGen },
        });
        ctx.log.info(`recovery: rebuilt Redis queues from MySQL (${reason}): ${jobs} jobs in ${ms} ms`);
        ctx.bus.emit('queue.changed', { reason: 'rebuilt from MySQL' });
        await wakeEveryone(ctx);
        return { jobs, ms };
      } finally {
        await conn.query('SELECT RELEASE_LOCK(?)', [lockName]).catch(() => undefined);
      }
    } finally {
      conn.release();
    }
  }
}
