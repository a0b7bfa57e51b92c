import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RowDataPacket } from 'mysql2';
import mysql from 'mysql2/promise';
import { MYSQL_ROOT_URL } from './common';

/**
 * `npm run bench -- --quick` (scripts/bench.mjs sets TICKR_BENCH_QUICK=1): the same measurements
 * with fewer jobs, so the whole JSON line comes out in under a minute. Ratios from it are noisier.
 */
export const QUICK = process.env.TICKR_BENCH_QUICK === '1';

/** A size for the full run and a smaller one for --quick. */
export function sized<T>(full: T, quick: T): T {
  return QUICK ? quick : full;
}

/**
 * Adds `figures` to this run's section `section` (one JSON file per section in the directory
 * TICKR_BENCH_FIGURES), which scripts/bench.mjs merges into the one `BENCH_JSON` line at the end.
 * Without the variable (vitest run by hand) the tables alone are printed.
 */
export function recordFigures(section: string, figures: Record<string, unknown>): void {
  const dir = process.env.TICKR_BENCH_FIGURES;
  if (!dir) return;
  const file = path.join(dir, `${section}.json`);
  const before = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(file, JSON.stringify({ ...before, ...figures }));
}

/** Rounds for the JSON line: rates to whole jobs, small figures to 3 significant digits. */
export function round(x: number | null): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  if (Math.abs(x) >= 100) return Math.round(x);
  return Number(x.toPrecision(3));
}

/**
 * The server's deadlock counter (MariaDB's Innodb_deadlocks, MySQL's lock_deadlocks metric), or
 * null when neither is readable. It is server-wide: on a shared server, other users' deadlocks
 * count too, so a bench reports the difference over its own run and says it is server-wide.
 */
export async function serverDeadlocks(): Promise<number | null> {
  const conn = await mysql.createConnection(MYSQL_ROOT_URL);
  try {
    const [status] = await conn.query<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'");
    if (status[0]) return Number(status[0].Value);
    const [metric] = await conn.query<RowDataPacket[]>(
      "SELECT COUNT AS n FROM information_schema.INNODB_METRICS WHERE NAME = 'lock_deadlocks'",
    );
    return metric[0] ? Number(metric[0].n) : null;
  } catch {
    return null;
  } finally {
    await conn.end();
  }
}

/** A global variable of the MySQL server (e.g. innodb_buffer_pool_size), as text. */
export async function serverVariable(name: string): Promise<string | null> {
  const conn = await mysql.createConnection(MYSQL_ROOT_URL);
  try {
    const [rows] = await conn.query<RowDataPacket[]>('SHOW GLOBAL VARIABLES LIKE ?', [name]);
    return rows[0] ? String(rows[0].Value) : null;
  } finally {
    await conn.end();
  }
}

/** Percentiles by nearest rank, for lateness and latency tables. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
