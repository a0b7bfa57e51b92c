import { randomBytes } from 'node:crypto';
import type { PartContext } from '../context';
import { announceJob } from '../events/job-updated';
import type { JobRunner } from '../execution/job-runner';
import { wakeEveryone } from '../intake/push-jobs';
import { isStoreUnavailable } from '../store/errors';
import { getJobRow } from '../store/jobs';
import { claimJobs, type ClaimContext, type ClaimOutcome } from './claim';
import { overlapApplies } from './claim-verdict';
import { wakeQueuedRun } from './queued-runs';
import { Semaphore } from './semaphore';

export type DispatchContext = ClaimContext & PartContext<'health' | 'faults', 'leaseMs' | 'concurrency'>;

/**
 * How long one BLMOVE blocks before it is re-issued. It only guards against a silently dead
 * socket (a dead server closes it, and the health probe sees a hung one), so it is long: an idle
 * node re-issues it, with the LMOVE of its pinned list, twice a minute.
 */
const TAKE_TIMEOUT_S = 30;

const NOT_TAKEN: ClaimOutcome = { kind: 'none' };

/**
 * Feeds free workers. It takes an id from Redis only while a worker is free (invariant 5), so
 * other nodes can take the rest, and starts the job only after the compare-and-set claim in MySQL
 * succeeded (invariant 3). It does not take work while MySQL is down (invariant 8).
 */
export class Dispatcher {
  readonly slots: Semaphore;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<Promise<void>>();
  /** Jobs whose work has ended and whose worker was freed while their result is written. */
  private recording = 0;

  constructor(
    private readonly ctx: DispatchContext,
    private readonly runner: Pick<JobRunner, 'run' | 'isRunning'>,
  ) {
    this.slots = new Semaphore(ctx.config.concurrency);
  }

  start(): void {
    this.running = true;
    this.loopDone = this.loop();
  }

  /**
   * Stops taking new ids; running jobs go on. It does not wait for the loop: with every worker
   * busy the loop sits in acquire() until a job ends, which is what drain() waits for.
   */
  async stopTaking(): Promise<void> {
    this.running = false;
    if (!(await this.ctx.queue.interruptTake())) this.ctx.queue.abandonTake();
    this.ctx.health.releaseWaiters();
  }

  /** Resolves once the take loop has exited (after stopTaking and the last job). */
  loopFinished(): Promise<void> {
    return this.loopDone;
  }

  /** Waits for running jobs to finish, up to `ms`. */
  async drain(ms: number): Promise<boolean> {
    const all = Promise.allSettled([...this.inFlight]).then(() => true);
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref());
    return Promise.race([all, timeout]);
  }

  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async loop(): Promise<void> {
    const { ctx } = this;
    while (this.running) {
      await this.slots.acquire();
      // Every worker free now is filled from one take and one claim (invariant 5: never more).
      let held = 1 + this.slots.tryAcquire(this.slots.size - 1);
      try {
        if (!this.running) break;
        if (!ctx.health.isUp('mysql')) {
          await ctx.health.whenUp('mysql');
          continue;
        }
        if (!ctx.health.isUp('redis')) {
          await ctx.health.whenUp('redis');
          continue;
        }
        let ids: string[];
        try {
          ids = await ctx.queue.take(held, TAKE_TIMEOUT_S);
        } catch (err) {
          ctx.queue.resetBlockingClient();
          if (this.running) {
            ctx.log.warn(`dispatcher: take failed: ${(err as Error).message}`);
            await new Promise((r) => setTimeout(r, 200));
          }
          continue;
        }
        if (ids.length === 0) continue;
        // Each id taken keeps its worker until its job is done; the others are freed below.
        held -= ids.length;
        this.dispatch(ids);
      } finally {
        this.slots.release(held);
      }
    }
  }

  /** Claims the taken ids together, then follows each one to its end on its own worker. */
  private dispatch(ids: string[]): void {
    // An id can be in the ready list twice (a rebuild racing a push): one claim decides it, and
    // the other copy is dropped as any id whose claim changed nothing (release).
    const unique = [...new Set(ids)];
    const claims = this.claim(unique);
    const first = new Set<string>();
    for (const id of ids) {
      const copy = first.has(id);
      first.add(id);
      const worker = this.workerOf();
      const job = this.handle(id, copy ? Promise.resolve(new Map()) : claims, worker.executed).finally(() => {
        this.inFlight.delete(job);
        worker.done();
      });
      this.inFlight.add(job);
    }
  }

  /**
   * One taken id's worker. It is freed when the job's work has ended, before its result is
   * written (the completer groups that write with others'), so the next job starts meanwhile:
   * about 20 % more shell and HTTP jobs/s (docs/architecture.md, December 6th). At most as many
   * results as there are workers wait for their write this way; beyond that a worker stays with
   * its job to the end, so a slow MySQL slows the take instead of piling up results.
   */
  private workerOf(): { executed: () => void; done: () => void } {
    let freed = false;
    let early = false;
    const free = (): void => {
      if (freed) return;
      freed = true;
      this.slots.release();
    };
    return {
      executed: () => {
        if (freed || this.recording >= this.ctx.config.concurrency) return;
        early = true;
        this.recording += 1;
        free();
      },
      done: () => {
        if (early) this.recording -= 1;
        free();
      },
    };
  }

  private async claim(ids: string[]): Promise<Map<string, Promise<ClaimOutcome>>> {
    for (const id of ids) await this.ctx.faults.afterTake?.(id);
    return claimJobs(this.ctx, ids, randomBytes(16).toString('hex'));
  }

  private async handle(
    id: string,
    claims: Promise<Map<string, Promise<ClaimOutcome>>>,
    onExecuted: () => void,
  ): Promise<void> {
    const { ctx } = this;
    try {
      const outcome: ClaimOutcome = await ((await claims).get(id) ?? NOT_TAKEN);
      switch (outcome.kind) {
        case 'none':
          await this.release(id);
          return;
        case 'skipped':
        case 'cancelled':
          // Settled without running (overlap, missed window, paused or deleted task).
          await ctx.queue.ack(id);
          await announceJob(ctx, outcome.row);
          return;
        case 'queued':
          await ctx.queue.requeue(id, outcome.recheckAt.getTime(), outcome.row.pinned_node_id);
          await announceJob(ctx, outcome.row);
          // The run ahead may have ended between the claim and the requeue: its wake-up found
          // nothing queued yet. Looking once more closes that gap.
          await wakeQueuedRun(ctx, String(outcome.row.task_id));
          return;
        case 'run':
          break;
      }
      const { claim, task } = outcome;
      const taskId = String(claim.row.task_id);
      await this.runner.run(claim, task, onExecuted);
      // The run ended, so the oldest queued run of the task may start (only a task that overlap
      // limits has queued runs).
      if (task && overlapApplies(task.task)) {
        await wakeQueuedRun(ctx, taskId).catch((err: unknown) =>
          ctx.log.warn(`task ${taskId}: queued run not woken (it starts at its recheck): ${(err as Error).message}`),
        );
      }
    } catch (err) {
      // MySQL lost between the take and the claim is expected in an outage: no stack for it.
      if (isStoreUnavailable(err))
        ctx.log.warn(
          `dispatcher: job ${id} handed back to the queue: MySQL is unavailable (${(err as Error).message})`,
        );
      else ctx.log.error(`dispatcher: job ${id}: ${(err as Error).stack ?? String(err)}`);
      // Not claimed (or claim state unknown): give the id back to Redis; the claim guards duplicates.
      // Every scheduler is told, as for any new due time: with MySQL lost here, another node must
      // pick the id up, and its scheduler may be asleep for up to a minute.
      if (!this.runner.isRunning(id)) {
        await this.ctx.queue.requeue(id, Date.now() + 1_000, null).catch(() => undefined);
        await wakeEveryone(ctx);
      }
    }
  }

  /**
   * The claim changed nothing: the job runs elsewhere, finished, was cancelled, is not due yet
   * (a stale duplicate id, or a clock ahead of ours) or is pinned to another node. Only in the
   * last two cases must the id go back to a waiting set; otherwise it is dropped.
   */
  private async release(id: string): Promise<void> {
    const row = await getJobRow(this.ctx.pool, id);
    if (row && (row.status === 'waiting' || row.status === 'ready')) {
      await this.ctx.queue.requeue(id, row.due_at.getTime(), row.pinned_node_id);
      if (row.pinned_node_id && row.pinned_node_id !== this.ctx.nodeId)
        await this.ctx.publish({ type: 'wake', from: this.ctx.nodeId });
      else this.ctx.wake.notify();
    } else {
      await this.ctx.queue.ack(id);
    }
  }
}
