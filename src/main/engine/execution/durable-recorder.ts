import type { PartContext } from '../context';
import { announceJob } from '../events/job-updated';
import { pushJobs, type PushContext } from '../intake/push-jobs';
import { REASONS } from '../reasons';
import { isStoreUnavailable } from '../store/errors';
import { finishAttempt, type AttemptResult, type FinishPlan } from '../store/jobs';
import { insertLogChunks, type LogChunk } from '../store/logs';
import { Completer } from './completer';
import { Journal, type JournalRecord } from './journal';

export type RecorderContext = PushContext & PartContext<'pool' | 'pipelinePool' | 'bus' | 'recordEvent' | 'faults'>;

export interface FinishArgs {
  id: string;
  attempt: number;
  token: string;
  result: AttemptResult;
  plan: FinishPlan;
  pinnedNodeId: string | null;
  /** The attempt's last log chunks, written with the result. */
  logs: LogChunk[];
}

/**
 * recorded: in MySQL as given; journaled: on local disk, MySQL gets it at replay; stale: the
 * lease was taken over; substituted: MySQL refused the result itself (not an outage), and the
 * job was ended as failed with the reason instead (its state is read back from MySQL).
 */
export type FinishOutcome = 'recorded' | 'journaled' | 'stale' | 'substituted';

/** How much of the driver's message the substituted result keeps: enough to say what went wrong. */
const REFUSAL_TEXT = 300;

/**
 * Where attempts' logs and results go: MySQL when it answers, else the local journal
 * (invariant 8). While the journal holds anything, new records go there too, so MySQL receives
 * everything in the order it happened once the journal is replayed.
 */
export class DurableRecorder {
  private replaying: Promise<number> | null = null;
  private readonly completer: Completer;

  constructor(
    private readonly ctx: RecorderContext,
    readonly journal: Journal,
    private readonly onJournalChange: (pending: number) => void,
  ) {
    this.completer = new Completer(ctx);
  }

  private journalize(record: JournalRecord): void {
    this.journal.append(record);
    this.onJournalChange(this.journal.size);
  }

  async logs(chunks: LogChunk[]): Promise<void> {
    if (this.journal.size === 0) {
      try {
        await insertLogChunks(this.ctx.pool, chunks);
        return;
      } catch (err) {
        if (!isStoreUnavailable(err)) throw err;
      }
    }
    this.journalize({ type: 'logs', chunks: chunks.map((c) => ({ ...c, at: c.at.toISOString() })) });
  }

  async finish(args: FinishArgs): Promise<FinishOutcome> {
    if (this.journal.size === 0) {
      try {
        await this.ctx.faults.beforeRecord?.(args.id);
        return await this.finishOrFail(args);
      } catch (err) {
        if (!isStoreUnavailable(err)) throw err;
      }
    }
    if (args.logs.length > 0)
      this.journalize({ type: 'logs', chunks: args.logs.map((c) => ({ ...c, at: c.at.toISOString() })) });
    this.journalize({
      type: 'finish',
      id: args.id,
      attempt: args.attempt,
      token: args.token,
      result: { ...args.result, finishedAt: args.result.finishedAt.toISOString() },
      plan: { status: args.plan.status, dueAt: args.plan.dueAt ? args.plan.dueAt.toISOString() : null },
      pinnedNodeId: args.pinnedNodeId,
    });
    this.ctx.log.warn(
      `job ${args.id}: MySQL unavailable; attempt ${args.attempt}'s result kept in the journal until it returns`,
    );
    return 'journaled';
  }

  /**
   * Writes a result; if MySQL refuses it for a reason other than being away (a value it cannot
   * store, a constraint), the job is still ended: as failed, without the rest of the result and
   * its last chunks, with a short reason. No job may stay `running` because its result was bad.
   */
  private async finishOrFail(args: Omit<FinishArgs, 'pinnedNodeId'>): Promise<Exclude<FinishOutcome, 'journaled'>> {
    try {
      return (await this.completer.finish(args)) ? 'recorded' : 'stale';
    } catch (err) {
      if (isStoreUnavailable(err)) throw err;
      const why = (err as Error).message.slice(0, REFUSAL_TEXT);
      this.ctx.log.warn(`job ${args.id}: MySQL refused attempt ${args.attempt}'s result (${why}); ending it as failed`);
      const failed = await finishAttempt(this.ctx.pool, {
        id: args.id,
        attempt: args.attempt,
        token: args.token,
        result: {
          outcome: 'failed',
          exitCode: null,
          signal: null,
          httpStatus: null,
          error: `${REASONS.resultRefused}: ${why}`,
          finishedAt: args.result.finishedAt,
        },
        plan: { status: 'failed', dueAt: null },
      });
      return failed ? 'substituted' : 'stale';
    }
  }

  /** Replays the journal into MySQL (once at a time); returns how many records it applied. */
  replay(): Promise<number> {
    if (this.journal.size === 0) return Promise.resolve(0);
    if (!this.replaying) {
      const started = performance.now();
      this.replaying = this.journal
        .replay((record) => this.apply(record))
        .then(async (n) => {
          this.onJournalChange(this.journal.size);
          if (n > 0) {
            const ms = Math.round(performance.now() - started);
            await this.ctx.recordEvent({
              level: 'info',
              kind: 'journal.replayed',
              message: `replayed ${n} journal record(s) into MySQL in ${ms} ms`,
              data: { records: n, ms, durationMs: ms },
            });
          }
          return n;
        })
        .finally(() => {
          this.replaying = null;
        });
    }
    return this.replaying;
  }

  private async apply(record: JournalRecord): Promise<void> {
    const { ctx } = this;
    if (record.type === 'logs') {
      await insertLogChunks(
        ctx.pool,
        record.chunks.map((c) => ({ ...c, at: new Date(c.at) })),
      );
      return;
    }
    const plan: FinishPlan = {
      status: record.plan.status,
      dueAt: record.plan.dueAt ? new Date(record.plan.dueAt) : null,
    };
    const applied = await this.finishOrFail({
      logs: [],
      id: record.id,
      attempt: record.attempt,
      token: record.token,
      result: { ...record.result, finishedAt: new Date(record.result.finishedAt) },
      plan,
    });
    if (applied === 'recorded' && plan.status === 'waiting' && plan.dueAt) {
      await pushJobs(ctx, [{ id: record.id, dueMs: plan.dueAt.getTime(), pinnedNodeId: record.pinnedNodeId }]);
    }
    await announceJob(ctx, record.id);
  }
}
