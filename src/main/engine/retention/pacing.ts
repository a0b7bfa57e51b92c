import type { PoolConnection, ResultSetHeader } from 'mysql2/promise';

/**
 * How a pruning run paces itself: statements of at most `batchSize` rows, a pause between batches
 * (so the claims and finishes of running jobs get the server between them), and a stop flag
 * checked before every batch, so a node that shuts down leaves within one batch.
 */
export interface Pacer {
  readonly batchSize: number;
  pause(): Promise<void>;
  stopped(): boolean;
}

/**
 * Runs a `DELETE … LIMIT ?` (the limit is appended as the last argument) until it deletes fewer
 * rows than a batch; returns how many it deleted in all.
 */
export async function deleteInBatches(
  conn: PoolConnection,
  sql: string,
  args: unknown[],
  batchSize: number,
): Promise<number> {
  let total = 0;
  for (;;) {
    const [res] = await conn.query<ResultSetHeader>(`${sql} LIMIT ?`, [...args, batchSize]);
    total += res.affectedRows;
    if (res.affectedRows < batchSize) return total;
  }
}
