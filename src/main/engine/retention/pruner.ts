import { performance } from 'node:perf_hooks';
import type { RowDataPacket } from 'mysql2';
import type { PoolConnection } from 'mysql2/promise';
import type { RetentionCounts, RetentionPolicy } from '../../../shared/types';
import type { PartContext } from '../context';
import type { Pacer } from './pacing';
import { addCounts, cutoffs, NO_COUNTS } from './policy';
import { pruneEvents } from './prune-events';
import { pruneOldJobs, pruneOverCap } from './prune-jobs';
import { pruneSucceededLogs } from './prune-logs';

export const PRUNED_EVENT = 'retention.pruned';

export type PruneContext = PartContext<'pool' | 'recordEvent'>;

export type PruneOutcome =
  | { ran: true; counts: RetentionCounts; durationMs: number; stopped: boolean }
  /** Another node holds the lock: it is pruning, and one at a time is enough. */
  | { ran: false };

/**
 * The lock name: per database, as GET_LOCK names are per server and several installations (or
 * test databases) may share one. GET_LOCK rather than a Redis lock: pruning only touches MySQL,
 * so it runs when MySQL answers whatever Redis does; the lock belongs to the session, so a node
 * that dies or loses its connection frees it at once, and no TTL has to outlast a long run.
 */
async function lockName(conn: PoolConnection): Promise<string> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT DATABASE() AS db');
  return `tickr_retention_${String(rows[0]?.db ?? '')}`.slice(0, 64);
}

/**
 * One pruning run: takes the cluster-wide lock without waiting (a node that finds it taken does
 * nothing), runs the passes in order on one connection, and records `retention.pruned` with the
 * counts. Every statement runs on the lock's own connection, so a run holds one pool connection
 * and the claims and finishes of running jobs keep the rest.
 */
export async function prune(
  ctx: PruneContext,
  policy: RetentionPolicy,
  pacer: Pacer,
  now = new Date(),
): Promise<PruneOutcome> {
  const conn = await ctx.pool.getConnection();
  try {
    const name = await lockName(conn);
    const [got] = await conn.query<RowDataPacket[]>('SELECT GET_LOCK(?, 0) AS got', [name]);
    if (Number(got[0]?.got) !== 1) return { ran: false };
    const t0 = performance.now();
    let counts = NO_COUNTS;
    try {
      const cut = cutoffs(policy, now);
      counts = addCounts(counts, await pruneOldJobs(conn, cut.jobsBefore, pacer));
      counts = addCounts(counts, await pruneOverCap(conn, policy.maxJobsPerTask, pacer));
      counts = addCounts(counts, { logChunks: await pruneSucceededLogs(conn, cut.succeededLogsBefore, pacer) });
      counts = addCounts(counts, { events: await pruneEvents(conn, cut.eventsBefore, pacer) });
    } finally {
      await conn.query('SELECT RELEASE_LOCK(?)', [name]).catch(() => undefined);
    }
    const durationMs = Math.round(performance.now() - t0);
    const stopped = pacer.stopped();
    await ctx.recordEvent({
      level: 'info',
      kind: PRUNED_EVENT,
      message:
        `retention pruned ${counts.jobs} job(s), ${counts.attempts} attempt(s), ${counts.logChunks} log chunk(s) ` +
        `and ${counts.events} event(s) in ${durationMs} ms${stopped ? " (stopped by the node's shutdown)" : ''}`,
      data: { ...counts, durationMs, stopped, policy },
    });
    return { ran: true, counts, durationMs, stopped };
  } finally {
    conn.release();
  }
}
