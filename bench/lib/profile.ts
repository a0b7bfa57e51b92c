import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Pool } from 'mysql2/promise';
import { fmt, printTable, processCpuMs, spawnerCpuMs } from './common';

type AsyncMethod = (...args: unknown[]) => Promise<unknown>;

export interface StatementProfile {
  /** Per query shape: round trips (`count`), the statements they carried, and the time waited. */
  stats: Map<string, { count: number; statements: number; commits: number; ms: number }>;
  /** Statements that failed, by error code (ER_LOCK_DEADLOCK: a deadlock victim, then retried). */
  errors: Map<string, number>;
  cpu: () => { nodeMs: number; mysqldMs: number | null; redisMs: number | null };
  stop(): void;
}

/** CPU time (ms) of a local server process, from /proc; null when it is not on this machine. */
function serverCpuMs(name: string): () => number | null {
  let pid: string | undefined;
  try {
    pid = execFileSync('pidof', ['-s', name], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    pid = undefined;
  }
  return () => (pid ? processCpuMs(pid) : null);
}

/** The CPU-time reader of the local MariaDB (mariadbd), else MySQL (mysqld); it reads null when neither runs here. */
export function mysqldCpuMs(): () => number | null {
  const mariadb = serverCpuMs('mariadbd');
  return mariadb() !== null ? mariadb : serverCpuMs('mysqld');
}

function sqlOf(arg: unknown): string {
  return typeof arg === 'string' ? arg : ((arg as { sql?: string })?.sql ?? '?');
}

/** Normalises a query to its shape, so that each kind of query is one row. */
function shape(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().slice(0, 100);
}

/**
 * The statements of one query: a pipelined transaction (store/db.ts) sends several, joined by
 * `;` and a newline, in one round trip. No statement of the engine has that inside a string.
 */
function statementsOf(sql: string): string[] {
  return sql.split(/;\n/);
}

/**
 * Counts and times every query the engine sends through its pools (the engine's and the
 * pipelined transactions', and the connections its transactions take from them), by wrapping
 * the pools' methods from the outside; the engine is unchanged. A query is a round trip; one of a
 * pipelined transaction carries several statements, counted each. Also samples CPU time of this
 * process, mariadbd/mysqld and redis-server.
 */
export function profileStatements(pools: readonly Pool[]): StatementProfile {
  const stats: StatementProfile['stats'] = new Map();
  const errors = new Map<string, number>();
  let active = true;
  const record = (sql: string, ms: number): void => {
    if (!active) return;
    const key = shape(sql);
    const s = stats.get(key) ?? { count: 0, statements: 0, commits: 0, ms: 0 };
    const statements = statementsOf(sql);
    s.count += 1;
    s.statements += statements.length;
    s.commits += statements.filter((st) => /^\s*commit\b/i.test(st)).length;
    s.ms += ms;
    stats.set(key, s);
  };
  const wrap = (target: object, method: string, key?: string): void => {
    const t = target as Record<string, AsyncMethod>;
    const original = t[method]!.bind(target);
    t[method] = async (...args: unknown[]) => {
      const started = performance.now();
      try {
        return await original(...args);
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'unknown';
        if (active) errors.set(code, (errors.get(code) ?? 0) + 1);
        throw err;
      } finally {
        record(key ?? sqlOf(args[0]), performance.now() - started);
      }
    };
  };
  for (const pool of pools) {
    wrap(pool, 'query');
    wrap(pool, 'execute');
    const getConnection = pool.getConnection.bind(pool);
    // Each call hands out a fresh promise wrapper around a pooled connection: wrap each one.
    (pool as unknown as Record<string, AsyncMethod>).getConnection = async () => {
      const conn = await getConnection();
      wrap(conn, 'query');
      wrap(conn, 'execute');
      wrap(conn, 'beginTransaction', 'BEGIN');
      wrap(conn, 'commit', 'COMMIT');
      wrap(conn, 'rollback', 'ROLLBACK');
      return conn;
    };
  }

  const mysqld = mysqldCpuMs();
  const redis = serverCpuMs('redis-server');
  const start = { node: process.cpuUsage(), spawner: spawnerCpuMs(), mysqld: mysqld(), redis: redis() };
  let end: { node: NodeJS.CpuUsage; spawner: number; mysqld: number | null; redis: number | null } | null = null;
  return {
    stats,
    errors,
    stop() {
      active = false;
      end = { node: process.cpuUsage(start.node), spawner: spawnerCpuMs(), mysqld: mysqld(), redis: redis() };
    },
    cpu() {
      const e = end ?? {
        node: process.cpuUsage(start.node),
        spawner: spawnerCpuMs(),
        mysqld: mysqld(),
        redis: redis(),
      };
      const diff = (a: number | null, b: number | null): number | null => (a !== null && b !== null ? b - a : null);
      return {
        // The engine's process and its job spawner together (see spawnerCpuMs).
        nodeMs: (e.node.user + e.node.system) / 1000 + e.spawner - start.spawner,
        mysqldMs: diff(start.mysqld, e.mysqld),
        redisMs: diff(start.redis, e.redis),
      };
    },
  };
}

/** Prints profiles side by side, one column pair per phase (e.g. create + run, run only). */
export function printProfiles(
  phases: Record<string, { profile: StatementProfile; jobs: number; wallMs: number }>,
): void {
  const names = Object.keys(phases);
  const all = Object.values(phases);
  const totalMs = (p: StatementProfile): number => [...p.stats.values()].reduce((s, v) => s + v.ms, 0);
  const totalCount = (p: StatementProfile): number => [...p.stats.values()].reduce((s, v) => s + v.count, 0);
  const totalStatements = (p: StatementProfile): number => [...p.stats.values()].reduce((s, v) => s + v.statements, 0);
  // Rows in order of the time they take in the last phase (the processing one).
  const last = all[all.length - 1]!.profile;
  const keys = [...new Set(all.flatMap((ph) => [...ph.profile.stats.keys()]))].sort(
    (a, b) => (last.stats.get(b)?.ms ?? 0) - (last.stats.get(a)?.ms ?? 0),
  );
  const cells = (ph: (typeof all)[number], key: string): string[] => {
    const v = ph.profile.stats.get(key);
    return v ? [fmt.n(v.count / ph.jobs, 2), fmt.n(v.ms / v.count, 2)] : ['', ''];
  };
  printTable(
    'Profile: MySQL round trips per Tickr job (shell `true`, concurrency 8)',
    ['query', ...names.flatMap((n) => [`${n}: per job`, 'avg ms'])],
    [
      ...keys.map((k) => [k, ...all.flatMap((ph) => cells(ph, k))]),
      [
        'total round trips',
        ...all.flatMap((ph) => [
          fmt.n(totalCount(ph.profile) / ph.jobs, 2),
          fmt.n(totalMs(ph.profile) / totalCount(ph.profile), 2),
        ]),
      ],
      ['statements in them', ...all.flatMap((ph) => [fmt.n(totalStatements(ph.profile) / ph.jobs, 2), ''])],
    ],
    [
      'A row is a query shape: one round trip. A pipelined transaction sends several statements in one (START TRANSACTION; … and …; COMMIT).',
      'avg ms is the time the engine waited for the round trip, a free pool connection included.',
    ],
  );
  const perJob = (ms: number | null, jobs: number): string =>
    ms === null ? 'n/a (not local)' : `${fmt.n(ms / jobs, 2)} ms`;
  const row = (label: string, f: (ph: (typeof all)[number]) => string): string[] => [label, ...all.map(f)];
  printTable(
    'Profile: where the time goes, per Tickr job',
    ['', ...names],
    [
      row('jobs/s', (ph) => fmt.n(ph.jobs / (ph.wallMs / 1000))),
      row('wall time ÷ jobs', (ph) => `${fmt.n(ph.wallMs / ph.jobs, 2)} ms`),
      row('MySQL waits, summed', (ph) => `${fmt.n(totalMs(ph.profile) / ph.jobs, 2)} ms`),
      row('CPU: this Node process', (ph) => perJob(ph.profile.cpu().nodeMs, ph.jobs)),
      row('CPU: mysqld / mariadbd', (ph) => perJob(ph.profile.cpu().mysqldMs, ph.jobs)),
      row('CPU: redis-server', (ph) => perJob(ph.profile.cpu().redisMs, ph.jobs)),
    ],
    ['Server CPU is the whole server process: other users of the shared servers show up in it.'],
  );
}

/**
 * The figures of one profile for the JSON line. Commits per job shows batching from the outside:
 * one transaction per job today, 1/k when k jobs share a claim or a completion write.
 */
export function profileFigures(p: StatementProfile, jobs: number): Record<string, number> {
  const all = [...p.stats.values()];
  const statements = all.reduce((s, v) => s + v.statements, 0);
  const roundTrips = all.reduce((s, v) => s + v.count, 0);
  // conn.commit() is recorded as COMMIT; a COMMIT sent in a query's text counts the same.
  const commits = all.reduce((s, v) => s + v.commits, 0);
  return {
    statementsPerJob: statements / jobs,
    roundTripsPerJob: roundTrips / jobs,
    commitsPerJob: commits / jobs,
    deadlockVictims: p.errors.get('ER_LOCK_DEADLOCK') ?? 0,
    lockWaitTimeouts: p.errors.get('ER_LOCK_WAIT_TIMEOUT') ?? 0,
  };
}
