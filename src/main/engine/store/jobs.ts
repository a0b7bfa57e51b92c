import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2';
import type { JobFilter } from '../../../shared/schemas';
import type { AttemptOutcome, HttpExchange, Job, JobDetail } from '../../../shared/types';
import { filterQuery } from './job-filter';
import { keysetPage, type ReadPage } from './paging';
import { placeholders, withDeadlockRetry } from './db';
import { COLUMN_LIMITS, fitColumn } from './bounded-text';
import { insertLogChunks, type LogChunk } from './logs';
import { attemptFromRow, jobFromRow, type AttemptRow, type JobRow } from './rows';

type Executor = Pool | PoolConnection;

export interface NewJob {
  taskId: string;
  maxAttempts: number;
  scheduledFor: Date;
  occurrenceAt: Date | null;
  dueAt: Date;
  pinnedNodeId: string | null;
  status?: 'waiting' | 'skipped';
  error?: string | null;
}

/** A queue entry as Redis needs it: the id, its due time and the node it is pinned to. */
export interface QueueEntry {
  id: string;
  dueMs: number;
  pinnedNodeId: string | null;
}

/** INSERT (a new job) or INSERT IGNORE (an occurrence another node may have made first). */
async function insertJobRow(
  db: Executor,
  j: NewJob,
  now: Date,
  verb: 'INSERT' | 'INSERT IGNORE',
): Promise<ResultSetHeader> {
  const status = j.status ?? 'waiting';
  const [res] = await db.execute<ResultSetHeader>(
    `${verb} INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, occurrence_at, due_at, pinned_node_id,
       error, finished_at, created_at, updated_at)
     VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      j.taskId,
      status,
      j.maxAttempts,
      j.scheduledFor,
      j.occurrenceAt,
      j.dueAt,
      j.pinnedNodeId,
      j.error ?? null,
      status === 'skipped' ? now : null,
      now,
      now,
    ],
  );
  return res;
}

/**
 * Inserts new jobs in one multi-row statement and returns their ids, in order. A multi-row
 * INSERT with its row count known is a "simple insert", for which InnoDB hands out one block of
 * consecutive auto-increment values in every lock mode (interleaved included), so the ids are the
 * first one and the next ones at the server's auto_increment_increment.
 */
export async function insertJobs(
  db: Executor,
  jobs: readonly NewJob[],
  now: Date,
  increment: number,
): Promise<string[]> {
  if (jobs.length === 0) return [];
  const values: (string | number | Date | null)[] = [];
  for (const j of jobs) {
    const status = j.status ?? 'waiting';
    values.push(j.taskId, status, j.maxAttempts, j.scheduledFor, j.occurrenceAt, j.dueAt, j.pinnedNodeId);
    values.push(j.error ?? null, status === 'skipped' ? now : null, now, now);
  }
  const [res] = await db.execute<ResultSetHeader>(
    `INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, occurrence_at, due_at, pinned_node_id,
       error, finished_at, created_at, updated_at)
     VALUES ${placeholders(jobs.length, '(?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)')}`,
    values,
  );
  if (res.affectedRows !== jobs.length) throw new Error(`inserted ${res.affectedRows} of ${jobs.length} jobs`);
  const first = BigInt(res.insertId);
  return jobs.map((_, i) => String(first + BigInt(i * increment)));
}

/** The server's auto_increment_increment: 1 unless it is one of several writers (a multi-source setup). */
export async function autoIncrementStep(db: Executor): Promise<number> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT @@auto_increment_increment AS step');
  return Number(rows[0]?.step ?? 1);
}

/** A new job's row as MySQL holds it right after insertJobs, for announcing it without a read back. */
export function newJobRow(id: string, j: NewJob, now: Date): JobRow {
  const status = j.status ?? 'waiting';
  return {
    id,
    task_id: j.taskId,
    status,
    attempt: 0,
    max_attempts: j.maxAttempts,
    scheduled_for: j.scheduledFor,
    occurrence_at: j.occurrenceAt,
    due_at: j.dueAt,
    started_at: null,
    finished_at: status === 'skipped' ? now : null,
    exit_code: null,
    error: j.error ?? null,
    node_id: null,
    pinned_node_id: j.pinnedNodeId,
    claim_token: null,
    lease_until: null,
    cancel_requested: 0,
    retried_as: null,
  } as JobRow;
}

export async function insertJob(db: Executor, j: NewJob, now: Date): Promise<string> {
  return String((await insertJobRow(db, j, now, 'INSERT')).insertId);
}

/**
 * Inserts a schedule-made occurrence, or does nothing if that occurrence already exists
 * (another node made it first). Returns the new id or null.
 */
export async function insertOccurrence(db: Executor, j: NewJob, now: Date): Promise<string | null> {
  const res = await insertJobRow(db, j, now, 'INSERT IGNORE');
  return res.affectedRows === 1 ? String(res.insertId) : null;
}

export async function getJobRow(db: Executor, id: string): Promise<JobRow | null> {
  const [rows] = await db.execute<JobRow[]>('SELECT * FROM jobs WHERE id=?', [id]);
  return rows[0] ?? null;
}

export async function getJob(db: Executor, id: string): Promise<Job | null> {
  const row = await getJobRow(db, id);
  return row ? jobFromRow(row) : null;
}

export async function getJobDetail(db: Executor, id: string): Promise<JobDetail | null> {
  const row = await getJobRow(db, id);
  if (!row) return null;
  const job = jobFromRow(row);
  const [rows] = await db.execute<AttemptRow[]>('SELECT * FROM attempts WHERE job_id=? ORDER BY attempt', [id]);
  return {
    ...job,
    attempts: rows.map(attemptFromRow),
    retriedAs: row.retried_as === null ? null : String(row.retried_as),
  };
}

export async function listJobs(
  db: Executor,
  q: JobFilter & { limit: number; cursor?: string | undefined },
): Promise<ReadPage<Job>> {
  const { conditions, index } = filterQuery(q);
  return keysetPage<JobRow, Job>(db, 'jobs', conditions, q, jobFromRow, index);
}

/**
 * Points a job at the run a retry made of it. With `once`, only a job not retried before: the row
 * lock this takes makes a concurrent retry of the same job wait, then find the link set.
 */
export async function linkRetry(
  conn: PoolConnection,
  jobId: string,
  newJobId: string,
  once: boolean,
): Promise<boolean> {
  const [res] = await conn.execute<ResultSetHeader>(
    `UPDATE jobs SET retried_as=? WHERE id=?${once ? ' AND retried_as IS NULL' : ''}`,
    [newJobId, jobId],
  );
  return res.affectedRows === 1;
}

/** Records that the scheduler moved these jobs to a ready list; purely informative for the UI. */
export async function markReady(db: Executor, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.query("UPDATE jobs SET status='ready', updated_at=? WHERE status='waiting' AND id IN (?)", [now, ids]);
}

export interface ClaimedJob {
  row: JobRow;
  token: string;
}

export interface ClaimArgs {
  id: string;
  nodeId: string;
  token: string;
  leaseMs: number;
  now: Date;
  /** The attempt's environment as JSON, given its number (known once the claim counted it). */
  environment?: (attempt: number) => string | null;
}

/**
 * The compare-and-set that makes a job run at most once per attempt (invariant 3): only a job
 * still waiting/ready, due, and not pinned elsewhere can be moved to running. The attempt row is
 * written in the same transaction, the caller's (ScheduleKeeper.claim, which applies the task's
 * policies around it).
 */
export async function claimInTransaction(conn: PoolConnection, args: ClaimArgs): Promise<ClaimedJob | null> {
  const won = await claimManyInTransaction(conn, {
    ...args,
    ids: [args.id],
    environment: (_id, n) => args.environment?.(n) ?? null,
  });
  return won.get(args.id) ?? null;
}

export interface ClaimManyArgs extends Omit<ClaimArgs, 'id' | 'environment'> {
  ids: readonly string[];
  environment?: (id: string, attempt: number) => string | null;
}

/** Ids in ascending numeric order: every batch locks its rows in the same order, so batches never deadlock each other. */
export function sortedIds(ids: readonly string[]): string[] {
  return [...ids].sort(compareIds);
}

/** Numeric order of decimal id strings (BIGINT ids travel as strings), without parsing them. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * The compare-and-set for a batch of taken ids, in three statements whatever its size: one
 * UPDATE over the batch, the rows it won read back by the claim token (MySQL has no `UPDATE …
 * RETURNING`), and their attempt rows in one INSERT. Ids that lost (claimed elsewhere, cancelled,
 * not due, pinned to another node) are absent from the result. The token is the batch's: a job's
 * result is guarded by its id and the token together.
 */
export async function claimManyInTransaction(
  conn: PoolConnection,
  args: ClaimManyArgs,
): Promise<Map<string, ClaimedJob>> {
  const won = new Map<string, ClaimedJob>();
  if (args.ids.length === 0) return won;
  const ids = sortedIds(args.ids);
  const list = placeholders(ids.length);
  const [res] = await conn.execute<ResultSetHeader>(
    `UPDATE jobs SET status='running', attempt=attempt+1, node_id=?, claim_token=?, started_at=?, finished_at=NULL,
       lease_until=DATE_ADD(NOW(3), INTERVAL ? MICROSECOND), cancel_requested=0, updated_at=?
     WHERE id IN (${list}) AND status IN ('waiting','ready') AND due_at <= ? AND (pinned_node_id IS NULL OR pinned_node_id=?)`,
    [args.nodeId, args.token, args.now, args.leaseMs * 1000, args.now, ...ids, args.now, args.nodeId],
  );
  if (res.affectedRows === 0) return won;
  const [rows] = await conn.execute<JobRow[]>(
    `SELECT * FROM jobs WHERE id IN (${list}) AND claim_token=? ORDER BY id`,
    [...ids, args.token],
  );
  if (rows.length === 0) return won;
  const values: (string | number | Date | null)[] = [];
  for (const row of rows) {
    const id = String(row.id);
    values.push(id, row.attempt, args.nodeId, args.token, args.now, args.environment?.(id, row.attempt) ?? null);
    won.set(id, { row, token: args.token });
  }
  await conn.execute(
    `INSERT INTO attempts (job_id, attempt, node_id, claim_token, started_at, outcome, environment_json)
     VALUES ${placeholders(rows.length, "(?, ?, ?, ?, ?, 'running', ?)")}
     ON DUPLICATE KEY UPDATE node_id=VALUES(node_id), claim_token=VALUES(claim_token), started_at=VALUES(started_at),
       finished_at=NULL, exit_code=NULL, signal_name=NULL, http_status=NULL, outcome='running', error=NULL,
       environment_json=VALUES(environment_json), http_json=NULL`,
    values,
  );
  return won;
}

export interface AttemptResult {
  outcome: Exclude<AttemptOutcome, 'running'>;
  exitCode: number | null;
  signal: string | null;
  httpStatus: number | null;
  error: string | null;
  finishedAt: Date;
  /** An http attempt's exchange, secrets already *** (execution/attempt-capture.ts). */
  http?: HttpExchange | null;
}

export interface FinishPlan {
  /** waiting = retry at `dueAt`; the others are final. */
  status: 'succeeded' | 'failed' | 'cancelled' | 'waiting';
  dueAt: Date | null;
}

/** One attempt's result to write: the job, the attempt, its claim token, and its last log chunks. */
export interface FinishWrite {
  id: string;
  attempt: number;
  token: string;
  result: AttemptResult;
  plan: FinishPlan;
  logs?: readonly LogChunk[];
}

/** The job's side of a finish, in the order jobSet names it. */
function jobValues(w: FinishWrite, error: string | null): (string | number | Date | null)[] {
  const { plan, result } = w;
  return [
    plan.status,
    plan.status !== 'waiting' ? result.finishedAt : null,
    result.exitCode,
    error,
    plan.dueAt,
    result.finishedAt,
  ];
}

/** The attempt's side of a finish, in the order of the SET below. */
function attemptValues(w: FinishWrite, error: string | null): (string | number | Date | null)[] {
  const { result } = w;
  return [
    result.finishedAt,
    result.exitCode,
    result.signal,
    result.httpStatus,
    result.outcome,
    error,
    result.http ? JSON.stringify(result.http) : null,
  ];
}

/**
 * Writes an attempt's result and the job's next state, guarded by the claim token so a result
 * that arrives after the lease was reaped changes nothing. Returns false in that case.
 */
export async function finishAttempt(db: Pool, args: FinishWrite): Promise<boolean> {
  const error = fitColumn(args.result.error, COLUMN_LIMITS.error);
  // The job's side of the write, said once for both statements below (`p` is a table alias).
  const jobSet = (p: string): string =>
    `${p}status=?, ${p}finished_at=?, ${p}exit_code=?, ${p}error=?, ${p}lease_until=NULL, ${p}claim_token=NULL, ` +
    `${p}due_at=COALESCE(?, ${p}due_at), ${p}updated_at=?`;
  // Two statements, no transaction: a round trip each, where BEGIN, three statements and COMMIT
  // took five. The log's last chunks go first, so a reader who sees the job finished finds its
  // whole log; they are kept even when the result is stale, and INSERT IGNORE makes a rerun
  // (deadlock retry, journal replay) harmless. Then the job and its attempt change together in
  // one statement, under the compare-and-set on the claim token.
  return withDeadlockRetry(async () => {
    if (args.logs?.length) await insertLogChunks(db, args.logs);
    const [res] = await db.execute<ResultSetHeader>(
      `UPDATE jobs j JOIN attempts a ON a.job_id = j.id AND a.attempt = ? AND a.claim_token = ?
       SET ${jobSet('j.')},
         a.finished_at=?, a.exit_code=?, a.signal_name=?, a.http_status=?, a.outcome=?, a.error=?, a.http_json=?
       WHERE j.id=? AND j.claim_token=? AND j.status='running'`,
      [args.attempt, args.token, ...jobValues(args, error), ...attemptValues(args, error), args.id, args.token],
    );
    if (res.affectedRows > 0) return true;
    // Stale (the usual case here), or a job whose attempt row is missing: the job alone still
    // gets its result then, so that no job can stay 'running' for ever.
    const [jobOnly] = await db.execute<ResultSetHeader>(
      `UPDATE jobs SET ${jobSet('')} WHERE id=? AND claim_token=? AND status='running'`,
      [...jobValues(args, error), args.id, args.token],
    );
    return jobOnly.affectedRows === 1;
  });
}

/** The columns of one row of the batch's derived table, in the order jobValues + attemptValues give them. */
const BATCH_COLUMNS = [
  'id',
  'attempt',
  'token',
  'status',
  'job_finished_at',
  'exit_code',
  'error',
  'due_at',
  'updated_at',
  'finished_at',
  'a_exit_code',
  'signal_name',
  'http_status',
  'outcome',
  'a_error',
  'http_json',
] as const;

/**
 * Writes the results of several attempts in one transaction of two statements: every last log
 * chunk in one INSERT, and every job with its attempt in one UPDATE joined to the batch as a
 * derived table (portable to MySQL 8 and MariaDB, where `JSON_TABLE` or `VALUES` rows are not),
 * each row under its own claim-token compare-and-set. Rows go in id order, so batches lock alike.
 *
 * Returns true when every result was applied, and commits. When any was not (stale: its lease
 * was taken over, or its attempt row is missing), it rolls back and returns false, and the caller
 * writes each result on its own (finishAttempt), which tells which ones applied: a batch that
 * races a reaper is rare, and this keeps each result's answer exact without reading rows back.
 */
export async function finishAttempts(conn: PoolConnection, batch: readonly FinishWrite[]): Promise<boolean> {
  const rows = [...batch].sort((x, y) => compareIds(x.id, y.id));
  const logs = rows.flatMap((w) => w.logs ?? []);
  if (logs.length > 0) await insertLogChunks(conn, logs);
  const values: (string | number | Date | null)[] = [];
  for (const w of rows) {
    const error = fitColumn(w.result.error, COLUMN_LIMITS.error);
    values.push(w.id, w.attempt, w.token, ...jobValues(w, error), ...attemptValues(w, error));
  }
  const first = `SELECT ${BATCH_COLUMNS.map((c) => `? AS ${c}`).join(', ')}`;
  const more = ` UNION ALL SELECT ${placeholders(BATCH_COLUMNS.length)}`;
  // Text protocol (query): mysql2 escapes each value into the statement, so the derived table's
  // columns take their types from the values, and one statement shape serves every batch size.
  const [res] = await conn.query<ResultSetHeader>(
    `UPDATE jobs j
     JOIN (${first}${more.repeat(rows.length - 1)}) v ON j.id = v.id AND j.claim_token = v.token AND j.status = 'running'
     JOIN attempts a ON a.job_id = j.id AND a.attempt = v.attempt AND a.claim_token = v.token
     SET j.status = v.status, j.finished_at = v.job_finished_at, j.exit_code = v.exit_code, j.error = v.error,
       j.lease_until = NULL, j.claim_token = NULL, j.due_at = COALESCE(v.due_at, j.due_at), j.updated_at = v.updated_at,
       a.finished_at = v.finished_at, a.exit_code = v.a_exit_code, a.signal_name = v.signal_name,
       a.http_status = v.http_status, a.outcome = v.outcome, a.error = v.a_error, a.http_json = v.http_json`,
    values,
  );
  // Each applied result changes two rows: the job and its attempt.
  return res.affectedRows === 2 * rows.length;
}

/** The next state after an attempt: retry with linear back-off while attempts remain. */
export function planAfterAttempt(args: {
  outcome: AttemptResult['outcome'];
  attempt: number;
  maxAttempts: number;
  retryDelayMs: number;
  now: Date;
}): FinishPlan {
  if (args.outcome === 'succeeded') return { status: 'succeeded', dueAt: null };
  if (args.outcome === 'cancelled') return { status: 'cancelled', dueAt: null };
  if (args.attempt < args.maxAttempts) {
    return { status: 'waiting', dueAt: new Date(args.now.getTime() + args.attempt * args.retryDelayMs) };
  }
  return { status: 'failed', dueAt: null };
}

/**
 * Renews the leases of the attempts this node's runner holds, and only those: a job that is
 * `running` under this node in MySQL but no longer in its runner (its result could not be
 * written) must see its lease run out, so the reaper ends it, instead of being kept alive for ever.
 */
export async function renewLeases(
  db: Executor,
  nodeId: string,
  jobIds: readonly string[],
  leaseMs: number,
): Promise<number> {
  if (jobIds.length === 0) return 0;
  const [res] = await db.query<ResultSetHeader>(
    "UPDATE jobs SET lease_until=DATE_ADD(NOW(3), INTERVAL ? MICROSECOND) WHERE node_id=? AND status='running' AND id IN (?)",
    [leaseMs * 1000, nodeId, jobIds],
  );
  return res.affectedRows;
}

export interface RunningRef extends RowDataPacket {
  id: string;
  attempt: number;
  max_attempts: number;
  claim_token: string;
  node_id: string;
  task_id: string;
  retry_delay_ms: number;
  pinned_node_id: string | null;
}

const RUNNING_REF_SQL = `SELECT j.id, j.attempt, j.max_attempts, j.claim_token, j.node_id, j.task_id, j.pinned_node_id,
  COALESCE(t.retry_delay_ms, 0) AS retry_delay_ms FROM jobs j LEFT JOIN tasks t ON t.id = j.task_id`;

export async function expiredLeases(db: Executor, limit = 500): Promise<RunningRef[]> {
  const [rows] = await db.query<RunningRef[]>(
    `${RUNNING_REF_SQL} WHERE j.status='running' AND j.lease_until < NOW(3) LIMIT ?`,
    [limit],
  );
  return rows;
}

export async function runningOnNode(db: Executor, nodeId: string): Promise<RunningRef[]> {
  const [rows] = await db.query<RunningRef[]>(`${RUNNING_REF_SQL} WHERE j.node_id=? AND j.status='running'`, [nodeId]);
  return rows;
}

export async function cancelRequestedOnNode(db: Executor, nodeId: string): Promise<string[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    "SELECT id FROM jobs WHERE node_id=? AND status='running' AND cancel_requested=1",
    [nodeId],
  );
  return rows.map((r) => String(r.id));
}

/** Cancels a job that has not started. Returns true if it was pending. */
export async function cancelPending(db: Executor, id: string, now: Date, reason: string): Promise<boolean> {
  const [res] = await db.execute<ResultSetHeader>(
    "UPDATE jobs SET status='cancelled', finished_at=?, error=?, updated_at=? WHERE id=? AND status IN ('waiting','ready')",
    [now, reason, now, id],
  );
  return res.affectedRows === 1;
}

/**
 * Asks the node running a job to stop it. Retried as a deadlock victim: racing the job's own
 * finish (whose statement locks the job and its attempt together) InnoDB may pick this one.
 */
export async function requestCancel(db: Executor, id: string, now: Date): Promise<boolean> {
  const [res] = await withDeadlockRetry(() =>
    db.execute<ResultSetHeader>("UPDATE jobs SET cancel_requested=1, updated_at=? WHERE id=? AND status='running'", [
      now,
      id,
    ]),
  );
  return res.affectedRows === 1;
}

/**
 * Jobs MySQL says are queued, due by `until` and unchanged since `settledBefore`: what the safety
 * sweep checks against Redis.
 */
/** Queued jobs as Redis takes them, and the ids of rows whose due time cannot be read (skipped). */
export interface QueueRows {
  entries: QueueEntry[];
  unreadable: string[];
  /** The id of the last row read, readable or not: where the next page starts. */
  lastId: string | null;
}

function queueRows(rows: RowDataPacket[]): QueueRows {
  const entries: QueueEntry[] = [];
  const unreadable: string[] = [];
  for (const r of rows) {
    const dueMs = (r.due_at as Date | null)?.getTime() ?? Number.NaN;
    // A zero date reads as an invalid Date; pushed to Redis, its NaN score fails the whole ZADD.
    if (Number.isFinite(dueMs)) {
      entries.push({ id: String(r.id), dueMs, pinnedNodeId: (r.pinned_node_id as string | null) ?? null });
    } else unreadable.push(String(r.id));
  }
  const last = rows[rows.length - 1];
  return { entries, unreadable, lastId: last ? String(last.id) : null };
}

export async function queuedDueBy(db: Executor, until: Date, settledBefore: Date, limit: number): Promise<QueueRows> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT id, due_at, pinned_node_id FROM jobs
     WHERE status IN ('waiting','ready') AND due_at <= ? AND updated_at <= ? ORDER BY due_at LIMIT ?`,
    [until, settledBefore, limit],
  );
  return queueRows(rows);
}

/** Every queued job, a page at a time in id order: the source for rebuilding Redis. */
export async function queuedPage(
  db: Executor,
  status: 'waiting' | 'ready',
  afterId: string,
  limit: number,
): Promise<QueueRows> {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT id, due_at, pinned_node_id FROM jobs WHERE status=? AND id > ? ORDER BY id LIMIT ?',
    [status, afterId, limit],
  );
  return queueRows(rows);
}
