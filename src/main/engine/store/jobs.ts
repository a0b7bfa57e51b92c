import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2';
import type { JobFilter } from '../../../shared/schemas';
import type { AttemptOutcome, HttpExchange, Job, JobDetail } from '../../../shared/types';
import { filterQuery } from './job-filter';
import { keysetPage, type ReadPage } from './paging';
import {
  inPipelinedTransaction,
  inTransaction,
  placeholders,
  withDeadlockRetry,
  type SqlParam,
  type Statement,
} from './db';
import { COLUMN_LIMITS, fitColumn } from './bounded-text';
import { insertLogChunks, logChunksInsert, type LogChunk } from './logs';
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

/** Ids per ready mark: a mark of every job due at one instant stays a short statement. */
const READY_MARK_CHUNK = 500;

/** MySQL refusing READ COMMITTED for a write because the binary log is statement-based. */
const ER_BINLOG_STMT_MODE_AND_ROW_ENGINE = 1665;

/**
 * Records that the scheduler moved these jobs to a ready list; purely informative for the UI.
 *
 * The mark reads only the jobs still waiting, through the (status, id) index, under READ
 * COMMITTED, in id order and in chunks. It used to read its ids by primary key under REPEATABLE
 * READ: it then locked every row it looked at, the running ones it leaves alone included, so a
 * completion group writing one of them waited for the whole mark, and the two deadlocked on the
 * status index (seen in the bench: 2,000 jobs due at once, a mark of 1,900 ids). Now it never
 * touches a running row, and takes no gap locks. A server whose binary log is statement-based
 * refuses READ COMMITTED for a write: the mark then runs under the session's level.
 */
export async function markReady(pool: Pool, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  const sql =
    "UPDATE jobs FORCE INDEX (idx_jobs_status_id) SET status='ready', updated_at=? WHERE status='waiting' AND id IN (?)";
  const conn = await pool.getConnection();
  try {
    const sorted = sortedIds(ids);
    for (let i = 0; i < sorted.length; i += READY_MARK_CHUNK) {
      const chunk = sorted.slice(i, i + READY_MARK_CHUNK);
      // SET TRANSACTION covers the next transaction only: this autocommitted UPDATE.
      await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      try {
        await conn.query(sql, [now, chunk]);
      } catch (err) {
        if ((err as { errno?: number }).errno !== ER_BINLOG_STMT_MODE_AND_ROW_ENGINE) throw err;
        await conn.query(sql, [now, chunk]);
      }
    }
  } finally {
    conn.release();
  }
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

/** The compare-and-set over a batch: every taken id still queued, due and not pinned elsewhere becomes this claim's. */
function claimUpdate(ids: readonly string[], args: ClaimManyArgs): Statement {
  return {
    sql: `UPDATE jobs SET status='running', attempt=attempt+1, node_id=?, claim_token=?, started_at=?, finished_at=NULL,
       lease_until=DATE_ADD(NOW(3), INTERVAL ? MICROSECOND), cancel_requested=0, updated_at=?
     WHERE id IN (${placeholders(ids.length)}) AND status IN ('waiting','ready') AND due_at <= ? AND (pinned_node_id IS NULL OR pinned_node_id=?)`,
    values: [args.nodeId, args.token, args.now, args.leaseMs * 1000, args.now, ...ids, args.now, args.nodeId],
  };
}

/** The rows the compare-and-set won, read back by the claim token (MySQL has no `UPDATE … RETURNING`). */
function claimedRows(ids: readonly string[], token: string): Statement {
  return {
    sql: `SELECT * FROM jobs WHERE id IN (${placeholders(ids.length)}) AND claim_token=? ORDER BY id`,
    values: [...ids, token],
  };
}

/** The attempt rows of the won jobs; `won` gets each job's claim. */
function attemptRows(rows: readonly JobRow[], args: ClaimManyArgs, won: Map<string, ClaimedJob>): Statement {
  const values: SqlParam[] = [];
  for (const row of rows) {
    const id = String(row.id);
    values.push(id, row.attempt, args.nodeId, args.token, args.now, args.environment?.(id, row.attempt) ?? null);
    won.set(id, { row, token: args.token });
  }
  return {
    sql: `INSERT INTO attempts (job_id, attempt, node_id, claim_token, started_at, outcome, environment_json)
     VALUES ${placeholders(rows.length, "(?, ?, ?, ?, ?, 'running', ?)")}
     ON DUPLICATE KEY UPDATE node_id=VALUES(node_id), claim_token=VALUES(claim_token), started_at=VALUES(started_at),
       finished_at=NULL, exit_code=NULL, signal_name=NULL, http_status=NULL, outcome='running', error=NULL,
       environment_json=VALUES(environment_json), http_json=NULL`,
    values,
  };
}

/**
 * The compare-and-set for a batch of taken ids, in three statements whatever its size, in the
 * caller's transaction: the UPDATE over the batch, the rows it won read back by the claim token,
 * and their attempt rows in one INSERT. Ids that lost (claimed elsewhere, cancelled, not due,
 * pinned to another node) are absent from the result. The token is the batch's: a job's result
 * is guarded by its id and the token together.
 */
export async function claimManyInTransaction(
  conn: PoolConnection,
  args: ClaimManyArgs,
): Promise<Map<string, ClaimedJob>> {
  const won = new Map<string, ClaimedJob>();
  if (args.ids.length === 0) return won;
  const ids = sortedIds(args.ids);
  const update = claimUpdate(ids, args);
  const [res] = await conn.execute<ResultSetHeader>(update.sql, update.values);
  if (res.affectedRows === 0) return won;
  const read = claimedRows(ids, args.token);
  const [rows] = await conn.execute<JobRow[]>(read.sql, read.values);
  if (rows.length === 0) return won;
  const insert = attemptRows(rows, args, won);
  await conn.execute(insert.sql, insert.values);
  return won;
}

/**
 * The same claim as its own transaction in two round trips: the transaction's start, the
 * compare-and-set and the read back in the first; the attempt rows and the commit in the second
 * (the attempt's environment needs its number, which only the read back tells).
 */
export async function claimBatch(pool: Pool, args: ClaimManyArgs): Promise<Map<string, ClaimedJob>> {
  if (args.ids.length === 0) return new Map();
  const ids = sortedIds(args.ids);
  return inPipelinedTransaction(pool, async (tx) => {
    const won = new Map<string, ClaimedJob>();
    const [, rows] = (await tx.send([claimUpdate(ids, args), claimedRows(ids, args.token)])) as [unknown, JobRow[]];
    await tx.commit(rows.length > 0 ? [attemptRows(rows, args, won)] : []);
    return won;
  });
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

/** The job's side of a finish: each column and its value. */
function jobColumns(w: FinishWrite, error: string | null): [string, SqlParam][] {
  const { plan, result } = w;
  return [
    ['status', plan.status],
    ['finished_at', plan.status !== 'waiting' ? result.finishedAt : null],
    ['exit_code', result.exitCode],
    ['error', error],
    ['updated_at', result.finishedAt],
  ];
}

/** The attempt's side of a finish: each column and its value. */
function attemptColumns(w: FinishWrite, error: string | null): [string, SqlParam][] {
  const { result } = w;
  return [
    ['finished_at', result.finishedAt],
    ['exit_code', result.exitCode],
    ['signal_name', result.signal],
    ['http_status', result.httpStatus],
    ['outcome', result.outcome],
    ['error', error],
    ['http_json', result.http ? JSON.stringify(result.http) : null],
  ];
}

/** `CASE key WHEN ? THEN ? … END`: the value of one column for each row of a group. */
function perRow(key: string, rows: readonly FinishWrite[], value: (w: FinishWrite, i: number) => SqlParam) {
  return {
    sql: `CASE ${key} ${rows.map(() => 'WHEN ? THEN ?').join(' ')} END`,
    values: rows.flatMap((w, i) => [w.id, value(w, i)]),
  };
}

/** `col = CASE key … END, …` for every column, so one single-table UPDATE gives each row its own values. */
function setPerRow(
  key: string,
  rows: readonly FinishWrite[],
  columns: (w: FinishWrite, i: number) => [string, SqlParam][],
) {
  const all = rows.map(columns);
  const values: SqlParam[] = [];
  const sets = all[0]!.map(([column], c) => {
    const arm = perRow(key, rows, (_w, i) => all[i]![c]![1]);
    values.push(...arm.values);
    return `${column} = ${arm.sql}`;
  });
  return { sql: sets.join(', '), values };
}

/** What a group of finishes changed: jobs (by the compare-and-set on their token) and attempt rows. */
export interface FinishCounts {
  jobs: number;
  attempts: number;
}

/**
 * Writes the results of a group of attempts in the caller's transaction, with single-table
 * statements only: every last log chunk in one INSERT, every job in one UPDATE, every attempt
 * row in one UPDATE, each row guarded by its own claim token, so a result that arrives after its
 * lease was reaped changes nothing. Rows go in id order, so groups lock alike.
 *
 * No multi-table UPDATE, on purpose: MariaDB 10.11 buffers the second table of one in an
 * internal temporary table, and here it crashed twice under load (SIGSEGV in
 * ha_maria::drop_table, cleaning up such a table it failed to create in
 * multi_update::initialize_tables). Values go in by the text protocol (query), so one statement
 * shape is not prepared per group size.
 */
export async function writeFinishes(conn: PoolConnection, group: readonly FinishWrite[]): Promise<FinishCounts> {
  const plan = finishStatements(group);
  if (plan.logs) await conn.query(plan.logs.sql, plan.logs.values);
  const [jobs] = await conn.query<ResultSetHeader>(plan.jobs.sql, plan.jobs.values);
  // An attempt's row follows its job's compare-and-set: a result that lost it (the lease was
  // reaped and the attempt recorded as interrupted) must not overwrite that record.
  if (jobs.affectedRows !== plan.rows) return { jobs: jobs.affectedRows, attempts: 0 };
  const [attempts] = await conn.query<ResultSetHeader>(plan.attempts.sql, plan.attempts.values);
  return { jobs: jobs.affectedRows, attempts: attempts.affectedRows };
}

/**
 * The same writes for a group that applies whole or not at all, as its own transaction in two
 * round trips: the start, the logs, the jobs and the attempt rows in the first; the commit in
 * the second, once the counts say every result applied. Otherwise it is rolled back (the attempt
 * rows written in the same round trip as their jobs go with it) and the answer is false: the
 * caller then writes its results one by one, each with its own answer.
 */
export async function writeWholeGroup(pool: Pool, group: readonly FinishWrite[]): Promise<boolean> {
  const plan = finishStatements(group);
  const statements = plan.logs ? [plan.logs, plan.jobs, plan.attempts] : [plan.jobs, plan.attempts];
  return inPipelinedTransaction(pool, async (tx) => {
    const results = (await tx.send(statements)) as ResultSetHeader[];
    const [jobs, attempts] = results.slice(-2) as [ResultSetHeader, ResultSetHeader];
    if (jobs.affectedRows !== plan.rows || attempts.affectedRows !== plan.rows) throw new PartlyApplied();
    await tx.commit();
    return true;
  }).catch((err: unknown) => {
    if (err instanceof PartlyApplied) return false;
    throw err;
  });
}

/** Rolls a group back from inside its transaction: not every result in it applied. */
class PartlyApplied extends Error {}

/** The statements of a group's finish: its last log chunks, its jobs, its attempt rows. Rows go in id order. */
function finishStatements(group: readonly FinishWrite[]): {
  rows: number;
  logs: Statement | null;
  jobs: Statement;
  attempts: Statement;
} {
  const rows = [...group].sort((x, y) => compareIds(x.id, y.id));
  const logs = rows.flatMap((w) => w.logs ?? []);
  const errors = rows.map((w) => fitColumn(w.result.error, COLUMN_LIMITS.error));
  const ids = rows.map((w) => w.id);
  const list = placeholders(rows.length);
  const jobSet = setPerRow('id', rows, (w, i) => jobColumns(w, errors[i]!));
  const dueAt = perRow('id', rows, (w) => w.plan.dueAt);
  const jobToken = perRow('id', rows, (w) => w.token);
  const attemptSet = setPerRow('job_id', rows, (w, i) => attemptColumns(w, errors[i]!));
  const attemptNo = perRow('job_id', rows, (w) => w.attempt);
  const attemptToken = perRow('job_id', rows, (w) => w.token);
  return {
    rows: rows.length,
    logs: logs.length > 0 ? logChunksInsert(logs) : null,
    jobs: {
      sql: `UPDATE jobs SET ${jobSet.sql}, due_at = COALESCE(${dueAt.sql}, due_at), lease_until = NULL, claim_token = NULL
     WHERE id IN (${list}) AND status = 'running' AND claim_token = ${jobToken.sql}`,
      values: [...jobSet.values, ...dueAt.values, ...ids, ...jobToken.values],
    },
    attempts: {
      sql: `UPDATE attempts SET ${attemptSet.sql}
     WHERE job_id IN (${list}) AND attempt = ${attemptNo.sql} AND claim_token = ${attemptToken.sql}`,
      values: [...attemptSet.values, ...ids, ...attemptNo.values, ...attemptToken.values],
    },
  };
}

/**
 * Writes one attempt's result and the job's next state, in one transaction. Returns false when
 * the result is stale (its lease was taken over). Its last log chunks are kept in any case
 * (INSERT IGNORE makes a rerun, a deadlock retry or a journal replay, harmless). A job whose
 * attempt row went missing still gets its result, so that no job can stay 'running'.
 */
export async function finishAttempt(db: Pool, args: FinishWrite): Promise<boolean> {
  // The log first and on its own: a result MySQL refuses still leaves the log of what happened.
  if (args.logs?.length) await withDeadlockRetry(() => insertLogChunks(db, args.logs!));
  const result = { ...args, logs: [] };
  return inTransaction(db, async (conn) => (await writeFinishes(conn, [result])).jobs === 1);
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

/**
 * Running jobs are found through the ('running') range of (status, id): they are at most every
 * node's concurrency, whatever the history (migration 6 dropped the lease and node-status
 * indexes). Named, so that a node with a long history is never read through (node_id, id).
 */
const RUNNING_INDEX = 'FORCE INDEX (idx_jobs_status_id)';

const RUNNING_REF_SQL = `SELECT j.id, j.attempt, j.max_attempts, j.claim_token, j.node_id, j.task_id, j.pinned_node_id,
  COALESCE(t.retry_delay_ms, 0) AS retry_delay_ms FROM jobs j ${RUNNING_INDEX} LEFT JOIN tasks t ON t.id = j.task_id`;

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
    `SELECT id FROM jobs ${RUNNING_INDEX} WHERE node_id=? AND status='running' AND cancel_requested=1`,
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
