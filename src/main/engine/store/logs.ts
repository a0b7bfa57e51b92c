import type { Pool, PoolConnection } from 'mysql2/promise';
import type { LogPage, LogStream } from '../../../shared/types';
import { placeholders, type Statement } from './db';
import { logFromRow, type LogRow } from './rows';

type Executor = Pool | PoolConnection;

export interface LogChunk {
  jobId: string;
  seq: number;
  attempt: number;
  stream: LogStream;
  at: Date;
  text: string;
}

/**
 * Each attempt numbers its chunks from its own base: attempt n after (n - 1) x 10,000,000.
 * Counting on from the job's last stored chunk is not enough: an attempt whose last chunks sit in
 * a cut-off node's journal has not stored them yet, so its retry on another node would take the
 * same numbers, and the replay (INSERT IGNORE on job_id, seq) would drop the first attempt's end.
 * An attempt keeps at most 1 MiB of output, so it never has 10,000,000 chunks; with at most 100
 * attempts the largest number stays within the INT column. No query is needed either.
 */
export const SEQ_PER_ATTEMPT = 10_000_000;

export function seqBaseOf(attempt: number): number {
  return (attempt - 1) * SEQ_PER_ATTEMPT;
}

/**
 * Writes chunks in one multi-row statement. INSERT IGNORE on (job_id, seq) makes a replay from
 * the journal idempotent: a chunk already written is skipped.
 */
export async function insertLogChunks(db: Executor, chunks: readonly LogChunk[]): Promise<void> {
  if (chunks.length === 0) return;
  const insert = logChunksInsert(chunks);
  await db.query(insert.sql, insert.values);
}

/** The INSERT IGNORE of log chunks, for a caller that sends it with other statements. */
export function logChunksInsert(chunks: readonly LogChunk[]): Statement {
  return {
    sql: `INSERT IGNORE INTO job_logs (job_id, seq, attempt, stream, at, text) VALUES ${placeholders(chunks.length, '(?, ?, ?, ?, ?, ?)')}`,
    values: chunks.flatMap((c) => [c.jobId, c.seq, c.attempt, c.stream, c.at, c.text]),
  };
}

export async function readLogs(
  db: Executor,
  q: { jobId: string; attempt?: number | undefined; afterSeq?: number | undefined; limit: number },
): Promise<LogPage> {
  const where = ['job_id = ?', 'seq > ?'];
  const args: (string | number)[] = [q.jobId, q.afterSeq ?? 0];
  if (q.attempt !== undefined) {
    where.push('attempt = ?');
    args.push(q.attempt);
  }
  const [rows] = await db.query<LogRow[]>(
    `SELECT seq, attempt, stream, at, text FROM job_logs WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`,
    [...args, q.limit],
  );
  const items = rows.map(logFromRow);
  const last = items[items.length - 1];
  return { items, nextSeq: last ? last.seq : (q.afterSeq ?? 0) };
}
