import type { PartContext } from '../context';
import type { JobRunner } from '../execution/job-runner';
import { Periodic } from './periodic';

export type FenceContext = PartContext<'health' | 'redis' | 'log', 'leaseMs' | 'killGraceMs'>;

/** How often a node cut off from MySQL looks whether it must fence itself off. */
const FENCE_CHECK_MS = 500;

/** Kept between the end of a fenced attempt and the expiry of its lease. */
const FENCE_MARGIN_MS = 1_000;
/** Successful MySQL probes by other nodes, since this node lost MySQL, that prove a partition. */
const OTHERS_PROBES_NEEDED = 2;

/**
 * Self-fencing: a node cut off from MySQL while the other nodes still reach it ends its running
 * attempts before their leases run out. Otherwise another node reaps those leases (it cannot tell
 * a cut-off node from a dead one) and retries the jobs while the first attempts still run: the
 * same job twice at once.
 *
 * Telling a partition from an outage: every node counts each successful MySQL probe (one a
 * second) in one Redis counter. When this node loses MySQL it notes the counter; if the counter
 * then moves on by at least two (one may be a probe that was in flight as MySQL went down for
 * everyone), others reach MySQL and this node is the one cut off. When nobody reaches MySQL the
 * counter stands still, nobody reaps (the reaping hold-off), and the running jobs finish into the
 * journal (invariant 8). A node that loses Redis too cannot tell, and does not fence.
 *
 * The fenced attempts end as `interrupted` (in the journal) and are retried under their policy,
 * by the node that reaps their leases: the behaviour of a crash, without the overlap.
 */
export class SelfFence {
  /** performance.now() of this node's last successful lease renewal. */
  private lastRenewedAt = performance.now();
  /** The counter when this node lost MySQL; null while it reaches MySQL. */
  private baseline: number | null = null;
  private fenced = false;
  /** Runs the service on its period; the engine starts and stops it. */
  readonly timer: Periodic;

  constructor(
    private readonly ctx: FenceContext,
    private readonly runner: Pick<JobRunner, 'count' | 'stopAll'>,
    private readonly counterKey: string,
  ) {
    this.timer = new Periodic(FENCE_CHECK_MS, () => this.check(), ctx.log);
  }

  /** This node's leases were renewed: they run for a whole lease from now. */
  renewed(): void {
    this.lastRenewedAt = performance.now();
    this.baseline = null;
    this.fenced = false;
  }

  /**
   * After each health probe: whether this node reached MySQL (then the probe counted it), and
   * the counter as the probe left it. Losing MySQL notes the counter as the baseline.
   */
  observe(mysqlUp: boolean, counter: number): void {
    if (!this.ctx.health.isUp('redis')) return;
    if (mysqlUp) this.baseline = null;
    else if (this.baseline === null) this.baseline = counter;
  }

  /** Ends this node's running attempts if it is the one cut off and its leases are nearly out. */
  async check(): Promise<boolean> {
    if (this.fenced || this.baseline === null || this.runner.count === 0) return false;
    const { leaseMs, killGraceMs } = this.ctx.config;
    const sinceRenewal = performance.now() - this.lastRenewedAt;
    if (sinceRenewal < leaseMs - killGraceMs - FENCE_MARGIN_MS) return false;
    if (!this.ctx.health.isUp('redis')) return false;
    const othersProbes = Number((await this.ctx.redis.get(this.counterKey)) ?? 0) - this.baseline;
    if (othersProbes < OTHERS_PROBES_NEEDED) return false;
    this.fenced = true;
    this.ctx.log.warn(
      `this node has not reached MySQL for ${Math.round(sinceRenewal / 1000)} s while other nodes do: ` +
        `ending its ${this.runner.count} running job(s) before their leases run out; they are retried elsewhere`,
    );
    this.runner.stopAll('fenced');
    return true;
  }
}
