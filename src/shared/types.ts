import type {
  BulkAction,
  CatchUpPolicy,
  HttpSpec,
  JobFilter,
  JobStatus,
  OverlapPolicy,
  ScheduleInput,
  TaskTarget,
  TaskType,
} from './schemas';

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
  /** What the attempt ran with, captured when it started; null for attempts made before it was. */
  environment: AttemptEnvironment | null;
  /** An http task's request and response, captured when the attempt ended; null otherwise. */
  http: HttpExchange | null;
}

/** Where an environment variable of an attempt came from. */
export type EnvSource = 'task' | 'job' | 'inherited';

/**
 * One variable of an attempt's environment. `value` is `***` for a task's secret and null for an
 * inherited variable (the node's own, whose value is not kept: its name says what was passed on).
 */
export interface EnvVariable {
  name: string;
  value: string | null;
  secret: boolean;
  source: EnvSource;
}

/** An attempt's environment as captured at its start (docs/architecture.md, "Job page"). */
export interface AttemptEnvironment {
  type: TaskType;
  /** The program and arguments as started (`/bin/sh -c <command>`), or `<METHOD> <url>` with its secrets as ***. */
  argv: string[];
  cwd: string | null;
  nodeId: string;
  nodeName: string;
  version: string;
  env: EnvVariable[];
}

/** An http attempt's exchange: secrets as ***, the body's head bounded (HTTP_BODY_HEAD_BYTES). */
export interface HttpExchange {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  /** Null when no response came (refused, timed out). */
  status: number | null;
  statusText: string | null;
  responseHeaders: Record<string, string>;
  /** From sending the request to the response's headers. */
  ttfbMs: number | null;
  /** From sending the request to the end of the body's head (or of the failure). */
  totalMs: number;
  bodyHead: string;
  /** The body went on past its head. */
  bodyTruncated: boolean;
  error: string | null;
}

/** How much of an http response's body an attempt keeps (its log and its inspector). */
export const HTTP_BODY_HEAD_BYTES = 8_192;

/** The occurrences of a job's task just before and after its own (null: none, or not an occurrence). */
export interface JobNeighbours {
  previous: Job | null;
  next: Job | null;
}

export interface JobDetail extends Job {
  attempts: Attempt[];
  /** The job a retry of this one made, once it was retried (a bulk retry skips such jobs). */
  retriedAs: string | null;
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
  /** `running`: workers busy with a job's work, at most `concurrency`. */
  node: { id: string; name: string; concurrency: number; running: number; draining: boolean };
}

/**
 * A job as a queue lane shows it: its id and its task. `taskId` and `taskName` are null when the
 * row could not be read (MySQL down, or the job is gone): Redis alone still gives the lanes.
 */
export interface QueueEntryView {
  id: string;
  taskId: string | null;
  taskName: string | null;
}

export interface WaitingEntry extends QueueEntryView {
  dueAt: string;
}

export interface ReadyEntry extends QueueEntryView {
  /** 1 = the next id a free worker takes. */
  position: number;
}

export interface RunningEntry extends QueueEntryView {
  /** The attempt running, or about to start while the claim is under way; 0 if MySQL could not say. */
  attempt: number;
  maxAttempts: number;
  /** Null for an id taken from Redis whose claim in MySQL has not happened (yet). */
  startedAt: string | null;
}

/** A waiting set and its ready list: the shared pair, or the pair pinned to one node. */
export interface QueuePair {
  waiting: { count: number; next: WaitingEntry[] };
  ready: { count: number; entries: ReadyEntry[] };
}

/** One node's side of the queues: what its workers hold, and its pinned (`this-node`) queues. */
export interface NodeQueues {
  nodeId: string;
  /** From the nodes table; null when MySQL could not say. */
  name: string | null;
  concurrency: number | null;
  alive: boolean;
  running: { count: number; entries: RunningEntry[] };
  pinned: QueuePair;
}

export interface QueueSnapshot {
  waiting: { count: number; next: WaitingEntry[] };
  /** `ids` is the queue order; `entries` the same ids with their task and position. */
  ready: { count: number; ids: string[]; entries: ReadyEntry[] };
  active: { nodeId: string; ids: string[] }[];
  /** Every alive node, and every node that still holds ids in Redis, by name. */
  nodes: NodeQueues[];
  /** How many entries each list holds at most; counts are always whole. */
  limit: number;
  at: string;
}

/** How long a task's jobs took, over its last finished ones (tasks.durationStats). */
export interface TaskDurationStats {
  taskId: string;
  /** How many finished jobs the figures come from (at most DURATION_SAMPLE). */
  count: number;
  medianMs: number | null;
  p95Ms: number | null;
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

/** What diagnostics.check can find wrong between Redis and MySQL. */
export type DiagnosticKind = 'stray' | 'unqueued' | 'duplicate' | 'marker';

/** One id a finding names, where Redis holds it and the status MySQL gives it (null: no row). */
export interface DiagnosticExample {
  id: string;
  where: string[];
  status: string | null;
}

export interface DiagnosticFinding {
  kind: DiagnosticKind;
  /** How many were confirmed (each is read a second time before it counts). */
  count: number;
  /** The first few, to link to. */
  examples: DiagnosticExample[];
  /** What it means, in words. */
  detail: string;
}

/** diagnostics.check: Redis compared with MySQL, within a bound of ids and time. */
export interface DiagnosticsReport {
  at: string;
  tookMs: number;
  clean: boolean;
  /** True when the check stopped before reading everything (`stoppedBy` says why). */
  partial: boolean;
  stoppedBy: 'id cap' | 'time budget' | 'verify cap' | null;
  limits: { maxIds: number; budgetMs: number };
  /** Ids read from Redis's queues, of how many they hold. */
  redis: { examined: number; total: number; structures: number };
  /** Due jobs (waiting, ready) read from MySQL, of how many it holds. */
  mysql: { examined: number; total: number };
  markers: {
    redisGeneration: string | null;
    mysqlGeneration: string | null;
    redisRunId: string | null;
    mysqlRunId: string | null;
    mismatch: string | null;
  };
  /** One per kind, always all four, in a fixed order. */
  findings: DiagnosticFinding[];
}

export interface DiagnosticsRepairResult {
  action: 'sweep' | 'rebuild';
  at: string;
  /** Jobs re-queued (sweep) or put back into Redis (rebuild). */
  jobs: number;
  ms: number;
  message: string;
}

export interface Occurrence {
  utc: string;
  local: string;
  /** Set when a DST transition moved this occurrence away from its nominal wall time. */
  dst: 'gap-shifted' | 'overlap-first' | null;
  /**
   * The wall time the schedule named ('YYYY-MM-DDTHH:mm:ss' in the zone), set with `dst`: for a
   * gap-shifted run it is the reading that does not exist ("02:30 on 28 Mar"), which `local` cannot say.
   */
  nominal: string | null;
}

export interface SchedulePreview {
  description: string;
  timezone: string | null;
  occurrences: Occurrence[];
}

/** What a bulk action would touch, counted before it runs (the dry run). */
export interface BulkPreview {
  action: BulkAction;
  filter: JobFilter;
  matching: number;
}

export type BulkState = 'running' | 'stopping' | 'stopped' | 'finished' | 'failed';

/**
 * A bulk action running on the node that started it, batch by batch. `done + skipped + failed`
 * grows towards `total` (counted at the start); a job that changed state meanwhile is skipped.
 */
export interface BulkOperation {
  id: string;
  action: BulkAction;
  filter: JobFilter;
  state: BulkState;
  total: number;
  done: number;
  skipped: number;
  failed: number;
  /** The first error a job gave, to show beside the count. */
  firstError: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** One of a task's newest jobs, as the Tasks list draws it (colour by status, height by duration). */
export interface RecentRun {
  id: string;
  status: JobStatus;
  /** finishedAt − startedAt; null while it has not run to an end. */
  durationMs: number | null;
  finishedAt: string | null;
}

export interface TaskRecentRuns {
  taskId: string;
  /** Newest first, at most 20. */
  runs: RecentRun[];
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

// Retention

/** What the pruner keeps (src/main/engine/retention): see retentionPolicySchema for the ranges. */
export interface RetentionPolicy {
  /** Finished jobs (with their attempts and logs) older than this many days go. */
  keepDays: number;
  /** Past this many jobs of one task, the oldest finished ones go. */
  maxJobsPerTask: number;
  /** The logs of succeeded jobs go after this many days; the job rows stay. */
  succeededLogDays: number;
  /** System events older than this many days go. */
  eventDays: number;
}

/** The rows one pruning run deleted. */
export interface RetentionCounts {
  jobs: number;
  attempts: number;
  /** Log chunks (job_logs rows), those of pruned jobs and the old logs of succeeded ones together. */
  logChunks: number;
  events: number;
}

/** One pruning run, from its `retention.pruned` event (any node's). */
export interface RetentionRun {
  at: string;
  nodeId: string | null;
  durationMs: number;
  counts: RetentionCounts;
}

/** retention.get: the policy this node prunes by, the last run in the cluster, and what this node does. */
export interface RetentionState {
  policy: RetentionPolicy;
  lastRun: RetentionRun | null;
  /** True while this node is pruning. */
  running: boolean;
  /** When this node tries next (it prunes only if no other node is at it), or null when stopped. */
  nextRunAt: string | null;
}

// ---------------------------------------------------------------------------------------------
// Settings: connections, the engine's own settings, the desktop's preferences

/** What a connection test found wrong, one code per cause the user can act on. */
export type ConnectionProblemCode =
  | 'BAD_SETTING'
  | 'NAME_NOT_RESOLVED'
  | 'REFUSED'
  | 'TIMEOUT'
  | 'TLS_HANDSHAKE'
  | 'TLS_UNTRUSTED'
  | 'AUTH_FAILED'
  | 'MISSING_RIGHTS'
  | 'TOO_OLD'
  | 'FAILED';

export interface ConnectionTestResult {
  service: 'redis' | 'mysql';
  ok: boolean;
  /** The URL tested, without its password. */
  target: string;
  problem: { code: ConnectionProblemCode; message: string } | null;
  /** As the server reports it ("7.2.4", "10.11.6-MariaDB"), once it answered. */
  serverVersion: string | null;
  /** Not failures, but worth knowing (Redis may evict keys, the database was created…). */
  warnings: string[];
  tookMs: number;
}

export interface ConnectionSettings {
  /** Without its password. */
  url: string;
  passwordSet: boolean;
}

export type ThemeSetting = 'system' | 'light' | 'dark';
export type NotificationKind = 'jobFailed' | 'serviceDown' | 'serviceUp';

export interface DesktopSettings {
  theme: ThemeSetting;
  notifications: Record<NotificationKind, boolean>;
  launchAtLogin: boolean;
  /** Closing the window keeps Tickr in the tray (true) or quits it (false). */
  closeToTray: boolean;
}

export interface Settings {
  redis: ConnectionSettings;
  mysql: ConnectionSettings;
  concurrency: number;
  nodeName: string;
  logCapBytes: number;
  /** Null on a headless node: it has no window, tray or login item. */
  desktop: DesktopSettings | null;
  /** False on a headless node: its connections and engine settings come from its environment, flags and config.json. */
  editable: boolean;
  /** True until this data dir has seen MySQL answer once: the app then opens on the connection screen. */
  firstRun: boolean;
  /** Where applying the last change stands. */
  apply: SettingsApply;
}

export interface SettingsApply {
  state: 'idle' | 'validating' | 'draining' | 'connecting' | 'done' | 'failed';
  message: string;
  at: string | null;
}
