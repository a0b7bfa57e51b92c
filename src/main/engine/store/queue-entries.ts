import type { RowDataPacket } from 'mysql2';
import type { Pool, PoolConnection } from 'mysql2/promise';

type Executor = Pool | PoolConnection;

/** What the queue lanes show of a job besides its id: its task, its attempt, when it started. */
export interface QueueEntryFacts {
  taskId: string;
  status: string;
  taskName: string | null;
  attempt: number;
  maxAttempts: number;
  startedAt: Date | null;
}

interface EntryRow extends RowDataPacket {
  id: string;
  task_id: string;
  status: string;
  name: string | null;
  attempt: number;
  max_attempts: number;
  started_at: Date | null;
}

/** The most ids one statement carries; a snapshot names a few hundred. */
const IDS_PER_QUERY = 1_000;

/**
 * The facts of every id a queue snapshot shows, in one statement by primary key (not one per
 * id), with each job's task name joined in. An id with no row (purged since) is left out.
 */
export async function readQueueEntries(db: Executor, ids: readonly string[]): Promise<Map<string, QueueEntryFacts>> {
  const facts = new Map<string, QueueEntryFacts>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    const [rows] = await db.query<EntryRow[]>(
      `SELECT j.id, j.task_id, j.status, t.name, j.attempt, j.max_attempts, j.started_at
       FROM jobs j LEFT JOIN tasks t ON t.id = j.task_id WHERE j.id IN (?)`,
      [unique.slice(i, i + IDS_PER_QUERY)],
    );
    for (const r of rows) {
      facts.set(String(r.id), {
        taskId: String(r.task_id),
        status: r.status,
        taskName: r.name,
        attempt: r.attempt,
        maxAttempts: r.max_attempts,
        startedAt: r.started_at,
      });
    }
  }
  return facts;
}
