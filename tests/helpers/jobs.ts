import { existsSync, readFileSync } from 'node:fs';
import type { RowDataPacket } from 'mysql2';
import type { Pool } from 'mysql2/promise';
import { insertJob } from '../../src/main/engine/store/jobs';
import type { TestNode } from './engine';

/** A command that appends "<job id> <attempt>" to `file`: the side effect the fault tests count. */
export function appendCommand(file: string, before = ''): string {
  return `${before}echo "$TICKR_JOB_ID $TICKR_ATTEMPT" >> ${file}`;
}

export function sideEffects(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

/** Job ids whose side effect happened more than once. */
export function duplicates(lines: string[]): string[] {
  const counts = new Map<string, number>();
  for (const l of lines) {
    const id = l.split(' ')[0]!;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n > 1).map(([id]) => id);
}

export async function rows(pool: Pool, sql: string, args: unknown[] = []): Promise<RowDataPacket[]> {
  const [r] = await pool.query<RowDataPacket[]>(sql, args);
  return r;
}

export async function count(pool: Pool, sql: string, args: unknown[] = []): Promise<number> {
  const r = await rows(pool, sql, args);
  return Number(Object.values(r[0] ?? { n: 0 })[0]);
}

/**
 * Writes `dues.length` jobs of one task straight into MySQL (multi-row inserts) and then pushes
 * them to Redis, as tasks.runNow would one by one: a fast way to make thousands of jobs.
 */
export async function bulkJobs(node: TestNode, taskId: string, dues: Date[]): Promise<string[]> {
  const pool = node.engine.context.pool;
  const ids: string[] = [];
  const now = new Date();
  for (let i = 0; i < dues.length; i += 1000) {
    const batch = dues.slice(i, i + 1000);
    const [res] = await pool.query<import('mysql2').ResultSetHeader>(
      'INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, due_at, created_at, updated_at) VALUES ?',
      [batch.map((d) => [taskId, 'waiting', 0, 3, d, d, now, now])],
    );
    // InnoDB hands a multi-row insert consecutive ids (innodb_autoinc_lock_mode 1 or 2 with one writer).
    const first = Number(res.insertId);
    const batchIds = batch.map((_, k) => String(first + k));
    ids.push(...batchIds);
    await node.engine.context.queue.add(
      batchIds.map((id, k) => ({ id, dueMs: batch[k]!.getTime(), pinnedNodeId: null })),
    );
  }
  node.engine.context.wake.notify();
  return ids;
}

export async function queueTaskOnce(node: TestNode, name: string, command: string): Promise<string> {
  const task = await node.call('tasks.create', {
    name,
    type: 'shell',
    command,
    enabled: false,
    overlap: 'allow',
    maxAttempts: 3,
    retryDelayMs: 100,
  });
  return task.id;
}

/** Jobs written to MySQL only (no Redis), so only what the test itself does reaches them. */
export async function mysqlOnlyJobs(pool: Pool, taskId: string, n: number, dueAt = new Date()): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(
      await insertJob(
        pool,
        { taskId, maxAttempts: 3, scheduledFor: dueAt, occurrenceAt: null, dueAt, pinnedNodeId: null },
        new Date(),
      ),
    );
  }
  return ids;
}
