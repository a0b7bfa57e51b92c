import type { CatchUpPolicy, HttpSpec, JobStatus, OverlapPolicy, ScheduleInput, TaskTarget, TaskType } from './schemas';

/** Output shapes of the API contract. Ids are decimal strings; times are ISO 8601 strings in UTC. */

/** Values as the API returns them: secrets are never sent back, only that they exist. */
export type MaskedValues = Record<string, string | { secret: true }>;

/** A task's env as the API returns it. */
export type EnvView = MaskedValues;

/**
 * A task's http request as the API returns it: secret headers as `{secret: true}`, and the URL
 * with its userinfo and secret query values as `***` (sending those back keeps them).
 */
export type HttpView = Omit<HttpSpec, 'headers'> & { headers: MaskedValues };

export interface Task {
  id: string;
  name: string;
  type: TaskType;
  command: string | null;
  cwd: string | null;
  env: EnvView;
  http: HttpView | null;
  schedule: ScheduleInput;
  maxAttempts: number;
  retryDelayMs: number;
  timeoutMs: number;
  overlap: OverlapPolicy;
  catchUp: CatchUpPolicy;
  target: TaskTarget;
  /** The node a `this-node` task is pinned to. */
  nodeId: string | null;
  enabled: boolean;
  nextRunAt: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface Job {
  id: string;
  taskId: string;
  status: JobStatus;
  attempt: number;
  maxAttempts: number;
  scheduledFor: string;
  dueAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  error: string | null;
  nodeId: string | null;
}

export const ATTEMPT_OUTCOMES = ['running', 'succeeded', 'failed', 'timed_out', 'cancelled', 'interrupted'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

export interface Attempt {
  attempt: number;
  nodeId: string;
  startedAt: string;
  finishedAt: string | null;
  exitCode: number | null;
  signal: string | null;
  httpStatus: number | null;
  outcome: AttemptOutcome;
  error: string | null;
}

export interface JobDetail extends Job {
  attempts: Attempt[];
}

export type LogStream = 'stdout' | 'stderr' | 'system';

export interface LogEntry {
  seq: number;
  attempt: number;
  stream: LogStream;
  at: string;
  text: string;
}

export interface LogPage {
  items: LogEntry[];
  nextSeq: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type ServiceStatus = 'up' | 'down' | 'recovering';

export interface ServiceHealth {
  status: ServiceStatus;
  latencyMs: number | null;
  error: string | null;
  since: string;
}

export interface Health {
  redis: ServiceHealth & { runId: string | null };
  mysql: ServiceHealth & { journalPending: number };
  node: { id: string; name: string; concurrency: number; running: number; draining: boolean };
}

export interface QueueSnapshot {
  waiting: { count: number; next: { id: string; dueAt: string }[] };
  ready: { count: number; ids: string[] };
  active: { nodeId: string; ids: string[] }[];
  at: string;
}

export interface NodeInfo {
  id: string;
  name: string;
  host: string;
  pid: number;
  concurrency: number;
  startedAt: string;
  heartbeatAt: string;
  stoppedAt: string | null;
  alive: boolean;
}

export type EventLevel = 'info' | 'warn' | 'error';

export interface SystemEvent {
  id: string;
  at: string;
  level: EventLevel;
  kind: string;
  message: string;
  nodeId: string | null;
  data: Record<string, unknown>;
}

export interface Occurrence {
  utc: string;
  local: string;
  /** Set when a DST transition moved this occurrence away from its nominal wall time. */
  dst: 'gap-shifted' | 'overlap-first' | null;
}

export interface SchedulePreview {
  description: string;
  timezone: string | null;
  occurrences: Occurrence[];
}

// Dashboard

/** One health probe: when, and its latency, or null when it failed. */
export interface LatencySample {
  at: string;
  latencyMs: number | null;
}

/** How Redis keeps its data across a restart; `unknown` when its CONFIG is not readable. */
export type RedisPersistence = 'rdb' | 'aof' | 'rdb+aof' | 'none' | 'unknown';

export interface RedisServerInfo {
  version: string | null;
  usedMemoryBytes: number | null;
  /** Null when Redis has no memory limit (`maxmemory 0`). */
  maxmemoryBytes: number | null;
  maxmemoryPolicy: string | null;
  persistence: RedisPersistence;
  readAt: string;
}

export interface MysqlServerInfo {
  version: string | null;
  readAt: string;
}

/** The last time Redis lost its state and the queues were rebuilt from MySQL (a `redis.rebuilt` event). */
export interface RedisStateLoss {
  at: string;
  jobs: number;
  ms: number;
  reason: string;
}

export interface HealthHistory {
  windowMs: number;
  redis: { samples: LatencySample[]; server: RedisServerInfo | null; lastStateLoss: RedisStateLoss | null };
  mysql: { samples: LatencySample[]; server: MysqlServerInfo | null; journalPending: number };
}

export interface JobCounts {
  /** Finished jobs count from here; waiting, ready and running are the ones now. */
  since: string;
  counts: Record<JobStatus, number>;
  /** Jobs running now per node id, for the nodes' load against their concurrency. */
  runningByNode: Record<string, number>;
}

export interface ThroughputMinute {
  /** The minute's start, in UTC. */
  minute: string;
  succeeded: number;
  failed: number;
}

export interface Throughput {
  from: string;
  to: string;
  /** Every minute of the hour, oldest first, zeros included. */
  minutes: ThroughputMinute[];
}

export interface UpcomingRun {
  taskId: string;
  taskName: string;
  at: string;
}

export interface UpcomingRuns {
  from: string;
  to: string;
  items: UpcomingRun[];
  /** True when more runs fall in the window than `items` holds (the cap). */
  truncated: boolean;
}
