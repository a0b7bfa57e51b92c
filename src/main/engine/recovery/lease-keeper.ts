import type { PartContext } from '../context';
import type { JobRunner } from '../execution/job-runner';
import { REASONS } from '../reasons';
import { cancelRequestedOnNode, expiredLeases, renewLeases } from '../store/jobs';
import { heartbeatNode, serverUptimeSeconds } from '../store/nodes';
import { interruptAttempt, type InterruptContext } from './interrupt';
import { Periodic } from './periodic';

export type LeaseContext = InterruptContext & PartContext<'nodeId' | 'recordEvent', 'leaseMs' | 'heartbeatMs'>;

export interface LeaseKeeperDeps {
  runner: Pick<JobRunner, 'isRunning' | 'stop' | 'runningIds'>;
  /** Results this node still holds in its journal; their jobs look "running" in MySQL until replayed. */
  journalPending(): number;
  /** Told when this node's leases were renewed (the self-fence counts from then). */
  onLeasesRenewed(): void;
  /** Replays the journal into MySQL (the recorder's single-flight replay). */
  replayJournal(): Promise<unknown>;
}

/**
 * Leases (invariant 6): every heartbeat renews this node's leases in one UPDATE, picks up cancel
 * requests, and reaps the expired leases of any node, whose attempts are interrupted and retried.
 * After a MySQL outage it holds off reaping for a lease, so nodes that lived through it can renew.
 */
export class LeaseKeeper {
  /** performance.now() when this node last saw MySQL come back after being down. */
  private mysqlBackAt: number | null = null;
  private mysqlWasDown = false;
  /** Runs the service on its period; the engine starts and stops it. */
  readonly timer: Periodic;

  constructor(
    private readonly ctx: LeaseContext,
    private readonly deps: LeaseKeeperDeps,
  ) {
    this.timer = new Periodic(ctx.config.heartbeatMs, () => this.heartbeat(), ctx.log);
  }

  /** One heartbeat: renew this node's leases, note cancel requests, reap others' expired leases. */
  async heartbeat(): Promise<void> {
    const { ctx } = this;
    await renewLeases(ctx.pool, ctx.nodeId, this.deps.runner.runningIds(), ctx.config.leaseMs);
    this.deps.onLeasesRenewed();
    // MySQL answers, and the journal still holds results: a write failed while MySQL was up as
    // far as health knew (a pooled connection a server restart had closed), so no return from an
    // outage will replay them. Replay now, inside their leases: until then their jobs look
    // `running`, their leases are not renewed (they ended here) and other nodes would re-run them.
    // A replay that fails (MySQL went again) must not stop the rest of the heartbeat.
    if (this.deps.journalPending() > 0)
      await this.deps.replayJournal().catch((err: Error) => ctx.log.warn(`journal replay failed: ${err.message}`));
    await heartbeatNode(ctx.pool, ctx.nodeId, new Date());
    for (const id of await cancelRequestedOnNode(ctx.pool, ctx.nodeId)) this.deps.runner.stop(id, 'cancel');
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
      renewLeases(this.ctx.pool, this.ctx.nodeId, this.deps.runner.runningIds(), this.ctx.config.leaseMs)
        .then(() => this.deps.onLeasesRenewed())
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
    if (this.mysqlBackAt !== null && performance.now() - this.mysqlBackAt < leaseMs) {
      return 'MySQL came back less than a lease ago';
    }
    // A server that does not say its uptime (a proxy, a managed service) is taken as not restarted.
    const uptimeS = await serverUptimeSeconds(this.ctx.pool).catch(() => Number.POSITIVE_INFINITY);
    if (uptimeS * 1000 < leaseMs) return 'MySQL restarted less than a lease ago';
    return null;
  }

  async reapExpired(): Promise<number> {
    const { ctx } = this;
    // Until our journal is replayed, an expired lease may belong to a job that finished here
    // during a MySQL outage: reaping it would run it again.
    if (this.deps.journalPending() > 0) return 0;
    const expired = await expiredLeases(ctx.pool);
    if (expired.length === 0) return 0;
    const holdOff = expired.some((ref) => ref.node_id !== ctx.nodeId) ? await this.holdOffReaping() : null;
    let n = 0;
    // The nodes that left without stopping (their leases lapsed), for the timeline.
    const nodes = new Set<string>();
    for (const ref of expired) {
      // Our own running job's lease lapsed only because renewals failed; it is still ours.
      if (ref.node_id === ctx.nodeId && this.deps.runner.isRunning(String(ref.id))) continue;
      if (holdOff && ref.node_id !== ctx.nodeId) continue;
      if (await interruptAttempt(ctx, ref, REASONS.leaseExpired(ref.node_id))) {
        n += 1;
        nodes.add(String(ref.node_id));
      }
    }
    if (n > 0) {
      await ctx.recordEvent({
        level: 'warn',
        kind: 'recovery.leases',
        message: `${n} job(s) with expired leases were interrupted and requeued`,
        data: { count: n, jobs: n, nodes: [...nodes] },
      });
    }
    return n;
  }
}
