import type { Pool, PoolConnection } from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2';

type Executor = Pool | PoolConnection;

/** Small key/value facts shared by all nodes, such as the Redis generation marker. */
export async function getMeta(db: Executor, key: string): Promise<string | null> {
  const [rows] = await db.execute<RowDataPacket[]>('SELECT v FROM meta WHERE k=?', [key]);
  const v = rows[0]?.v;
  return typeof v === 'string' ? v : null;
}

export async function setMeta(db: Executor, key: string, value: string): Promise<void> {
  await db.execute('INSERT INTO meta (k, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v=VALUES(v)', [key, value]);
}

/** Sets `key` only if nothing holds it yet (the first node to start decides); returns what holds it. */
export async function claimMeta(db: Executor, key: string, value: string): Promise<string> {
  await db.execute('INSERT IGNORE INTO meta (k, v) VALUES (?, ?)', [key, value]);
  return (await getMeta(db, key)) ?? value;
}
