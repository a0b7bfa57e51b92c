import mysql from 'mysql2/promise';
import type { JobStatus } from '../../../src/shared/schemas';
import { MYSQL_ROOT_URL } from '../../helpers/services';
import type { ServeNode } from './serve-node';

/**
 * Many finished jobs in a node's database in seconds: multi-row INSERTs straight into `jobs`, the
 * way bench/lib/fill.mjs fills it, rather than running each job. Only final statuses, so the node
 * has nothing to schedule or sweep; their due times step back from `endAt`, one per `stepMs`.
 */
export interface SeedBatch {
  taskId: string;
  status: Extract<JobStatus, 'succeeded' | 'failed' | 'cancelled' | 'skipped'>;
  count: number;
  /** The newest job's due time; older ones step back from it. */
  endAt: Date;
  stepMs?: number;
  /** How long each one ran. */
  durationMs?: number;
  /** The node it ran on; none by default. */
  nodeId?: string;
}

/** Rows per statement: well under max_allowed_packet. */
const ROWS = 5_000;

export async function seedJobs(node: ServeNode, batches: readonly SeedBatch[]): Promise<{ ms: number }> {
  const started = performance.now();
  const u = new URL(MYSQL_ROOT_URL);
  const db = await mysql.createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username) || 'root',
    password: decodeURIComponent(u.password),
    database: node.database,
    // As the engine's pool: DATETIME(3) columns hold UTC.
    timezone: 'Z',
  });
  try {
    for (const batch of batches) {
      const step = batch.stepMs ?? 1_000;
      const duration = batch.durationMs ?? 200;
      const failed = batch.status === 'failed';
      for (let i = 0; i < batch.count; i += ROWS) {
        const rows = Array.from({ length: Math.min(ROWS, batch.count - i) }, (_, k) => {
          // Inserted oldest first, so that ids grow with due times, as the engine makes them.
          const due = new Date(batch.endAt.getTime() - (batch.count - 1 - (i + k)) * step);
          const finished = new Date(due.getTime() + duration);
          return [
            batch.taskId,
            batch.status,
            1,
            1,
            due,
            due,
            batch.status === 'skipped' ? null : due,
            batch.status === 'skipped' ? null : finished,
            failed ? 1 : batch.status === 'succeeded' ? 0 : null,
            failed ? 'exited with code 1' : null,
            batch.nodeId ?? null,
            finished,
            finished,
          ];
        });
        await db.query(
          `INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, due_at, started_at, finished_at,
             exit_code, error, node_id, created_at, updated_at) VALUES ?`,
          [rows],
        );
      }
    }
  } finally {
    await db.end();
  }
  return { ms: Math.round(performance.now() - started) };
}
