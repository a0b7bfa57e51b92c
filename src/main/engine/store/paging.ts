import type { RowDataPacket } from 'mysql2';
import type { Pool, PoolConnection } from 'mysql2/promise';
import type { Page } from '../../../shared/types';

/** One condition of a list query with its values (the SQL is ours, never the caller's). */
export type Condition = [sql: string, ...values: (string | number)[]];

/**
 * Keyset pagination, newest first: `WHERE … AND id < cursor ORDER BY id DESC LIMIT n+1`. With an
 * index ending in `id` for each filter combination, a page reads n+1 index entries however large
 * the table grows; the extra row tells whether there is a next page.
 */
export async function keysetPage<R extends RowDataPacket, T extends { id: string }>(
  db: Pool | PoolConnection,
  table: 'jobs' | 'tasks' | 'system_events',
  conditions: Condition[],
  q: { limit: number; cursor?: string | undefined },
  map: (row: R) => T,
  /**
   * The index that serves these conditions in id order. Named, because the optimizer otherwise
   * may walk the primary key backwards and filter, which is fine for a common value and a full
   * table scan for a rare one (a task with ten jobs among a million).
   */
  index?: string,
): Promise<Page<T>> {
  const all: Condition[] = q.cursor === undefined ? conditions : [...conditions, ['id < ?', q.cursor]];
  const where = all.length ? `WHERE ${all.map(([sql]) => sql).join(' AND ')}` : '';
  const hint = index ? ` FORCE INDEX (${index})` : '';
  const [rows] = await db.query<R[]>(`SELECT * FROM ${table}${hint} ${where} ORDER BY id DESC LIMIT ?`, [
    ...all.flatMap(([, ...values]) => values),
    q.limit + 1,
  ]);
  const items = rows.slice(0, q.limit).map(map);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > q.limit && last ? last.id : null };
}
