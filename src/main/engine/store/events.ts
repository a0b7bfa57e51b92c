import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import type { EventLevel, Page, SystemEvent } from '../../../shared/types';
import { eventFromRow, type EventRow } from './rows';

type Executor = Pool | PoolConnection;

export interface NewEvent {
  level: EventLevel;
  kind: string;
  message: string;
  nodeId: string | null;
  data?: Record<string, unknown>;
}

export async function appendEvent(db: Executor, e: NewEvent, at: Date): Promise<SystemEvent> {
  const data = e.data ?? {};
  const message = e.message.slice(0, 2000);
  const [res] = await db.execute<ResultSetHeader>(
    'INSERT INTO system_events (at, level, kind, message, node_id, data_json) VALUES (?, ?, ?, ?, ?, ?)',
    [at, e.level, e.kind, message, e.nodeId, JSON.stringify(data)],
  );
  return { id: String(res.insertId), at: at.toISOString(), level: e.level, kind: e.kind, message, nodeId: e.nodeId, data };
}

export async function listEvents(db: Executor, q: { limit: number; cursor?: string | undefined; kind?: string | undefined }): Promise<Page<SystemEvent>> {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (q.kind !== undefined) {
    where.push('kind = ?');
    args.push(q.kind);
  }
  if (q.cursor !== undefined) {
    if (!/^[0-9]+$/.test(q.cursor)) return { items: [], nextCursor: null };
    where.push('id < ?');
    args.push(q.cursor);
  }
  const [rows] = await db.query<EventRow[]>(
    `SELECT * FROM system_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
    [...args, q.limit + 1],
  );
  const items = rows.slice(0, q.limit).map(eventFromRow);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > q.limit && last ? last.id : null };
}
