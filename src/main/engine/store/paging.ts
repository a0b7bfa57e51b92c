import type { RowDataPacket } from 'mysql2';
import type { Pool, PoolConnection } from 'mysql2/promise';
import type { Page } from '../../../shared/types';

/** A row a list skipped because it could not be read, to be recorded as a system event. */
export interface UnreadableRow {
  table: string;
  id: string;
  error: string;
}

/** A page as read from MySQL: the items, and the rows it had to skip. */
export type ReadPage<T> = Page<T> & { unreadable: UnreadableRow[] };

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
): Promise<ReadPage<T>> {
  const all: Condition[] = q.cursor === undefined ? conditions : [...conditions, ['id < ?', q.cursor]];
  const where = all.length ? `WHERE ${all.map(([sql]) => sql).join(' AND ')}` : '';
  const hint = index ? ` FORCE INDEX (${index})` : '';
  const [rows] = await db.query<R[]>(`SELECT * FROM ${table}${hint} ${where} ORDER BY id DESC LIMIT ?`, [
    ...all.flatMap(([, ...values]) => values),
    q.limit + 1,
  ]);
  const page = rows.slice(0, q.limit);
  const items: T[] = [];
  const unreadable: UnreadableRow[] = [];
  for (const row of page) {
    try {
      items.push(map(row));
    } catch (err) {
      // One row the driver cannot turn into values (a zero date, say) must not take the list down.
      unreadable.push({ table, id: String(row.id), error: (err as Error).message });
    }
  }
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > q.limit && last ? String(last.id) : null, unreadable };
}
