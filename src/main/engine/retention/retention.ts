import type { RetentionPolicy, RetentionRun, RetentionState } from '../../../shared/types';
import type { PartContext } from '../context';
import { lastEventOfKind } from '../store/events';
import type { Pacer } from './pacing';
import { policyFromConfig, type RetentionConfig } from './policy';
import { prune, PRUNED_EVENT, type PruneOutcome } from './pruner';

export type RetentionContext = PartContext<'pool' | 'recordEvent' | 'log'> & { config: RetentionConfig };

/** The `retention.pruned` event's data as pruner.ts writes it, or null if it is not that. */
function runOf(
  event: { at: string; nodeId: string | null; data: Record<string, unknown> } | null,
): RetentionRun | null {
  if (event === null) return null;
  const { jobs, attempts, logChunks, events, durationMs } = event.data;
  const nums = [jobs, attempts, logChunks, events, durationMs];
  if (!nums.every((n) => typeof n === 'number')) return null;
  return {
    at: event.at,
    nodeId: event.nodeId,
    durationMs: durationMs as number,
    counts: {
      jobs: jobs as number,
      attempts: attempts as number,
      logChunks: logChunks as number,
      events: events as number,
    },
  };
}

/**
 * The retention service: prunes on a timer (first a few minutes after start, then every
 * `retentionIntervalMs`), off the hot path and one node at a time (pruner.ts). It holds the
 * policy this node prunes by: the configuration's at start, changed at once by `setPolicy`
 * (retention.set); writing it to config.json is the caller's business.
 */
export class Retention {
  private policy: RetentionPolicy;
  private timer: NodeJS.Timeout | null = null;
  private nextAt: Date | null = null;
  private current: Promise<PruneOutcome> | null = null;
  private stopping = false;
  /** Ends the pause between batches early, so a stop does not wait for it. */
  private wakePause: (() => void) | null = null;

  constructor(private readonly ctx: RetentionContext) {
    this.policy = policyFromConfig(ctx.config);
  }

  /** Starts the timer; the engine calls it once MySQL is ready. */
  start(): void {
    this.stopping = false;
    this.schedule(this.ctx.config.retentionStartDelayMs);
  }

  private schedule(ms: number): void {
    if (this.stopping) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextAt = new Date(Date.now() + ms);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.nextAt = null;
      void this.runOnce()
        .catch((err: Error) => this.ctx.log.warn(`retention: ${err.message}`))
        .finally(() => this.schedule(this.ctx.config.retentionIntervalMs));
    }, ms);
    this.timer.unref();
  }

  get running(): boolean {
    return this.current !== null;
  }

  getPolicy(): RetentionPolicy {
    return { ...this.policy };
  }

  /** Changes the policy at once; a run under way goes on with the one it started with. */
  setPolicy(change: Partial<RetentionPolicy>): RetentionPolicy {
    this.policy = { ...this.policy, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) };
    return this.getPolicy();
  }

  /** Prunes now, or joins the run under way on this node. `{ ran: false }`: another node holds the lock. */
  runOnce(): Promise<PruneOutcome> {
    if (this.current) return this.current;
    const run = prune(this.ctx, this.getPolicy(), this.pacer()).finally(() => {
      this.current = null;
    });
    this.current = run;
    return run;
  }

  /** Starts a run in the background (retention.runNow); a failure is logged. */
  runInBackground(): void {
    if (this.stopping) return;
    this.runOnce().catch((err: Error) => this.ctx.log.warn(`retention: ${err.message}`));
  }

  /** The policy, the last run of any node (its event), and this node's state. */
  async state(): Promise<RetentionState> {
    const last = await lastEventOfKind(this.ctx.pool, PRUNED_EVENT);
    return {
      policy: this.getPolicy(),
      lastRun: runOf(last),
      running: this.running,
      nextRunAt: this.stopping || this.nextAt === null ? null : this.nextAt.toISOString(),
    };
  }

  private pacer(): Pacer {
    const { retentionBatchSize, retentionPauseMs } = this.ctx.config;
    return {
      batchSize: retentionBatchSize,
      stopped: () => this.stopping,
      pause: () =>
        new Promise<void>((resolve) => {
          if (this.stopping || retentionPauseMs === 0) return resolve();
          const end = (): void => {
            clearTimeout(timer);
            this.wakePause = null;
            resolve();
          };
          const timer = setTimeout(end, retentionPauseMs);
          this.wakePause = end;
        }),
    };
  }

  /** Stops the timer and a run under way after its current batch; resolves when it has ended. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextAt = null;
    this.wakePause?.();
    await this.current?.catch(() => undefined);
  }
}
