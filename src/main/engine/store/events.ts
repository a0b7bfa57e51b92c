import { COLUMN_LIMITS, fitColumn } from './bounded-text';
import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import type { EventLevel, SystemEvent } from '../../../shared/types';
import { keysetPage, type Condition, type ReadPage } from './paging';
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

/** The timeline's filters, as eventsListSchema parsed them. */
export interface EventFilter {
  kind?: string | undefined;
  level?: EventLevel | undefined;
  nodeId?: string | undefined;
}

const LEVELS_FROM: Record<EventLevel, EventLevel[]> = {
  info: ['info', 'warn', 'error'],
  warn: ['warn', 'error'],
  error: ['error'],
};

/**
 * The SQL conditions of a filter. A family (`redis.*`) is a LIKE on the kind's prefix; the
 * schema allowed only [a-z0-9_.] before it, and `_` is escaped, so no LIKE wildcard comes from the caller.
 */
export function eventConditions(f: EventFilter): Condition[] {
  const out: Condition[] = [];
  if (f.kind !== undefined) {
    out.push(
      f.kind.endsWith('.*') ? ['kind LIKE ?', `${f.kind.slice(0, -1).replace(/_/g, '\\_')}%`] : ['kind = ?', f.kind],
    );
  }
  if (f.level !== undefined && f.level !== 'info') {
    const levels = LEVELS_FROM[f.level];
    out.push([`level IN (${levels.map(() => '?').join(', ')})`, ...levels]);
  }
  if (f.nodeId !== undefined) out.push(['node_id = ?', f.nodeId]);
  return out;
}

/**
 * Newest first, keyset-paged on the id. An exact kind walks idx_events_kind; the other filters
 * walk the primary key backwards: the table grows by events, not by jobs (a few a minute at
 * worst, from the 30 s sweep), so a page stays a short walk.
 */
export async function listEvents(
  db: Executor,
  q: { limit: number; cursor?: string | undefined } & EventFilter,
): Promise<ReadPage<SystemEvent>> {
  return keysetPage<EventRow, SystemEvent>(db, 'system_events', eventConditions(q), q, eventFromRow);
}

/**
 * Adds fields to an event's data after the fact: the end of an outage goes onto the event that
 * began it, so a re-read timeline shows one entry with both ends.
 */
export async function amendEventData(db: Executor, id: string, extra: Record<string, unknown>): Promise<void> {
  const [rows] = await db.query<EventRow[]>('SELECT data_json FROM system_events WHERE id = ?', [id]);
  const row = rows[0];
  if (row === undefined) return;
  const data = row.data_json ? (JSON.parse(row.data_json) as Record<string, unknown>) : {};
  await db.execute('UPDATE system_events SET data_json = ? WHERE id = ?', [JSON.stringify({ ...data, ...extra }), id]);
}

/** The newest event of `kind`, or null (idx_events_kind: one index entry read). */
export async function lastEventOfKind(db: Executor, kind: string): Promise<SystemEvent | null> {
  const [rows] = await db.query<EventRow[]>('SELECT * FROM system_events WHERE kind = ? ORDER BY id DESC LIMIT 1', [
    kind,
  ]);
  const row = rows[0];
  return row === undefined ? null : eventFromRow(row);
}
