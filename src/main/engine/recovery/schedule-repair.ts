import { coalesced } from '../../../shared/coalesced';
import type { PartContext } from '../context';
import {
  catchUpFrom,
  NOTHING_WRITTEN,
  publishWritten,
  writeOccurrencePlan,
  type PublishWrittenContext,
} from '../intake/occurrence-plan';
import { REASONS } from '../reasons';
import { inTransaction } from '../store/db';
import { asStoreError } from '../store/errors';
import { hasUndispatchedOccurrence, tasksWithoutPendingOccurrence } from '../store/occurrences';
import { getTaskRecord, type TaskRecord } from '../store/tasks';
import type { ClockJump } from './clock-jump';

export type ScheduleRepairContext = PublishWrittenContext & PartContext<'pool' | 'log' | 'wake'>;

function isRecurring(task: TaskRecord): boolean {
  return task.task.schedule.type === 'interval' || task.task.schedule.type === 'cron';
}

/**
 * Repairs recurring tasks whose chain of occurrences broke: at start (the node was down), when
 * the machine wakes from sleep, and when the clock watcher sees the clock jump (the timers slept
 * too). A task that has no occurrence waiting gets what it missed through its catch-up policy and
 * its next occurrence made (docs/scheduling.md). Pending occurrences that are overdue are handled
 * when they are claimed (the late-run rule), so this is cheap when nothing broke.
 */
export class ScheduleRepair {
  private readonly reevaluateCoalesced: () => Promise<void>;

  constructor(
    private readonly ctx: ScheduleRepairContext,
    /** False once the node stops: a re-evaluation merged into a running one is then dropped. */
    keepGoing: () => boolean,
  ) {
    this.reevaluateCoalesced = coalesced(async () => {
      await this.reconcileAll().catch((err: unknown) =>
        this.ctx.log.warn(`schedules not re-evaluated: ${(asStoreError(err) as Error).message}`),
      );
      this.ctx.wake.notify();
    }, keepGoing);
  }

  /**
   * Re-evaluates every schedule and wakes the promoter, so overdue occurrences are claimed now.
   * Calls that arrive while one runs share one more run after it, so a resume seen by both
   * powerMonitor and the clock watcher costs two at most.
   */
  reevaluate(): Promise<void> {
    return this.reevaluateCoalesced();
  }

  /** The clock watcher saw a sleep or a clock change: re-evaluate, then record what was seen. */
  async afterClockJump(jump: ClockJump): Promise<void> {
    const seconds = (jump.driftMs / 1000).toFixed(1);
    const message =
      jump.driftMs > 0
        ? `the wall clock moved ${seconds} s further than the timers (the machine slept or its clock was set): schedules re-evaluated`
        : `the wall clock was set back ${seconds.replace('-', '')} s: schedules re-evaluated`;
    this.ctx.log.info(message);
    await this.reevaluate();
    await this.ctx.recordEvent({ level: 'info', kind: 'clock.jumped', message, data: { driftMs: jump.driftMs } });
  }

  /**
   * Repairs one task's chain: if an enabled recurring task has no occurrence waiting to be
   * dispatched, what it missed since its last occurrence goes through its catch-up policy and its
   * next occurrence is made. Returns how many jobs it made.
   */
  async reconcileTask(taskId: string, now: Date, reason: string = REASONS.missed): Promise<number> {
    const written = await inTransaction(this.ctx.pool, async (conn) => {
      const task = await getTaskRecord(conn, taskId, { forUpdate: true });
      if (!task || !task.task.enabled || !isRecurring(task)) return NOTHING_WRITTEN;
      if (await hasUndispatchedOccurrence(conn, taskId)) return NOTHING_WRITTEN;
      const from = await catchUpFrom(conn, task);
      return writeOccurrencePlan(conn, task, from, now, { runningNow: false, reason });
    });
    await publishWritten(this.ctx, written);
    return written.created.length;
  }

  /** Every enabled recurring task keeps exactly one occurrence ahead: repairs those that do not. */
  async reconcileAll(now = new Date()): Promise<{ tasks: number; jobs: number }> {
    let tasks = 0;
    let jobs = 0;
    for (const id of await tasksWithoutPendingOccurrence(this.ctx.pool)) {
      try {
        jobs += await this.reconcileTask(id, now);
        tasks += 1;
      } catch (err) {
        this.ctx.log.warn(`task ${id}: schedule not re-evaluated: ${(err as Error).message}`);
      }
    }
    return { tasks, jobs };
  }
}
