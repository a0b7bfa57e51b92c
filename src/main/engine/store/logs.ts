import type { Pool, PoolConnection } from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2';
import type { LogPage, LogStream } from '../../../shared/types';
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

/** The last sequence number used for a job, so a new attempt continues after it. */
export async function lastLogSeq(db: Executor, jobId: string): Promise<number> {
  const [rows] = await db.execute<RowDataPacket[]>('SELECT COALESCE(MAX(seq), 0) AS s FROM job_logs WHERE job_id=?', [jobId]);
  return Number(rows[0]?.s ?? 0);
}

/**
 * Writes chunks in one multi-row statement. INSERT IGNORE on (job_id, seq) makes a replay from
 * the journal idempotent: a chunk already written is skipped.
 */
export async function insertLogChunks(db: Executor, chunks: readonly LogChunk[]): Promise<void> {
  if (chunks.length === 0) return;
  const values = chunks.map((c) => [c.jobId, c.seq, c.attempt, c.stream, c.at, c.text]);
  await db.query('INSERT IGNORE INTO job_logs (job_id, seq, attempt, stream, at, text) VALUES ?', [values]);
}

export async function readLogs(db: Executor, q: { jobId: string; attempt?: number | undefined; afterSeq?: number | undefined; limit: number }): Promise<LogPage> {
  const where = ['job_id = ?', 'seq > ?'];
  const args: (string | number)[] = [q.jobId, q.afterSeq ?? 0];
  if (q.attempt !== undefined) {
    where.push('attempt = ?');
    args.push(q.attempt);
  }
  const [rows] = await db.query<LogRow[]>(`SELECT seq, attempt, stream, at, text FROM job_logs WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`, [...args, q.limit]);
  const items = rows.map(logFromRow);
  const last = items[items.length - 1];
  return { items, nextSeq: last ? last.seq : (q.afterSeq ?? 0) };
}
