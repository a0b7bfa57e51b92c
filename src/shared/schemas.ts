import { z } from 'zod';
import { emptyRecord } from './own-record';

/**
 * Input schemas of the API contract. Every method input is parsed here, once, at the boundary;
 * the engine only ever sees values these schemas produced.
 */

export const MAX_ATTEMPTS_LIMIT = 100;
export const MIN_INTERVAL_MS = 1_000;
const DAY_MS = 86_400_000;

/** Ids travel as strings of decimal digits (BIGINT in MySQL). */
export const idSchema = z
  .string({ error: 'must be an id string' })
  .regex(/^[1-9][0-9]{0,18}$/, { error: 'must be a positive decimal id' });

/**
 * The instants MySQL's DATETIME holds. A time outside them is stored as 0000-00-00 (or refused),
 * and a row that cannot be read back breaks every list it is in: so the API refuses it first.
 */
export const MIN_DATETIME = new Date('1000-01-01T00:00:00.000Z');
export const MAX_DATETIME = new Date('9999-12-31T23:59:59.999Z');

export function inDatetimeRange(d: Date): boolean {
  const t = d.getTime();
  return Number.isFinite(t) && t >= MIN_DATETIME.getTime() && t <= MAX_DATETIME.getTime();
}

export const isoDateSchema = z.iso
  .datetime({
    offset: true,
    error: 'must be an ISO 8601 date-time, e.g. 2026-01-31T09:00:00Z',
  })
  .refine((v) => inDatetimeRange(new Date(v)), {
    error: 'must be between 1000-01-01T00:00:00Z and 9999-12-31T23:59:59Z (what MySQL can store)',
  });

/** `spawn` refuses a NUL byte in a command, cwd or env, and it cannot travel in a URL or header. */
function noNul<T extends z.ZodType<string>>(schema: T): T {
  return schema.refine((v) => !v.includes('\0'), { error: 'must not contain a NUL byte (\\0)' }) as unknown as T;
}

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  error: 'environment variable names use letters, digits and _ and do not start with a digit',
});

/**
 * A plain value, or a secret: `{value, secret: true}` sets it; `{secret: true}` alone (what the
 * API shows of a secret) keeps the task's stored value on `tasks.update`. Env values and http
 * header values both take it.
 */
function secretable<T extends z.ZodType<string>>(value: T) {
  return z.union([value, z.object({ value: value.optional(), secret: z.literal(true) }).strict()]);
}

export const secretableValueSchema = secretable(noNul(z.string()));

/**
 * A record whose names the caller picks (a task's env, an http task's headers). `__proto__` is
 * refused by name: zod builds its output by assignment, which sets the prototype for that key
 * instead, so it would be dropped silently. The output has no prototype either (own-record.ts),
 * so that `constructor` and the like are names like any other wherever the record goes.
 */
function namedRecord<K extends z.ZodType<string>, V extends z.ZodType>(key: K, value: V, what: string) {
  return z.preprocess(
    (input, ctx) => {
      if (input !== null && typeof input === 'object' && Object.hasOwn(input, '__proto__')) {
        ctx.addIssue({ code: 'custom', path: ['__proto__'], message: `is not a usable ${what} name` });
      }
      return input;
    },
    z.record(key, value).transform((rec) => Object.assign(emptyRecord<z.output<V>>(), rec)),
  );
}

/** A task's env: names as a shell takes them. */
const envSchema = namedRecord(envName, secretableValueSchema, 'environment variable');

/** A header name is an RFC 7230 token: the HTTP client (undici) refuses anything else when the job runs. */
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, {
  error: "header names are RFC 7230 tokens: letters, digits and !#$%&'*+-.^_`|~",
});

/**
 * A header value as HTTP carries it (RFC 7230 field-value): visible ASCII, Latin-1, spaces and
 * tabs; no NUL, CR, LF or other control, and nothing past U+00FF, all of which the HTTP client
 * refuses.
 */
const headerValue = z.string().regex(/^[\t\x20-\x7E\x80-\xFF]*$/, {
  error: 'header values hold visible ASCII, Latin-1, spaces and tabs only (no NUL, CR, LF or other control)',
});

export const onceScheduleSchema = z
  .object({
    type: z.literal('once'),
    at: isoDateSchema.optional(),
    delayMs: z
      .number()
      .int()
      .min(0)
      .max(366 * DAY_MS)
      .optional(),
  })
  .strict()
  .refine((s) => !(s.at !== undefined && s.delayMs !== undefined), {
    error: 'give either at or delayMs, not both',
    path: ['delayMs'],
  });

export const intervalScheduleSchema = z
  .object({
    type: z.literal('interval'),
    everyMs: z
      .number()
      .int()
      .min(MIN_INTERVAL_MS, { error: `must be at least ${MIN_INTERVAL_MS} ms` })
      .max(366 * DAY_MS),
    startAt: isoDateSchema.optional(),
    endAt: isoDateSchema.optional(),
  })
  .strict();

export const cronScheduleSchema = z
  .object({
    type: z.literal('cron'),
    expr: z.string().trim().min(1, { error: 'must not be empty' }).max(200),
    timezone: z.string().min(1).max(64).optional(),
    startAt: isoDateSchema.optional(),
    endAt: isoDateSchema.optional(),
  })
  .strict();

export const scheduleSchema = z.discriminatedUnion(
  'type',
  [onceScheduleSchema, intervalScheduleSchema, cronScheduleSchema],
  {
    error: 'must be {type:"once"}, {type:"interval"} or {type:"cron"}',
  },
);

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

export const httpSpecSchema = z
  .object({
    method: z.enum(HTTP_METHODS).default('GET'),
    url: noNul(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })).refine(
      (u) => URL.canParse(u) && new URL(u).hostname.length <= 253,
      { error: 'must have a host name of at most 253 characters' },
    ),
    headers: namedRecord(headerName, secretable(noNul(headerValue)), 'header').default(() => emptyRecord<never>()),
    body: z.string().max(1_048_576).optional(),
    /**
     * Query parameter names whose values are secrets, besides the well-known ones (api_key,
     * token, …: see url-secrets.ts); matched without regard to case.
     */
    secretQuery: z
      .array(noNul(z.string().min(1).max(256)))
      .max(100)
      .optional(),
  })
  .strict();

export const OVERLAP_POLICIES = ['skip', 'queue', 'allow'] as const;
export const CATCH_UP_POLICIES = ['skip', 'once', 'all'] as const;
export const TASK_TARGETS = ['this-node', 'any'] as const;
export const TASK_TYPES = ['shell', 'http'] as const;

const taskFields = {
  name: z.string().trim().min(1, { error: 'must not be empty' }).max(200),
  type: z.enum(TASK_TYPES),
  command: noNul(z.string().min(1, { error: 'must not be empty' }).max(65_535)).optional(),
  cwd: noNul(z.string().min(1).max(4096)).optional(),
  env: envSchema.default(() => emptyRecord<never>()),
  http: httpSpecSchema.optional(),
  schedule: scheduleSchema.optional(),
  maxAttempts: z.number().int().min(1).max(MAX_ATTEMPTS_LIMIT).default(3),
  retryDelayMs: z.number().int().min(0).max(DAY_MS).default(1_000),
  timeoutMs: z
    .number()
    .int()
    .min(100)
    .max(7 * DAY_MS)
    .default(3_600_000),
  overlap: z.enum(OVERLAP_POLICIES).default('skip'),
  catchUp: z.enum(CATCH_UP_POLICIES).default('once'),
  target: z.enum(TASK_TARGETS).default('any'),
  enabled: z.boolean().default(true),
};

function checkTypePayload(t: { type?: string; command?: string; http?: unknown }, ctx: z.RefinementCtx): void {
  if (t.type === 'shell' && t.command === undefined) {
    ctx.addIssue({ code: 'custom', path: ['command'], message: 'is required for a shell task' });
  }
  if (t.type === 'http' && t.http === undefined) {
    ctx.addIssue({ code: 'custom', path: ['http'], message: 'is required for an http task' });
  }
  // A payload the task would never use is a mistake worth saying, not something to store.
  if (t.type === 'shell' && t.http !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['http'],
      message: 'is only for an http task; a shell task runs its command',
    });
  }
  if (t.type === 'http' && t.command !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['command'],
      message: 'is only for a shell task; an http task sends its request',
    });
  }
}

export const taskCreateSchema = z.object(taskFields).strict().superRefine(checkTypePayload);

/** tasks.update takes the id and any subset of the create fields; the merged task is re-validated. */
export const taskUpdateSchema = z
  .object({
    id: idSchema,
    name: taskFields.name.optional(),
    type: taskFields.type.optional(),
    command: taskFields.command,
    cwd: taskFields.cwd.nullable(),
    env: envSchema.optional(),
    http: httpSpecSchema.optional(),
    schedule: scheduleSchema.optional(),
    maxAttempts: z.number().int().min(1).max(MAX_ATTEMPTS_LIMIT).optional(),
    retryDelayMs: z.number().int().min(0).max(DAY_MS).optional(),
    timeoutMs: z
      .number()
      .int()
      .min(100)
      .max(7 * DAY_MS)
      .optional(),
    overlap: z.enum(OVERLAP_POLICIES).optional(),
    catchUp: z.enum(CATCH_UP_POLICIES).optional(),
    target: z.enum(TASK_TARGETS).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export const JOB_STATUSES = ['waiting', 'ready', 'running', 'succeeded', 'failed', 'cancelled', 'skipped'] as const;
export const TERMINAL_STATUSES = ['succeeded', 'failed', 'cancelled', 'skipped'] as const;

const limitSchema = z.number().int().min(1).max(1000).default(100);
/** A list cursor is the id of the last item of the previous page. */
const cursorSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,18}$/, { error: 'must be the nextCursor of a previous page' })
  .optional();

export const byIdSchema = z.object({ id: idSchema }).strict();

export const tasksListSchema = z
  .object({
    limit: limitSchema,
    cursor: cursorSchema,
    enabled: z.boolean().optional(),
    type: z.enum(TASK_TYPES).optional(),
  })
  .strict();

export const tasksDeleteSchema = z.object({ id: idSchema, purge: z.boolean().default(false) }).strict();

/** A node's id, as node-identity.ts makes it (a UUID, or an id a user set of the same characters). */
export const nodeIdSchema = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, { error: 'must be a node id' });

/**
 * Which jobs a history list or a bulk action covers. `from`/`to` bound the time each run was
 * scheduled for (`scheduledFor`), both inclusive; `id` picks one job exactly.
 */
const jobFilterFields = {
  id: idSchema.optional(),
  taskId: idSchema.optional(),
  status: z.enum(JOB_STATUSES).optional(),
  nodeId: nodeIdSchema.optional(),
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
};

function rangeInOrder(f: { from?: string | undefined; to?: string | undefined }): boolean {
  return f.from === undefined || f.to === undefined || new Date(f.from) <= new Date(f.to);
}
const RANGE_ORDER = { path: ['to'], error: 'must not be before from' };

export const jobFilterSchema = z.object(jobFilterFields).strict().refine(rangeInOrder, RANGE_ORDER);

export const jobsListSchema = z
  .object({ limit: limitSchema, cursor: cursorSchema, ...jobFilterFields })
  .strict()
  .refine(rangeInOrder, RANGE_ORDER);

export const jobsLogsSchema = z
  .object({
    id: idSchema,
    attempt: z.number().int().min(1).optional(),
    afterSeq: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(5000).default(1000),
  })
  .strict();

export const schedulePreviewSchema = z
  .object({
    schedule: scheduleSchema,
    from: isoDateSchema.optional(),
    count: z.number().int().min(1).max(100).default(5),
  })
  .strict();

export const EVENT_LEVELS = ['info', 'warn', 'error'] as const;

/**
 * The system timeline's filters, keyset-paged like every list. `level` is the least severity
 * shown (`warn` shows warnings and errors); `kind` is one kind (`redis.rebuilt`) or a family
 * ending in `.*` (`redis.*`); `nodeId` the node that recorded it.
 */
export const eventsListSchema = z
  .object({
    limit: limitSchema,
    cursor: cursorSchema,
    kind: z
      .string()
      .max(64)
      .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?$/, {
        error: 'must be an event kind such as redis.rebuilt, or a family such as redis.*',
      })
      .optional(),
    level: z.enum(EVENT_LEVELS).optional(),
    nodeId: nodeIdSchema.optional(),
  })
  .strict();

/**
 * diagnostics.check: how much it may read. It stops at whichever comes first, `maxIds` ids read
 * on each side (Redis and MySQL) or `budgetMs`, and then says the answer is partial.
 */
export const diagnosticsCheckSchema = z
  .object({
    maxIds: z.number().int().min(1).max(1_000_000).default(200_000),
    budgetMs: z.number().int().min(100).max(60_000).default(3_000),
  })
  .strict();

/** diagnostics.repair: `sweep` re-queues what no queue holds; `rebuild` rebuilds every queue from MySQL. */
export const REPAIR_ACTIONS = ['sweep', 'rebuild'] as const;
export const diagnosticsRepairSchema = z.object({ action: z.enum(REPAIR_ACTIONS) }).strict();

/** The most tasks one tasks.recentRuns call takes: a page of the Tasks list, with room to spare. */
export const RECENT_RUNS_MAX_TASKS = 200;

export const tasksRecentRunsSchema = z
  .object({
    taskIds: z
      .array(idSchema)
      .max(RECENT_RUNS_MAX_TASKS, { error: `must list at most ${RECENT_RUNS_MAX_TASKS} task ids` }),
  })
  .strict();

export const emptySchema = z.object({}).strict();

/**
 * Bulk actions over everything a filter matches: `retry` makes a new run of each failed, cancelled
 * or skipped job not retried before; `cancel` cancels each waiting, ready or running one.
 */
export const BULK_ACTIONS = ['retry', 'cancel'] as const;
export const bulkRequestSchema = z
  .object({ action: z.enum(BULK_ACTIONS), filter: jobFilterSchema.default({}) })
  .strict();
export const bulkIdSchema = z
  .object({ id: z.string().regex(/^bulk-[a-z0-9-]{8,64}$/, { error: 'must be a bulk operation id' }) })
  .strict();

/** How many of a task's latest finished jobs tasks.durationStats reads. */
export const DURATION_SAMPLE = 100;
/** Enough for every task a screen of queue lanes can name. */
export const DURATION_STATS_MAX_TASKS = 200;

export const durationStatsSchema = z
  .object({
    taskIds: z
      .array(idSchema)
      .max(DURATION_STATS_MAX_TASKS, { error: `at most ${DURATION_STATS_MAX_TASKS} task ids at once` }),
  })
  .strict();

export type ScheduleInput = z.infer<typeof scheduleSchema>;
export type HttpSpec = z.infer<typeof httpSpecSchema>;
export type SecretableValue = z.infer<typeof secretableValueSchema>;
export type TaskCreateInput = z.infer<typeof taskCreateSchema>;
export type TaskUpdateInput = z.infer<typeof taskUpdateSchema>;
export type JobStatus = (typeof JOB_STATUSES)[number];
export type JobFilter = z.infer<typeof jobFilterSchema>;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];
export type CatchUpPolicy = (typeof CATCH_UP_POLICIES)[number];
export type TaskTarget = (typeof TASK_TARGETS)[number];
export type TaskType = (typeof TASK_TYPES)[number];

// Dashboard

/** The most upcoming runs `tasks.upcoming` returns, whatever the caller asks. */
export const UPCOMING_LIMIT_MAX = 500;

export const tasksUpcomingSchema = z
  .object({
    limit: z.number().int().min(1).max(UPCOMING_LIMIT_MAX).default(200),
  })
  .strict();

// Retention (pruning of job history, logs and system events)

/** Each policy field's range: a day at least, so a slip of the finger cannot empty the history. */
export const RETENTION_LIMITS = {
  keepDays: { min: 1, max: 3650 },
  maxJobsPerTask: { min: 1, max: 10_000_000 },
  succeededLogDays: { min: 1, max: 3650 },
  eventDays: { min: 1, max: 3650 },
} as const;

const retentionField = (name: keyof typeof RETENTION_LIMITS) => {
  const { min, max } = RETENTION_LIMITS[name];
  return z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });
};

/** What is kept: finished jobs for keepDays, at most maxJobsPerTask per task, and so on. */
export const retentionPolicySchema = z
  .object({
    keepDays: retentionField('keepDays'),
    maxJobsPerTask: retentionField('maxJobsPerTask'),
    succeededLogDays: retentionField('succeededLogDays'),
    eventDays: retentionField('eventDays'),
  })
  .strict();

/** retention.set: the fields to change; those left out keep their value. */
export const retentionSetSchema = retentionPolicySchema.partial().strict();

export type RetentionPolicyInput = z.infer<typeof retentionPolicySchema>;

// Settings

export const SERVICE_NAMES = ['redis', 'mysql'] as const;
export const THEME_SETTINGS = ['system', 'light', 'dark'] as const;
export const NOTIFICATION_KINDS = ['jobFailed', 'serviceDown', 'serviceUp'] as const;

const SCHEMES: Record<(typeof SERVICE_NAMES)[number], RegExp> = { redis: /^rediss?:$/, mysql: /^mysql:$/ };

/** A URL of the service's scheme with a host; its password may be in it or given beside it. */
function connectionUrlSchema(service: (typeof SERVICE_NAMES)[number]) {
  const scheme = service === 'redis' ? 'redis:// or rediss://' : 'mysql://';
  return z
    .string({ error: 'must be a URL string' })
    .max(2000, { error: 'must be at most 2000 characters' })
    .refine(
      (v) => {
        try {
          const u = new URL(v);
          return SCHEMES[service].test(u.protocol) && u.hostname !== '';
        } catch {
          return false;
        }
      },
      { error: `must be a URL starting with ${scheme} and naming a host` },
    );
}

const passwordSchema = z
  .string({ error: 'must be a string' })
  .max(1000, { error: 'must be at most 1000 characters' })
  .refine((v) => !v.includes('\0'), { error: 'must not contain a NUL character' });

function connectionUpdateSchema(service: (typeof SERVICE_NAMES)[number]) {
  return z
    .object({
      url: connectionUrlSchema(service),
      /** Absent: the saved password stays (when the host, port and user stay); '' removes it. */
      password: passwordSchema.optional(),
    })
    .strict();
}

export const settingsTestConnectionSchema = z
  .object({
    service: z.enum(SERVICE_NAMES),
    url: z.string({ error: 'must be a URL string' }).max(2000, { error: 'must be at most 2000 characters' }),
    password: passwordSchema.optional(),
    timeoutMs: z.number().int().min(500).max(30_000).optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    // The scheme depends on the service: checked here, once both are known, and named as `url`.
    const check = connectionUrlSchema(input.service).safeParse(input.url);
    if (!check.success)
      for (const issue of check.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: ['url'] });
  });

export const settingsUpdateSchema = z
  .object({
    redis: connectionUpdateSchema('redis').optional(),
    mysql: connectionUpdateSchema('mysql').optional(),
    concurrency: z.number().int().min(1).max(256).optional(),
    nodeName: z.string().trim().min(1, { error: 'must not be empty' }).max(100).optional(),
    logCapBytes: z.number().int().min(1024).max(1_073_741_824).optional(),
    desktop: z
      .object({
        theme: z.enum(THEME_SETTINGS).optional(),
        notifications: z
          .object(
            Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, z.boolean().optional()])) as {
              [K in (typeof NOTIFICATION_KINDS)[number]]: z.ZodOptional<z.ZodBoolean>;
            },
          )
          .strict()
          .optional(),
        launchAtLogin: z.boolean().optional(),
        closeToTray: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type SettingsTestConnectionInput = z.infer<typeof settingsTestConnectionSchema>;
export type SettingsUpdateInput = z.infer<typeof settingsUpdateSchema>;
