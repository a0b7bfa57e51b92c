import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { RETENTION_LIMITS } from '../../shared/schemas';
import { describeIssues } from '../../shared/validate';

/**
 * Engine configuration. Four sources, later wins: defaults → `config.json` in the data dir →
 * environment (TICKR_*) → command-line flags. Every value is validated once, here.
 */
export const configSchema = z
  .object({
    redisUrl: z.string().regex(/^rediss?:\/\//, { error: 'must start with redis:// or rediss://' }),
    mysqlUrl: z.string().regex(/^mysql:\/\//, { error: 'must start with mysql://' }),
    dataDir: z.string().min(1),
    concurrency: z.coerce.number().int().min(1).max(256),
    nodeName: z.string().min(1).max(100),
    port: z.coerce.number().int().min(0).max(65535),
    host: z.string().min(1),
    /** URL-safe characters only: the token travels in a `#token=` fragment and a WebSocket subprotocol. */
    token: z
      .string()
      .min(16, { error: 'must be at least 16 characters' })
      .regex(/^[A-Za-z0-9._~-]+$/, { error: 'may only hold letters, digits and . _ ~ -' })
      .optional(),
    /** Seals task secrets (32 bytes, base64); nodes that share secret tasks need the same one. */
    secretKey: z
      .string()
      .refine((k) => Buffer.from(k, 'base64').length === 32 && Buffer.from(k, 'base64').toString('base64') === k, {
        error: 'must be 32 random bytes in base64 (make one with: openssl rand -base64 32)',
      })
      .optional(),
    /** Prefix of every Redis key, so installations and tests sharing a Redis never collide. */
    redisPrefix: z.string().min(1).max(100),
    leaseMs: z.coerce.number().int().min(1000),
    heartbeatMs: z.coerce.number().int().min(100),
    sweepMs: z.coerce.number().int().min(100),
    drainTimeoutMs: z.coerce.number().int().min(0),
    killGraceMs: z.coerce.number().int().min(0),
    logCapBytes: z.coerce.number().int().min(1024),
    logFlushMs: z.coerce.number().int().min(1),
    // Retention (engine/retention): what is kept, and how the pruner paces itself.
    retentionKeepDays: retentionDays('keepDays'),
    retentionMaxJobsPerTask: z.coerce
      .number()
      .int()
      .min(RETENTION_LIMITS.maxJobsPerTask.min)
      .max(RETENTION_LIMITS.maxJobsPerTask.max),
    retentionSucceededLogDays: retentionDays('succeededLogDays'),
    retentionEventDays: retentionDays('eventDays'),
    /** How often a node tries to prune (only one node prunes at a time). */
    retentionIntervalMs: z.coerce.number().int().min(1000),
    /** The first try after start: late enough to keep pruning off a node's busy start. */
    retentionStartDelayMs: z.coerce.number().int().min(0),
    /** Rows per delete statement: small, so no statement holds locks or the undo log for long. */
    retentionBatchSize: z.coerce.number().int().min(1).max(10_000),
    /** The pause between two batches, so the claims and finishes of running jobs go between them. */
    retentionPauseMs: z.coerce.number().int().min(0).max(60_000),
  })
  .strict()
  .refine((c) => c.heartbeatMs < c.leaseMs, { error: 'must be shorter than leaseMs', path: ['heartbeatMs'] });

function retentionDays(field: 'keepDays' | 'succeededLogDays' | 'eventDays') {
  return z.coerce.number().int().min(RETENTION_LIMITS[field].min).max(RETENTION_LIMITS[field].max);
}

export type EngineConfig = z.infer<typeof configSchema>;
export type ConfigOverrides = Partial<Record<keyof EngineConfig, string | number | undefined>>;

export function defaultDataDir(): string {
  return path.join(os.homedir(), '.tickr');
}

export function defaultConfig(dataDir = defaultDataDir()): EngineConfig {
  return {
    redisUrl: 'redis://127.0.0.1:6379',
    mysqlUrl: 'mysql://root@127.0.0.1:3306/tickr',
    dataDir,
    concurrency: Math.max(1, os.availableParallelism()),
    nodeName: os.hostname(),
    port: 7420,
    host: '127.0.0.1',
    redisPrefix: 'tickr:',
    leaseMs: 30_000,
    heartbeatMs: 10_000,
    sweepMs: 30_000,
    drainTimeoutMs: 30_000,
    killGraceMs: 5_000,
    logCapBytes: 1_048_576,
    logFlushMs: 100,
    retentionKeepDays: 30,
    retentionMaxJobsPerTask: 10_000,
    retentionSucceededLogDays: 7,
    retentionEventDays: 30,
    retentionIntervalMs: 3_600_000,
    retentionStartDelayMs: 300_000,
    retentionBatchSize: 500,
    retentionPauseMs: 50,
  };
}

const ENV_KEYS: Record<string, keyof EngineConfig> = {
  TICKR_REDIS_URL: 'redisUrl',
  TICKR_MYSQL_URL: 'mysqlUrl',
  TICKR_DATA_DIR: 'dataDir',
  TICKR_CONCURRENCY: 'concurrency',
  TICKR_NODE_NAME: 'nodeName',
  TICKR_PORT: 'port',
  TICKR_HOST: 'host',
  TICKR_TOKEN: 'token',
  TICKR_SECRET_KEY: 'secretKey',
  TICKR_REDIS_PREFIX: 'redisPrefix',
  TICKR_LEASE_MS: 'leaseMs',
  TICKR_HEARTBEAT_MS: 'heartbeatMs',
  TICKR_SWEEP_MS: 'sweepMs',
  TICKR_DRAIN_TIMEOUT_MS: 'drainTimeoutMs',
  TICKR_RETENTION_KEEP_DAYS: 'retentionKeepDays',
  TICKR_RETENTION_MAX_JOBS_PER_TASK: 'retentionMaxJobsPerTask',
  TICKR_RETENTION_SUCCEEDED_LOG_DAYS: 'retentionSucceededLogDays',
  TICKR_RETENTION_EVENT_DAYS: 'retentionEventDays',
  TICKR_RETENTION_INTERVAL_MS: 'retentionIntervalMs',
  TICKR_RETENTION_START_DELAY_MS: 'retentionStartDelayMs',
  TICKR_RETENTION_BATCH_SIZE: 'retentionBatchSize',
  TICKR_RETENTION_PAUSE_MS: 'retentionPauseMs',
};

export function envOverrides(env: NodeJS.ProcessEnv): ConfigOverrides {
  const out: ConfigOverrides = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

function readConfigFile(dataDir: string): ConfigOverrides {
  const file = path.join(dataDir, 'config.json');
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${file}: must hold a JSON object`);
  }
  return parsed as ConfigOverrides;
}

function withoutUndefined(o: ConfigOverrides): ConfigOverrides {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as ConfigOverrides;
}

/**
 * Resolves the configuration. The data dir itself can come from env or flags, so it is settled
 * first, then the config file inside it is read.
 */
export function loadConfig(
  options: { env?: NodeJS.ProcessEnv; flags?: ConfigOverrides; dataDir?: string } = {},
): EngineConfig {
  const env = envOverrides(options.env ?? process.env);
  const flags = withoutUndefined(options.flags ?? {});
  const dataDir = String(flags.dataDir ?? env.dataDir ?? options.dataDir ?? defaultDataDir());
  const merged = { ...defaultConfig(dataDir), ...readConfigFile(dataDir), ...env, ...flags, dataDir };
  const environment = options.env ?? process.env;
  for (const [name, key] of PASSWORD_FILES) {
    const file = environment[name];
    if (file !== undefined && file !== '') merged[key] = urlWithPasswordFrom(String(merged[key]), file, name);
  }
  const result = configSchema.safeParse(merged);
  if (!result.success) throw new Error(`invalid configuration: ${describeIssues(result.error.issues)}`);
  return result.data;
}

/**
 * A headless node may keep its Redis and MySQL passwords out of its environment (where `ps e` and
 * service dumps show them) in files readable by its user only, as the secret key is kept:
 * TICKR_REDIS_PASSWORD_FILE and TICKR_MYSQL_PASSWORD_FILE. A file others may read is refused.
 */
const PASSWORD_FILES = [
  ['TICKR_REDIS_PASSWORD_FILE', 'redisUrl'],
  ['TICKR_MYSQL_PASSWORD_FILE', 'mysqlUrl'],
] as const;

function urlWithPasswordFrom(url: string, file: string, name: string): string {
  let mode: number;
  let password: string;
  try {
    mode = statSync(file).mode;
    password = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new Error(
      `invalid configuration: ${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new Error(`invalid configuration: ${name}: ${file} must be readable by its owner only (chmod 600 ${file})`);
  }
  try {
    const u = new URL(url);
    if (u.username === '' && u.protocol === 'mysql:') u.username = 'root';
    u.password = encodeURIComponent(password);
    return u.toString();
  } catch {
    return url; // the schema names the bad URL next
  }
}

/** A URL safe to print: the password, if any, is replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}
