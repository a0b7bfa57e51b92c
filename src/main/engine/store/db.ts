import mysql from 'mysql2/promise';
import type { Pool, PoolConnection, SslOptions } from 'mysql2/promise';
import { tlsOptionsOf } from '../connection-tls';

/**
 * MySQL connection handling. Every session runs in UTC so DATETIME columns and NOW(3) agree on
 * every node, whatever the server's or the machine's zone. BIGINT ids come back as strings, as
 * they travel in the API.
 */
export interface DbTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** TLS to the server (the URL's `tls=1` and its options), or none. */
  ssl?: SslOptions;
}

export function parseMysqlUrl(url: string): DbTarget {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'tickr';
  if (!/^[A-Za-z0-9_$]+$/.test(database)) {
    throw new Error(`mysqlUrl: database name '${database}' may only use letters, digits, _ and $`);
  }
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    database,
    ssl: tlsOptionsOf('mysql', url) as SslOptions | undefined,
  };
}

const baseOptions = {
  timezone: 'Z',
  dateStrings: false,
  supportBigNumbers: true,
  bigNumberStrings: true,
  charset: 'utf8mb4',
  connectTimeout: 5_000,
} as const;

/** Creates the database if it is missing. Safe to race: CREATE … IF NOT EXISTS is atomic. */
export async function ensureDatabase(target: DbTarget): Promise<void> {
  const conn = await mysql.createConnection({
    ...baseOptions,
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    ssl: target.ssl,
  });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${target.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await conn.end();
  }
}

/**
 * A pool on `target`. `multipleStatements` lets a query carry several statements; only the pool
 * of the pipelined transactions (inPipelinedTransaction) has it, so that no other statement of the
 * engine could ever run more than it says, whatever its values.
 */
export function createPool(target: DbTarget, connectionLimit = 10, { multipleStatements = false } = {}): Pool {
  const pool = mysql.createPool({
    ...baseOptions,
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    ssl: target.ssl,
    connectionLimit,
    waitForConnections: true,
    queueLimit: 0,
    enableKeepAlive: true,
    multipleStatements,
    // mysql2 captures a stack trace for every statement by default, to point errors at the
    // caller: about 8% of the engine's CPU per job in the throughput profile. Errors still carry
    // the server's code and message, which is what every handler here branches on and logs.
    trace: false,
  });
  // A pooled connection is only ever used after this runs, so every query sees UTC.
  pool.pool.on('connection', (conn) => {
    conn.query("SET time_zone = '+00:00'");
  });
  return pool;
}

/**
 * Opens `n` of the pool's connections ahead of use (mysql2 opens them on demand, and the pool
 * keeps them): otherwise the job that needs one connection more than the pool has waits for a
 * TCP connect, the handshake and the session's time zone. With 1,000 jobs due over 5 s on a
 * fresh node (concurrency 8), lateness p99 measured 5–28 ms and max 9–39 ms without, as the pool
 * grew from 2 connections to 4–6 during the run, and p99 4–6 ms, max 7–9 ms with. Errors are left
 * to the statements that follow: this only saves them the wait.
 */
export async function openConnections(pool: Pool, n: number): Promise<void> {
  const opened = await Promise.allSettled(Array.from({ length: n }, () => pool.getConnection()));
  for (const c of opened) if (c.status === 'fulfilled') c.value.release();
}

/** `?, ?, …` for an IN list or a multi-row VALUES: a prepared statement per length, which mysql2 caches. */
export function placeholders(n: number, one = '?'): string {
  return Array.from({ length: n }, () => one).join(', ');
}

const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
const MAX_TRIES = 5;
let retried = 0;

/** How many statements this process ran again as deadlock victims (or lock wait timeouts): the bench reports it. */
export function deadlockRetries(): number {
  return retried;
}

/**
 * Runs `fn` again when InnoDB picked it as a deadlock victim (or a lock wait timed out), as nodes
 * touching the same rows at once can make it: transient by definition, so it is retried a few
 * times with a short random pause. `fn` must be safe to run again.
 */
export async function withDeadlockRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || attempt >= MAX_TRIES) throw err;
      retried += 1;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}

/** Runs `fn` in a transaction on one connection, committing on success and rolling back on error. */
export function inTransaction<T>(pool: Pool, fn: (conn: PoolConnection) => Promise<T>): Promise<T> {
  return withDeadlockRetry(() => transactionOnce(pool, fn));
}

function transactionOnce<T>(pool: Pool, fn: (conn: PoolConnection) => Promise<T>): Promise<T> {
  return onConnection(pool, async (conn) => {
    await conn.beginTransaction();
    const result = await fn(conn);
    await conn.commit();
    return result;
  });
}

/** Runs `body` on a connection of `pool`, rolled back if it throws and released in any case. */
async function onConnection<T>(pool: Pool, body: (conn: PoolConnection) => Promise<T>): Promise<T> {
  const conn = await pool.getConnection();
  try {
    return await body(conn);
  } catch (err) {
    try {
      await conn.rollback();
    } catch {
      // The connection may be gone; the original error is the one worth reporting.
    }
    throw err;
  } finally {
    conn.release();
  }
}

/** One statement and its values, to be sent with others in one round trip. */
export interface Statement {
  sql: string;
  values: SqlParam[];
}

/** A value a statement's placeholder takes. */
export type SqlParam = string | number | Date | null;

/**
 * A transaction sent in as few round trips as its statements' dependencies allow: the first
 * `send` starts it in the same round trip, `commit` ends it in the same round trip as its last
 * statements. Each round trip on a loaded node costs a socket write and a wake-up on both sides
 * (a quarter of the engine's CPU per HTTP job went to socket writes in the throughput profile).
 */
export interface Pipeline {
  /** Runs these statements in one round trip; one result per statement, in order. */
  send(statements: readonly Statement[]): Promise<unknown[]>;
  /** Runs these statements and COMMIT in one round trip; one result per statement, in order. */
  commit(statements?: readonly Statement[]): Promise<unknown[]>;
}

/**
 * Runs `fn` as one pipelined transaction on a connection of `pool`, which must allow several
 * statements per query (createPool's `multipleStatements`: the engine's `pipelinePool`). Rolled
 * back on any error (a statement that fails stops the rest of its round trip), retried as a
 * deadlock victim like inTransaction, committed at the end if `fn` did not commit itself. `fn`
 * must be safe to run again. Statements are joined by `;` and a newline, and their `?`
 * placeholders filled in order, so no statement's text may hold a `?` or `;` of its own.
 */
export function inPipelinedTransaction<T>(pool: Pool, fn: (tx: Pipeline) => Promise<T>): Promise<T> {
  return withDeadlockRetry(() =>
    onConnection(pool, async (conn) => {
      let started = false;
      let ended = false;
      const roundTrip = async (statements: readonly Statement[], end: boolean): Promise<unknown[]> => {
        if (ended) throw new Error('pipelined transaction: a statement after the commit');
        // Nothing to send: no statements, and no started transaction to commit.
        if (statements.length === 0 && !(started && end)) {
          ended = end;
          return [];
        }
        const begins = !started;
        const all: Statement[] = [...statements];
        if (begins) all.unshift({ sql: 'START TRANSACTION', values: [] });
        if (end) all.push({ sql: 'COMMIT', values: [] });
        started = true;
        ended = end;
        const [res] = await conn.query(
          all.map((s) => s.sql).join(';\n'),
          all.flatMap((s) => s.values),
        );
        // A query of one statement answers with its result; of several, with a list of them.
        const results = all.length === 1 ? [res] : (res as unknown[]);
        return results.slice(begins ? 1 : 0, end ? -1 : undefined);
      };
      const result = await fn({ send: (s) => roundTrip(s, false), commit: (s = []) => roundTrip(s, true) });
      if (!ended) await roundTrip([], true);
      return result;
    }),
  );
}
