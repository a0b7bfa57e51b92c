import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { ScheduleInput, TaskType, OverlapPolicy, CatchUpPolicy, TaskTarget } from '../../../shared/schemas';
import type { Task } from '../../../shared/types';
import type { StoredEnv } from '../secrets/task-env';
import type { StoredHttp } from '../secrets/task-http';
import { keysetPage, type Condition, type ReadPage } from './paging';
import { parseStoredEnv, parseStoredHttp, taskFromRow, type TaskRow } from './rows';
import { placeholders } from './db';

type Executor = Pool | PoolConnection;

/** A task as the engine needs it to run: as the API shows it, and its env and http request as stored (secrets sealed). */
export interface TaskRecord {
  task: Task;
  env: StoredEnv;
  http: StoredHttp | null;
  anchorAt: Date;
  lastOccurrenceAt: Date | null;
  timezone: string | null;
}

export interface NewTask {
  name: string;
  type: TaskType;
  command: string | null;
  cwd: string | null;
  env: StoredEnv;
  http: StoredHttp | null;
  schedule: ScheduleInput;
  timezone: string | null;
  maxAttempts: number;
  retryDelayMs: number;
  timeoutMs: number;
  overlap: OverlapPolicy;
  catchUp: CatchUpPolicy;
  target: TaskTarget;
  nodeId: string | null;
  enabled: boolean;
  anchorAt: Date;
  nextRunAt: Date | null;
}

export function recordFromRow(row: TaskRow): TaskRecord {
  return {
    task: taskFromRow(row),
    env: parseStoredEnv(row.env_json),
    http: parseStoredHttp(row.http_json),
    anchorAt: row.anchor_at,
    lastOccurrenceAt: row.last_occurrence_at,
    timezone: row.timezone,
  };
}

/** The stored columns of a task, in one order for the INSERT and the UPDATE. */
const TASK_COLUMNS = [
  'name',
  'type',
  'command',
  'cwd',
  'env_json',
  'http_json',
  'schedule_json',
  'schedule_type',
  'timezone',
  'max_attempts',
  'retry_delay_ms',
  'timeout_ms',
  'overlap',
  'catch_up',
  'target',
  'node_id',
  'enabled',
  'anchor_at',
  'next_run_at',
] as const;

function taskValues(t: NewTask): (string | number | Date | null)[] {
  return [
    t.name,
    t.type,
    t.command,
    t.cwd,
    JSON.stringify(t.env),
    t.http ? JSON.stringify(t.http) : null,
    JSON.stringify(t.schedule),
    t.schedule.type,
    t.timezone,
    t.maxAttempts,
    t.retryDelayMs,
    t.timeoutMs,
    t.overlap,
    t.catchUp,
    t.target,
    t.nodeId,
    t.enabled ? 1 : 0,
    t.anchorAt,
    t.nextRunAt,
  ];
}

export async function insertTask(db: Executor, t: NewTask, now: Date): Promise<string> {
  const columns = [...TASK_COLUMNS, 'created_at', 'updated_at'];
  const [res] = await db.execute<ResultSetHeader>(
    `INSERT INTO tasks (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    [...taskValues(t), now, now],
  );
  return String(res.insertId);
}

export async function updateTaskRow(db: Executor, id: string, t: NewTask, now: Date): Promise<void> {
  const set = [...TASK_COLUMNS, 'updated_at'].map((c) => `${c}=?`).join(', ');
  await db.execute(`UPDATE tasks SET ${set} WHERE id=? AND deleted_at IS NULL`, [...taskValues(t), now, id]);
}

export async function getTaskRecord(
  db: Executor,
  id: string,
  opts: { includeDeleted?: boolean; forUpdate?: boolean } = {},
): Promise<TaskRecord | null> {
  const [rows] = await db.execute<TaskRow[]>(
    `SELECT * FROM tasks WHERE id=?${opts.includeDeleted ? '' : ' AND deleted_at IS NULL'}${opts.forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  const row = rows[0];
  return row ? recordFromRow(row) : null;
}

/** The tasks (not deleted) of `ids`, in one statement; an id without one is absent from the map. */
export async function getTaskRecords(db: Executor, ids: readonly string[]): Promise<Map<string, TaskRecord>> {
  const [rows] = await db.execute<TaskRow[]>(
    `SELECT * FROM tasks WHERE id IN (${placeholders(ids.length)}) AND deleted_at IS NULL`,
    [...ids],
  );
  return new Map(rows.map((r) => [String(r.id), recordFromRow(r)]));
}

export async function listTasks(
  db: Executor,
  q: { limit: number; cursor?: string | undefined; enabled?: boolean | undefined; type?: TaskType | undefined },
): Promise<ReadPage<Task>> {
  const conditions: Condition[] = [['deleted_at IS NULL']];
  if (q.enabled !== undefined) conditions.push(['enabled = ?', q.enabled ? 1 : 0]);
  if (q.type !== undefined) conditions.push(['type = ?', q.type]);
  return keysetPage<TaskRow, Task>(db, 'tasks', conditions, q, taskFromRow);
}

export async function softDeleteTask(db: Executor, id: string, now: Date): Promise<boolean> {
  const [res] = await db.execute<ResultSetHeader>(
    'UPDATE tasks SET deleted_at=?, enabled=0, next_run_at=NULL, updated_at=? WHERE id=? AND deleted_at IS NULL',
    [now, now, id],
  );
  return res.affectedRows === 1;
}

export async function purgeTask(db: Executor, id: string): Promise<void> {
  await db.execute('DELETE l FROM job_logs l JOIN jobs j ON j.id = l.job_id WHERE j.task_id=?', [id]);
  await db.execute('DELETE a FROM attempts a JOIN jobs j ON j.id = a.job_id WHERE j.task_id=?', [id]);
  await db.execute('DELETE FROM jobs WHERE task_id=?', [id]);
  await db.execute('DELETE FROM tasks WHERE id=?', [id]);
}

/** What `tasks.upcoming` needs of a task to list its runs. */
export interface ScheduledTask {
  id: string;
  name: string;
  schedule: ScheduleInput;
  anchorAt: Date;
}

interface ScheduledRow extends RowDataPacket {
  id: string;
  name: string;
  schedule_json: string;
  anchor_at: Date;
}

/**
 * Enabled tasks whose next run falls before `until`, soonest first, at most `limit`: the rest
 * cannot have a run in the window. A schedule that does not parse is left out (the task list
 * reports it).
 */
export async function scheduledTasksBefore(db: Executor, until: Date, limit: number): Promise<ScheduledTask[]> {
  const [rows] = await db.query<ScheduledRow[]>(
    `SELECT id, name, schedule_json, anchor_at FROM tasks
     WHERE deleted_at IS NULL AND enabled = 1 AND next_run_at IS NOT NULL AND next_run_at <= ?
     ORDER BY next_run_at, id LIMIT ?`,
    [until, limit],
  );
  const out: ScheduledTask[] = [];
  for (const row of rows) {
    let schedule: ScheduleInput;
    try {
      schedule = JSON.parse(row.schedule_json) as ScheduleInput;
    } catch {
      continue;
    }
    out.push({ id: String(row.id), name: row.name, schedule, anchorAt: row.anchor_at });
  }
  return out;
}
