import { randomUUID } from 'node:crypto';
import type { RowDataPacket } from 'mysql2';
import type { BulkAction, JobFilter, JobStatus } from '../../../shared/schemas';
import { TickrError } from '../../../shared/errors';
import type { BulkOperation, BulkPreview } from '../../../shared/types';
import type { PartContext } from '../context';
import { guardStore } from '../store/errors';
import { filterQuery } from '../store/job-filter';
import type { Condition } from '../store/paging';
import type { JobCommands } from './job-commands';

export type BulkContext = PartContext<'pool' | 'bus' | 'log'>;

/** The statuses each action applies to. */
const ELIGIBLE: Record<BulkAction, readonly JobStatus[]> = {
  retry: ['failed', 'cancelled', 'skipped'],
  cancel: ['waiting', 'ready', 'running'],
};
/** Ids read per page, and jobs acted on at once: enough to be quick, few enough to leave the pool to the scheduler. */
const PAGE = 100;
const PARALLEL = 4;
/** Finished operations kept for `jobs.bulkList`, newest first. */
const KEEP_FINISHED = 20;

interface Live {
  op: BulkOperation;
  key: string;
  stopRequested: boolean;
  loop: Promise<void>;
}

/**
 * Bulk actions over everything a filter matches, not one page (the Jobs view): a dry run counts,
 * then the node that was asked runs the action in pages on the server, announcing its progress as
 * `bulk.progress` events. Decisions (docs/architecture.md, "Bulk actions"):
 * - The set is fixed at the start: only jobs with an id up to the newest one then, so the jobs a
 *   retry makes are never retried by the same operation, and the count shown first is the total.
 * - One status at a time, each page by keyset on an index ending in id, so a page costs the same
 *   at a million jobs as at ten.
 * - The same action on the same filter while one runs returns that one (a second click does not
 *   start it twice); a retry marks the job it retried in the same transaction, so even two
 *   operations whose filters overlap retry a job once.
 * - Operations live in the node's memory: a node that stops ends its operations between jobs,
 *   and what they did is already durable, job by job.
 */
export class BulkOperations {
  private readonly live = new Map<string, Live>();
  private readonly starting = new Map<string, Promise<BulkOperation>>();

  constructor(
    private readonly ctx: BulkContext,
    private readonly jobs: JobCommands,
  ) {}

  async preview(action: BulkAction, filter: JobFilter): Promise<BulkPreview> {
    const ceiling = await this.newestId();
    return { action, filter, matching: await this.count(action, filter, ceiling) };
  }

  async start(action: BulkAction, filter: JobFilter): Promise<BulkOperation> {
    const key = JSON.stringify([action, sortedFilter(filter)]);
    const same = [...this.live.values()].find((l) => l.key === key && isActive(l.op));
    if (same) return { ...same.op };
    // Two clicks sent at once both arrive before either has counted: the second waits for the
    // first's start and gets the same operation.
    const pending = this.starting.get(key);
    if (pending) return { ...(await pending) };
    const begun = this.begin(action, filter, key);
    this.starting.set(key, begun);
    try {
      return { ...(await begun) };
    } finally {
      this.starting.delete(key);
    }
  }

  private async begin(action: BulkAction, filter: JobFilter, key: string): Promise<BulkOperation> {
    const ceiling = await this.newestId();
    const total = await this.count(action, filter, ceiling);
    const op: BulkOperation = {
      id: `bulk-${randomUUID()}`,
      action,
      filter,
      state: 'running',
      total,
      done: 0,
      skipped: 0,
      failed: 0,
      firstError: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
    const entry: Live = { op, key, stopRequested: false, loop: Promise.resolve() };
    this.live.set(op.id, entry);
    this.prune();
    entry.loop = this.run(entry, ceiling);
    this.announce(entry);
    return op;
  }

  get(id: string): BulkOperation {
    const entry = this.live.get(id);
    if (!entry) throw new TickrError('NOT_FOUND', `id: no bulk operation ${id} on this node`);
    return { ...entry.op };
  }

  list(): BulkOperation[] {
    return [...this.live.values()].map((l) => ({ ...l.op })).reverse();
  }

  /** Asks an operation to stop; it ends after the jobs in hand, and says so in its state. */
  stop(id: string): BulkOperation {
    const entry = this.live.get(id);
    if (!entry) throw new TickrError('NOT_FOUND', `id: no bulk operation ${id} on this node`);
    if (entry.op.state === 'running') {
      entry.stopRequested = true;
      entry.op.state = 'stopping';
      this.announce(entry);
    }
    return { ...entry.op };
  }

  /** Shutdown: every operation stops between jobs; resolves when all have. */
  async stopAll(): Promise<void> {
    for (const entry of this.live.values()) if (entry.op.state === 'running') this.stop(entry.op.id);
    await Promise.all([...this.live.values()].map((l) => l.loop));
  }

  private async run(entry: Live, ceiling: string): Promise<void> {
    const { op } = entry;
    try {
      for (const status of statusesFor(op.action, op.filter)) {
        let below = (BigInt(ceiling) + 1n).toString();
        while (!entry.stopRequested) {
          const ids = await this.page(op, status, below);
          if (ids.length === 0) break;
          await this.actOn(entry, ids);
          below = ids[ids.length - 1]!;
          this.announce(entry);
        }
      }
      op.state = entry.stopRequested ? 'stopped' : 'finished';
      // A job that left the filter while the walk went on (it started, or finished) was never
      // reached: it counts as skipped, so that a finished operation's counts add up to its total.
      if (op.state === 'finished') op.skipped = Math.max(op.skipped, op.total - op.done - op.failed);
    } catch (err) {
      // MySQL went away (or an error that is not one job's): the operation ends here and says why;
      // everything it did so far is recorded, job by job.
      op.state = 'failed';
      op.firstError ??= (err as Error).message;
      this.ctx.log.warn(`bulk ${op.action} ${op.id} ended: ${(err as Error).message}`);
    }
    op.finishedAt = new Date().toISOString();
    this.announce(entry);
  }

  /** Acts on one page, PARALLEL jobs at a time; a job that changed state meanwhile is skipped. */
  private async actOn(entry: Live, ids: string[]): Promise<void> {
    const { op } = entry;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length && !entry.stopRequested) {
        const id = ids[next++]!;
        try {
          if (op.action === 'retry') await this.jobs.retryJob(id, { once: true });
          else await this.jobs.cancelJob(id);
          op.done += 1;
        } catch (err) {
          const code = err instanceof TickrError ? err.code : null;
          if (code === 'CONFLICT' || code === 'NOT_FOUND') op.skipped += 1;
          else if (code === 'STORE_UNAVAILABLE') throw err;
          else {
            op.failed += 1;
            op.firstError ??= `job ${id}: ${(err as Error).message}`;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
  }

  private conditions(action: BulkAction, filter: JobFilter, status: JobStatus, below: string) {
    const { conditions, index } = filterQuery({ ...filter, status });
    const all: Condition[] = [...conditions, ['id < ?', below]];
    if (action === 'retry') all.push(['retried_as IS NULL']);
    return { where: all.map(([sql]) => sql).join(' AND '), values: all.flatMap(([, ...v]) => v), index };
  }

  private async page(op: BulkOperation, status: JobStatus, below: string): Promise<string[]> {
    const { where, values, index } = this.conditions(op.action, op.filter, status, below);
    const hint = index ? ` FORCE INDEX (${index})` : '';
    const [rows] = await guardStore(() =>
      this.ctx.pool.query<RowDataPacket[]>(`SELECT id FROM jobs${hint} WHERE ${where} ORDER BY id DESC LIMIT ?`, [
        ...values,
        PAGE,
      ]),
    );
    return rows.map((r) => String(r.id));
  }

  private async count(action: BulkAction, filter: JobFilter, ceiling: string): Promise<number> {
    const below = (BigInt(ceiling) + 1n).toString();
    let total = 0;
    for (const status of statusesFor(action, filter)) {
      const { where, values, index } = this.conditions(action, filter, status, below);
      const hint = index ? ` FORCE INDEX (${index})` : '';
      const [rows] = await guardStore(() =>
        this.ctx.pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM jobs${hint} WHERE ${where}`, values),
      );
      total += Number(rows[0]?.n ?? 0);
    }
    return total;
  }

  private async newestId(): Promise<string> {
    const [rows] = await guardStore(() =>
      this.ctx.pool.query<RowDataPacket[]>('SELECT COALESCE(MAX(id), 0) AS id FROM jobs'),
    );
    return String(rows[0]?.id ?? '0');
  }

  private announce(entry: Live): void {
    this.ctx.bus.emit('bulk.progress', { ...entry.op });
  }

  /** Keeps every active operation and the newest KEEP_FINISHED others. */
  private prune(): void {
    const ended = [...this.live.values()].filter((l) => !isActive(l.op));
    for (const old of ended.slice(0, Math.max(0, ended.length - KEEP_FINISHED))) this.live.delete(old.op.id);
  }
}

function isActive(op: BulkOperation): boolean {
  return op.state === 'running' || op.state === 'stopping';
}

/** The statuses to walk: the action's, narrowed by the filter's own status if it names one. */
function statusesFor(action: BulkAction, filter: JobFilter): JobStatus[] {
  const eligible = ELIGIBLE[action];
  if (filter.status === undefined) return [...eligible];
  return eligible.includes(filter.status) ? [filter.status] : [];
}

/** A filter with its keys in one order, so the same filter typed twice is recognised. */
function sortedFilter(filter: JobFilter): [string, unknown][] {
  return Object.entries(filter)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
}
