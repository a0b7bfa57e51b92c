import type { RowDataPacket } from 'mysql2';
import type { PoolConnection, ResultSetHeader } from 'mysql2/promise';
import type { Pacer } from './pacing';

/**
 * Deletes system events from before `before`. system_events has no index on `at`, and needs
 * none: ids grow with time, so the old events are a prefix of the primary key. The first event
 * young enough to stay bounds that prefix (an index walk that stops at once when nothing is
 * old); `at` is checked too, so an event a node with a fast clock wrote out of order stays.
 */
export async function pruneEvents(conn: PoolConnection, before: Date, pacer: Pacer): Promise<number> {
  const [young] = await conn.query<RowDataPacket[]>('SELECT id FROM system_events WHERE at >= ? ORDER BY id LIMIT 1', [
    before,
  ]);
  let bound: string;
  if (young.length > 0) bound = String(young[0]!.id);
  else {
    const [last] = await conn.query<RowDataPacket[]>('SELECT MAX(id) AS id FROM system_events');
    if (last[0]?.id === null || last[0]?.id === undefined) return 0;
    bound = (BigInt(String(last[0].id)) + 1n).toString();
  }
  let deleted = 0;
  while (!pacer.stopped()) {
    const [res] = await conn.query<ResultSetHeader>(
      'DELETE FROM system_events WHERE id < ? AND at < ? ORDER BY id LIMIT ?',
      [bound, before, pacer.batchSize],
    );
    deleted += res.affectedRows;
    if (res.affectedRows < pacer.batchSize) break;
    await pacer.pause();
  }
  return deleted;
}
