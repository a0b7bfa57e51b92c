import type { RowDataPacket } from 'mysql2';
import type { ScheduleInput } from '../../../shared/schemas';
import type {
  Attempt,
  AttemptEnvironment,
  AttemptOutcome,
  EnvView,
  HttpExchange,
  Job,
  LogEntry,
  LogStream,
  NodeInfo,
  SystemEvent,
  Task,
} from '../../../shared/types';
import { maskedMap } from '../secrets/sealed-map';
import { httpView, type StoredHttp } from '../secrets/task-http';
import type { StoredEnv } from '../secrets/task-env';

/** Mapping between MySQL rows and the contract's shapes, in one place. */

export function iso(d: Date | null | undefined): string | null {
  return d ? d.toISOString() : null;
}

function isoRequired(d: Date): string {
  return d.toISOString();
}

export function envView(env: StoredEnv): EnvView {
  return maskedMap(env);
}

export interface TaskRow extends RowDataPacket {
  id: string;
  name: string;
  type: 'shell' | 'http';
  command: string | null;
  cwd: string | null;
  env_json: string;
  http_json: string | null;
  schedule_json: string;
  schedule_type: string;
  timezone: string | null;
  max_attempts: number;
  retry_delay_ms: number;
  timeout_ms: number;
  overlap: Task['overlap'];
  catch_up: Task['catchUp'];
  target: Task['target'];
  node_id: string | null;
  enabled: number;
  anchor_at: Date;
  next_run_at: Date | null;
  last_occurrence_at: Date | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export function parseStoredEnv(json: string): StoredEnv {
  return JSON.parse(json) as StoredEnv;
}

export function parseStoredHttp(json: string | null): StoredHttp | null {
  return json ? (JSON.parse(json) as StoredHttp) : null;
}

export function taskFromRow(r: TaskRow): Task {
  const http = parseStoredHttp(r.http_json);
  return {
    id: String(r.id),
    name: r.name,
    type: r.type,
    command: r.command,
    cwd: r.cwd,
    env: envView(parseStoredEnv(r.env_json)),
    http: http ? httpView(http) : null,
    schedule: JSON.parse(r.schedule_json) as ScheduleInput,
    maxAttempts: r.max_attempts,
    retryDelayMs: r.retry_delay_ms,
    timeoutMs: r.timeout_ms,
    overlap: r.overlap,
    catchUp: r.catch_up,
    target: r.target,
    nodeId: r.node_id,
    enabled: r.enabled === 1,
    nextRunAt: iso(r.next_run_at),
    createdAt: isoRequired(r.created_at),
    updatedAt: isoRequired(r.updated_at),
    deletedAt: iso(r.deleted_at),
  };
}

export interface JobRow extends RowDataPacket {
  id: string;
  task_id: string;
  status: Job['status'];
  attempt: number;
  max_attempts: number;
  scheduled_for: Date;
  occurrence_at: Date | null;
  due_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  exit_code: number | null;
  error: string | null;
  node_id: string | null;
  pinned_node_id: string | null;
  claim_token: string | null;
  lease_until: Date | null;
  cancel_requested: number;
  retried_as: string | null;
}

export function jobFromRow(r: JobRow): Job {
  return {
    id: String(r.id),
    taskId: String(r.task_id),
    status: r.status,
    attempt: r.attempt,
    maxAttempts: r.max_attempts,
    scheduledFor: isoRequired(r.scheduled_for),
    dueAt: isoRequired(r.due_at),
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    exitCode: r.exit_code,
    error: r.error,
    nodeId: r.node_id,
  };
}

export interface AttemptRow extends RowDataPacket {
  attempt: number;
  node_id: string;
  started_at: Date;
  finished_at: Date | null;
  exit_code: number | null;
  signal_name: string | null;
  http_status: number | null;
  outcome: AttemptOutcome;
  error: string | null;
  environment_json?: string | null;
  http_json?: string | null;
}

/** A captured JSON column, or null when it is missing or unreadable (a capture is never worth failing jobs.get). */
function capturedJson<T>(text: string | null | undefined): T | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

export function attemptFromRow(r: AttemptRow): Attempt {
  return {
    attempt: r.attempt,
    nodeId: r.node_id,
    startedAt: isoRequired(r.started_at),
    finishedAt: iso(r.finished_at),
    exitCode: r.exit_code,
    signal: r.signal_name,
    httpStatus: r.http_status,
    outcome: r.outcome,
    error: r.error,
    environment: capturedJson<AttemptEnvironment>(r.environment_json),
    http: capturedJson<HttpExchange>(r.http_json),
  };
}

export interface LogRow extends RowDataPacket {
  seq: number;
  attempt: number;
  stream: LogStream;
  at: Date;
  text: string;
}

export function logFromRow(r: LogRow): LogEntry {
  return { seq: r.seq, attempt: r.attempt, stream: r.stream, at: isoRequired(r.at), text: r.text };
}

export interface EventRow extends RowDataPacket {
  id: string;
  at: Date;
  level: SystemEvent['level'];
  kind: string;
  message: string;
  node_id: string | null;
  data_json: string | null;
}

export function eventFromRow(r: EventRow): SystemEvent {
  return {
    id: String(r.id),
    at: isoRequired(r.at),
    level: r.level,
    kind: r.kind,
    message: r.message,
    nodeId: r.node_id,
    data: r.data_json ? (JSON.parse(r.data_json) as Record<string, unknown>) : {},
  };
}

export interface NodeRow extends RowDataPacket {
  id: string;
  name: string;
  host: string;
  pid: number;
  concurrency: number;
  started_at: Date;
  heartbeat_at: Date;
  stopped_at: Date | null;
  alive: number;
}

export function nodeFromRow(r: NodeRow): NodeInfo {
  return {
    id: r.id,
    name: r.name,
    host: r.host,
    pid: r.pid,
    concurrency: r.concurrency,
    startedAt: isoRequired(r.started_at),
    heartbeatAt: isoRequired(r.heartbeat_at),
    stoppedAt: iso(r.stopped_at),
    alive: Number(r.alive) === 1,
  };
}
