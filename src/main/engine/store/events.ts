import { COLUMN_LIMITS, fitColumn } from './bounded-text';
import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import type { EventLevel, SystemEvent } from '../../../shared/types';
import { keysetPage, type ReadPage } from './paging';
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
  const message = fitColumn(e.message, COLUMN_LIMITS.eventMessage);
  const [res] = await db.execute<ResultSetHeader>(
    'INSERT INTO system_events (at, level, kind, message, node_id, data_json) VALUES (?, ?, ?, ?, ?, ?)',
    [at, e.level, e.kind, message, e.nodeId, JSON.stringify(data)],
  );
  return {
    id: String(res.insertId),
    at: at.toISOString(),
    level: e.level,
    kind: e.kind,
    message,
    nodeId: e.nodeId,
    data,
  };
}

export async function listEvents(
  db: Executor,
  q: { limit: number; cursor?: string | undefined; kind?: string | undefined },
): Promise<ReadPage<SystemEvent>> {
  return keysetPage<EventRow, SystemEvent>(
    db,
    'system_events',
    q.kind === undefined ? [] : [['kind = ?', q.kind]],
    q,
    eventFromRow,
  );
}

/** The newest event of `kind`, or null (idx_events_kind: one index entry read). */
export async function lastEventOfKind(db: Executor, kind: string): Promise<SystemEvent | null> {
  const [rows] = await db.query<EventRow[]>('SELECT * FROM system_events WHERE kind = ? ORDER BY id DESC LIMIT 1', [
    kind,
  ]);
  const row = rows[0];
  return row === undefined ? null : eventFromRow(row);
}
