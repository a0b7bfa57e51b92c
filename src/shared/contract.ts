import type { z } from 'zod';
import {
  bulkIdSchema,
  bulkRequestSchema,
  byIdSchema,
  diagnosticsCheckSchema,
  diagnosticsRepairSchema,
  durationStatsSchema,
  emptySchema,
  eventsListSchema,
  jobsListSchema,
  jobsLogsSchema,
  retentionSetSchema,
  schedulePreviewSchema,
  settingsTestConnectionSchema,
  settingsUpdateSchema,
  taskCreateSchema,
  tasksDeleteSchema,
  tasksListSchema,
  tasksRecentRunsSchema,
  taskUpdateSchema,
  tasksUpcomingSchema,
} from './schemas';
import type {
  BulkOperation,
  BulkPreview,
  ConnectionTestResult,
  DiagnosticsRepairResult,
  DiagnosticsReport,
  Health,
  HealthHistory,
  Job,
  JobCounts,
  JobDetail,
  JobNeighbours,
  LogEntry,
  LogPage,
  NodeInfo,
  Page,
  QueueSnapshot,
  RetentionState,
  SchedulePreview,
  Settings,
  SettingsApply,
  SystemEvent,
  Task,
  TaskDurationStats,
  TaskRecentRuns,
  Throughput,
  UpcomingRuns,
} from './types';

/**
 * The one contract between the engine and every client. Each method takes one JSON object,
 * validated by `input`, and returns one JSON object of type `output` (a phantom: only its type
 * is used). Both transports (Electron IPC and HTTP) are generated from this table.
 */
function method<I extends z.ZodType, O>(input: I): { input: I; output: O } {
  return { input, output: undefined as unknown as O };
}

export const methods = {
  'tasks.create': method<typeof taskCreateSchema, Task>(taskCreateSchema),
  'tasks.update': method<typeof taskUpdateSchema, Task>(taskUpdateSchema),
  'tasks.get': method<typeof byIdSchema, Task>(byIdSchema),
  'tasks.list': method<typeof tasksListSchema, Page<Task>>(tasksListSchema),
  'tasks.delete': method<typeof tasksDeleteSchema, { id: string; deleted: true; cancelledJobs: number }>(
    tasksDeleteSchema,
  ),
  'tasks.pause': method<typeof byIdSchema, Task>(byIdSchema),
  'tasks.resume': method<typeof byIdSchema, Task>(byIdSchema),
  'tasks.runNow': method<typeof byIdSchema, Job>(byIdSchema),
  'schedule.preview': method<typeof schedulePreviewSchema, SchedulePreview>(schedulePreviewSchema),
  'jobs.list': method<typeof jobsListSchema, Page<Job>>(jobsListSchema),
  'jobs.get': method<typeof byIdSchema, JobDetail>(byIdSchema),
  'jobs.logs': method<typeof jobsLogsSchema, LogPage>(jobsLogsSchema),
  'jobs.cancel': method<typeof byIdSchema, Job>(byIdSchema),
  'jobs.retry': method<typeof byIdSchema, Job>(byIdSchema),
  'queues.snapshot': method<typeof emptySchema, QueueSnapshot>(emptySchema),
  'health.get': method<typeof emptySchema, Health>(emptySchema),
  'nodes.list': method<typeof emptySchema, { items: NodeInfo[] }>(emptySchema),
  'events.list': method<typeof eventsListSchema, Page<SystemEvent>>(eventsListSchema),
  // Bulk actions over a filter (the Jobs view): a dry run, then batches on the server with progress.
  'jobs.bulkPreview': method<typeof bulkRequestSchema, BulkPreview>(bulkRequestSchema),
  'jobs.bulkStart': method<typeof bulkRequestSchema, BulkOperation>(bulkRequestSchema),
  'jobs.bulkGet': method<typeof bulkIdSchema, BulkOperation>(bulkIdSchema),
  'jobs.bulkStop': method<typeof bulkIdSchema, BulkOperation>(bulkIdSchema),
  'jobs.bulkList': method<typeof emptySchema, { items: BulkOperation[] }>(emptySchema),
  // Queues view
  'tasks.durationStats': method<typeof durationStatsSchema, { items: TaskDurationStats[] }>(durationStatsSchema),
  // Tasks view
  /** The newest 20 jobs of each listed task, in one call: the strips of the Tasks list. */
  'tasks.recentRuns': method<typeof tasksRecentRunsSchema, { items: TaskRecentRuns[] }>(tasksRecentRunsSchema),
  // Dashboard
  'health.history': method<typeof emptySchema, HealthHistory>(emptySchema),
  'jobs.counts': method<typeof emptySchema, JobCounts>(emptySchema),
  'jobs.throughput': method<typeof emptySchema, Throughput>(emptySchema),
  'tasks.upcoming': method<typeof tasksUpcomingSchema, UpcomingRuns>(tasksUpcomingSchema),
  // Job page
  /** The occurrences of the job's task just before and after its own. */
  'jobs.neighbours': method<typeof byIdSchema, JobNeighbours>(byIdSchema),

  // Tray: every enabled task paused (every paused one resumed), as tasks.pause / tasks.resume do one.
  'tasks.pauseAll': method<typeof emptySchema, { paused: string[] }>(emptySchema),
  'tasks.resumeAll': method<typeof emptySchema, { resumed: string[] }>(emptySchema),

  // Retention (the Settings view)
  'retention.get': method<typeof emptySchema, RetentionState>(emptySchema),
  /** Changes this node's policy at once (not persisted: the caller writes config.json). */
  'retention.set': method<typeof retentionSetSchema, RetentionState>(retentionSetSchema),
  /** Starts a pruning run in the background (unless one runs here); its end is a `retention.pruned` event. */
  'retention.runNow': method<typeof emptySchema, RetentionState>(emptySchema),

  // Settings (never a password out: `passwordSet` instead)
  'settings.get': method<typeof emptySchema, Settings>(emptySchema),
  'settings.update': method<typeof settingsUpdateSchema, Settings>(settingsUpdateSchema),
  'settings.testConnection': method<typeof settingsTestConnectionSchema, ConnectionTestResult>(
    settingsTestConnectionSchema,
  ),

  // Diagnostics: is Redis telling the truth? (recovery/diagnostics.ts)
  'diagnostics.check': method<typeof diagnosticsCheckSchema, DiagnosticsReport>(diagnosticsCheckSchema),
  'diagnostics.repair': method<typeof diagnosticsRepairSchema, DiagnosticsRepairResult>(diagnosticsRepairSchema),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export const METHOD_NAMES = Object.keys(methods) as MethodName[];

/** What a caller passes: defaults may be omitted. */
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
/** What a handler receives after parsing: defaults filled in. */
export type ParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = Methods[M]['output'];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

/** Events from the engine to clients, with their payloads. */
export interface EventPayloads {
  'job.updated': Job;
  'job.log': { jobId: string; entries: LogEntry[] };
  'queue.changed': { reason: string };
  'health.changed': Health;
  'event.appended': SystemEvent;
  'bulk.progress': BulkOperation;
  /** Applying a settings change: validating, draining the engine, connecting with the new settings. */
  'settings.progress': SettingsApply;
}

export type EventName = keyof EventPayloads;
export const EVENT_NAMES: EventName[] = [
  'job.updated',
  'job.log',
  'queue.changed',
  'health.changed',
  'event.appended',
  'bulk.progress',
  'settings.progress',
];

export interface EventMessage<E extends EventName = EventName> {
  event: E;
  data: EventPayloads[E];
}

/**
 * How a client authenticates the event WebSocket (`/api/events`): it offers two subprotocols,
 * EVENTS_PROTOCOL and EVENTS_BEARER_PREFIX + token, and the server selects EVENTS_PROTOCOL. A browser
 * cannot set an Authorization header on a WebSocket; a subprotocol keeps the token out of the URL
 * (logs, history) and, as the server never selects the bearer one, out of the answer's headers.
 */
export const EVENTS_PROTOCOL = 'tickr';
export const EVENTS_BEARER_PREFIX = 'bearer.';

/** The result envelope both transports use, so an error keeps its code across IPC and HTTP. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** The typed client API (window.tickr in the desktop app, an HTTP client in a browser). */
export type TickrApi = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<MethodOutput<M>>;
};
