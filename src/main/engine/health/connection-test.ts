import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import { splitPassword, urlToFields, type ServiceName } from '../../../shared/connection-fields';
import type { ConnectionProblemCode, ConnectionTestResult } from '../../../shared/types';
import { redactUrl } from '../config';
import { tlsOptionsOf, withoutTlsParams } from '../connection-tls';
import { parseMysqlUrl } from '../store/db';
import { parseInfo } from './server-info';
import { mysqlKind, tooOld } from './version-check';

/**
 * "Test connection": one try at a Redis or MySQL URL that says what failed in terms the user
 * can act on (the name, the port, TLS, the password, the rights, the version), separately from
 * the engine's own connections, which it never touches. Nothing it returns holds the password:
 * drivers do not echo one, and every message is scrubbed of it anyway.
 */

export class ConnectionProblem extends Error {
  constructor(
    readonly code: ConnectionProblemCode,
    message: string,
  ) {
    super(message);
  }
}

const TLS_UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const UNTRUSTED_TEXT =
  /self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate|certificate has expired|certificate is not yet valid|Hostname\/IP does not match/i;

/** A driver's or socket's error as one of the codes, with a sentence for the user. */
export function classify(err: unknown, where: string, tls: boolean): ConnectionProblem {
  if (err instanceof ConnectionProblem) return err;
  const e = err as { code?: string; errno?: number; message?: string };
  const code = e.code ?? '';
  const text = e.message ?? String(err);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME')
    return new ConnectionProblem('NAME_NOT_RESOLVED', `the name ${where} did not resolve (${code})`);
  if (code === 'ECONNREFUSED')
    return new ConnectionProblem('REFUSED', `the connection to ${where} was refused: nothing listens on that port`);
  if (code === 'ETIMEDOUT' || /timed? ?out/i.test(text))
    return new ConnectionProblem('TIMEOUT', `${where} did not answer in time (a firewall, or the wrong address?)`);
  // mysql2 passes the TLS verdict on as a message alone, without the OpenSSL code.
  if (TLS_UNTRUSTED.has(code) || UNTRUSTED_TEXT.test(text))
    return new ConnectionProblem(
      'TLS_UNTRUSTED',
      `the server's TLS certificate is not trusted (${code}): give its CA file, or check the host name`,
    );
  if (
    code === 'HANDSHAKE_NO_SSL_SUPPORT' ||
    code.startsWith('ERR_SSL') ||
    code === 'EPROTO' ||
    /ssl|tls|handshake|wrong version number/i.test(text) ||
    (tls && (code === 'ECONNRESET' || /connection is closed|socket hang up/i.test(text)))
  )
    return new ConnectionProblem(
      'TLS_HANDSHAKE',
      `the TLS handshake with ${where} failed (${code || text}): does the server speak TLS on this port?`,
    );
  if (
    code === 'ER_ACCESS_DENIED_ERROR' ||
    code === 'ER_NOT_SUPPORTED_AUTH_MODE' ||
    /WRONGPASS|NOAUTH|invalid (username-password|password)|AUTH.*without any password/i.test(text)
  )
    return new ConnectionProblem('AUTH_FAILED', `authentication failed: ${text}`);
  if (code === 'ER_DBACCESS_DENIED_ERROR' || code === 'ER_TABLEACCESS_DENIED_ERROR' || /NOPERM/.test(text))
    return new ConnectionProblem('MISSING_RIGHTS', `the user lacks a right Tickr needs: ${text}`);
  return new ConnectionProblem('FAILED', `${where}: ${text}`);
}

function scrub(text: string, password: string): string {
  return password === '' ? text : text.split(password).join('***');
}

async function resolveName(host: string): Promise<void> {
  try {
    await lookup(host);
  } catch (err) {
    throw classify(err, host, false);
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, where: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConnectionProblem('TIMEOUT', `${where} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A bare TCP connection first, so that a refusal or a silent port is told apart from what the
 * driver does next: once TCP is through, a TLS connection that then stalls is a handshake the
 * server does not answer (a plain server reads a ClientHello as a command and waits for more).
 */
async function probeTcp(host: string, port: number, timeoutMs: number): Promise<void> {
  const where = `${host}:${port}`;
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new ConnectionProblem(
          'TIMEOUT',
          `${where} did not answer within ${timeoutMs} ms (a firewall, or the wrong address?)`,
        ),
      );
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(classify(err, where, false));
    });
  });
}

/** A TLS connection that timed out after TCP went through did not complete its handshake. */
function tlsStall(err: unknown, where: string, tls: boolean): ConnectionProblem {
  const problem = classify(err, where, tls);
  if (tls && problem.code === 'TIMEOUT')
    return new ConnectionProblem(
      'TLS_HANDSHAKE',
      `the TLS handshake with ${where} did not complete: does the server speak TLS on this port?`,
    );
  return problem;
}

interface Found {
  serverVersion: string | null;
  warnings: string[];
}

/**
 * Redis's eviction policy against Tickr's keys: the queues carry no TTL, so `noeviction` and the
 * `volatile-*` policies never evict them (only Tickr's short locks have a TTL, and a lost lock is
 * taken again); `allkeys-*` may drop a queue under memory pressure. Redis then looks like it lost
 * its state and the queues are rebuilt from MySQL: safe, but a stall, so it is worth a warning.
 */
export function evictionWarning(policy: string | null): string | null {
  if (policy === null) return 'could not read maxmemory-policy (CONFIG is not allowed): make sure it is noeviction';
  if (policy === 'noeviction' || policy.startsWith('volatile-')) return null;
  return `maxmemory-policy is ${policy}: Redis may evict Tickr's queue keys when memory is full; set it to noeviction`;
}

async function testRedis(url: string, timeoutMs: number): Promise<Found> {
  const f = urlToFields('redis', url);
  await resolveName(f.host);
  const where = `${f.host}:${f.port}`;
  const tls = tlsOptionsOf('redis', url);
  await probeTcp(f.host, f.port, timeoutMs);
  const redis = new Redis(withoutTlsParams(url), {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    // The ready check's INFO would hide an auth error behind a generic one; ours comes next.
    enableReadyCheck: false,
    ...(tls ? { tls } : {}),
  });
  let lastError: unknown = null;
  redis.on('error', (err) => {
    lastError = err;
  });
  try {
    try {
      await withTimeout(redis.connect(), timeoutMs + 500, where);
      const info = await withTimeout(redis.info('server'), timeoutMs, where);
      const version = parseInfo(info).get('redis_version') ?? null;
      const old = version === null ? null : tooOld('redis', version);
      if (old !== null) throw new ConnectionProblem('TOO_OLD', old);
      const warnings: string[] = [];
      const policy = await redis
        .config('GET', 'maxmemory-policy')
        .then((r) => (r as string[])[1] ?? null)
        .catch(() => null);
      const warning = evictionWarning(policy);
      if (warning !== null) warnings.push(warning);
      return { serverVersion: version, warnings };
    } catch (err) {
      // ioredis reports the socket's own error (the refusal, the TLS alert) on 'error' and
      // rejects connect() with a generic "Connection is closed": the first is the one to explain.
      const cause = err instanceof ConnectionProblem || lastError === null ? err : lastError;
      throw tlsStall(cause, where, tls !== undefined);
    }
  } finally {
    redis.disconnect();
  }
}

/**
 * Whether the user may do what migrations do: a trial in a scratch table (create, alter, index,
 * write, read, drop), so that the answer is the server's own rather than a reading of SHOW GRANTS
 * (roles, wildcards and partial revokes make that reading unreliable).
 */
async function checkRights(conn: mysql.Connection, database: string): Promise<string[]> {
  const warnings: string[] = [];
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    'SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
    [database],
  );
  const step = async (right: string, sql: string): Promise<void> => {
    try {
      await conn.query(sql);
    } catch (err) {
      const e = err as { code?: string; message?: string };
      if (e.code?.includes('DENIED') || /denied/i.test(e.message ?? ''))
        throw new ConnectionProblem(
          'MISSING_RIGHTS',
          `the user lacks the ${right} right Tickr needs on ${database}: ${e.message ?? e.code ?? ''}`,
        );
      throw err;
    }
  };
  if (rows.length === 0) {
    await step('CREATE', `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    warnings.push(`database ${database} did not exist: it was created`);
  }
  const table = `\`${database}\`.\`tickr_rights_check_${randomBytes(4).toString('hex')}\``;
  await step('CREATE', `CREATE TABLE ${table} (id INT PRIMARY KEY)`);
  try {
    await step('ALTER', `ALTER TABLE ${table} ADD COLUMN v INT NULL`);
    await step('INDEX', `CREATE INDEX ix_v ON ${table} (v)`);
    await step('INSERT', `INSERT INTO ${table} (id, v) VALUES (1, 1)`);
    await step('UPDATE', `UPDATE ${table} SET v = 2 WHERE id = 1`);
    await step('SELECT', `SELECT v FROM ${table} WHERE id = 1`);
    await step('DELETE', `DELETE FROM ${table} WHERE id = 1`);
  } finally {
    await step('DROP', `DROP TABLE ${table}`);
  }
  return warnings;
}

async function testMysql(url: string, timeoutMs: number): Promise<Found> {
  let target: ReturnType<typeof parseMysqlUrl>;
  try {
    target = parseMysqlUrl(url);
  } catch (err) {
    throw new ConnectionProblem('BAD_SETTING', (err as Error).message);
  }
  await resolveName(target.host);
  const where = `${target.host}:${target.port}`;
  await probeTcp(target.host, target.port, timeoutMs);
  let conn: mysql.Connection;
  try {
    conn = await withTimeout(
      mysql.createConnection({
        host: target.host,
        port: target.port,
        user: target.user,
        password: target.password,
        ssl: target.ssl,
        connectTimeout: timeoutMs,
      }),
      timeoutMs + 500,
      where,
    );
  } catch (err) {
    throw tlsStall(err, where, target.ssl !== undefined);
  }
  conn.on('error', () => undefined);
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
    const version = String(rows[0]?.['v'] ?? '');
    const old = tooOld(mysqlKind(version), version);
    if (old !== null) throw new ConnectionProblem('TOO_OLD', old);
    const warnings = await checkRights(conn, target.database);
    return { serverVersion: version, warnings };
  } catch (err) {
    throw classify(err, where, false);
  } finally {
    await conn.end().catch(() => undefined);
  }
}

export interface ConnectionTestInput {
  service: ServiceName;
  /** The URL to try, its password included. */
  url: string;
  timeoutMs?: number;
}

export async function testConnection({
  service,
  url,
  timeoutMs = 5_000,
}: ConnectionTestInput): Promise<ConnectionTestResult> {
  const started = Date.now();
  const { password } = splitPassword(url);
  const base = { service, target: redactUrl(url) };
  try {
    const found = service === 'redis' ? await testRedis(url, timeoutMs) : await testMysql(url, timeoutMs);
    return {
      ...base,
      ok: true,
      problem: null,
      ...found,
      warnings: found.warnings.map((w) => scrub(w, password)),
      tookMs: Date.now() - started,
    };
  } catch (err) {
    const problem =
      err instanceof ConnectionProblem
        ? err
        : /^tls-/.test((err as Error).message)
          ? new ConnectionProblem('BAD_SETTING', (err as Error).message)
          : classify(err, service, false);
    return {
      ...base,
      ok: false,
      problem: { code: problem.code, message: scrub(problem.message, password) },
      serverVersion: null,
      warnings: [],
      tookMs: Date.now() - started,
    };
  }
}
