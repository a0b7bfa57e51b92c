import type { RowDataPacket } from 'mysql2';
import type {
  DiagnosticExample,
  DiagnosticFinding,
  DiagnosticKind,
  DiagnosticsReport,
  DiagnosticsRepairResult,
} from '../../../shared/types';
import type { PartContext } from '../context';
import { queuedPage } from '../store/jobs';
import type { RedisStateGuard } from './redis-state';
import type { SafetySweep } from './sweep';

/** Ids read per ZRANGE / LRANGE, and job rows per MySQL page. */
const CHUNK = 1_000;
/** The most suspects read a second time; more makes the answer partial. */
export const VERIFY_CAP = 500;
/** Examples each finding names. */
const EXAMPLES = 10;
/** A job changed this recently may be between two steps of a move (the sweep's settling time). */
const SETTLING_MS = 2_000;

const QUEUED = new Set(['waiting', 'ready']);
const HELD = new Set(['waiting', 'ready', 'running']);

export type DiagnosticsContext = PartContext<'pool' | 'redis' | 'queue'>;

/** One Redis structure that holds job ids, and what the report calls it. */
interface Structure {
  key: string;
  label: string;
  type: 'zset' | 'list';
}

interface JobFacts {
  status: string;
  updatedAt: Date;
}

export interface CheckLimits {
  maxIds: number;
  budgetMs: number;
}

type StoppedBy = DiagnosticsReport['stoppedBy'];

const DETAIL: Record<Exclude<DiagnosticKind, 'marker'>, string> = {
  stray: 'ids a Redis queue holds whose job is not waiting, ready or running in MySQL (or has no row)',
  unqueued: 'jobs MySQL holds as waiting or ready that no Redis queue holds',
  duplicate: 'ids Redis holds twice (in two queues, or twice in one list)',
};

async function scanKeys(ctx: DiagnosticsContext, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await ctx.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys.sort();
}

/** Every structure of queue/keys.ts that holds ids: the shared pair, pinned pairs, active lists. */
async function structures(ctx: DiagnosticsContext): Promise<Structure[]> {
  const { keys } = ctx.queue;
  const label = (key: string): string => key.slice(keys.prefix.length);
  const [pinnedWaiting, pinnedReady, active] = await Promise.all([
    scanKeys(ctx, `${keys.prefix}waiting:*`),
    scanKeys(ctx, `${keys.prefix}ready:*`),
    scanKeys(ctx, keys.activePattern),
  ]);
  return [
    { key: keys.waiting, label: 'waiting', type: 'zset' },
    { key: keys.ready, label: 'ready', type: 'list' },
    ...pinnedWaiting.map((key): Structure => ({ key, label: label(key), type: 'zset' })),
    ...pinnedReady.map((key): Structure => ({ key, label: label(key), type: 'list' })),
    ...active.map((key): Structure => ({ key, label: label(key), type: 'list' })),
  ];
}

async function jobFacts(ctx: DiagnosticsContext, ids: readonly string[]): Promise<Map<string, JobFacts>> {
  const facts = new Map<string, JobFacts>();
  // An id that is not a decimal number cannot be a job's: it has no row, and MySQL need not see it.
  const numeric = [...new Set(ids)].filter((id) => /^[1-9][0-9]{0,18}$/.test(id));
  for (let i = 0; i < numeric.length; i += CHUNK) {
    const [rows] = await ctx.pool.query<RowDataPacket[]>('SELECT id, status, updated_at FROM jobs WHERE id IN (?)', [
      numeric.slice(i, i + CHUNK),
    ]);
    for (const r of rows) facts.set(String(r.id), { status: String(r.status), updatedAt: r.updated_at as Date });
  }
  return facts;
}

/** Where Redis holds each id now, read in one pipeline (ZSCORE per set, LPOS … COUNT 0 per list). */
async function whereHeld(
  ctx: DiagnosticsContext,
  all: readonly Structure[],
  ids: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (ids.length === 0) return out;
  const pipe = ctx.redis.pipeline();
  for (const id of ids) {
    for (const s of all) {
      if (s.type === 'zset') pipe.zscore(s.key, id);
      else pipe.lpos(s.key, id, 'COUNT', 0);
    }
  }
  const res = (await pipe.exec()) ?? [];
  let at = 0;
  for (const id of ids) {
    const where: string[] = [];
    for (const s of all) {
      const [err, value] = res[at++] ?? [new Error('redis pipeline failed'), null];
      if (err) throw err;
      if (s.type === 'zset' && value !== null) where.push(s.label);
      if (s.type === 'list') for (const _ of value as number[]) where.push(s.label);
    }
    out.set(id, where);
  }
  return out;
}

/** What the first pass read: ids by where Redis held them, due jobs MySQL holds, and counts. */
interface FirstPass {
  held: Map<string, string[]>;
  /** The MySQL status of each id read (no entry: no row). */
  statuses: Map<string, string>;
  redisExamined: number;
  redisTotal: number;
  mysqlExamined: number;
  unqueuedSuspects: string[];
  stoppedBy: StoppedBy;
}

async function readRedis(
  ctx: DiagnosticsContext,
  all: readonly Structure[],
  limits: CheckLimits,
  deadline: number,
): Promise<Pick<FirstPass, 'held' | 'statuses' | 'redisExamined' | 'redisTotal' | 'stoppedBy'>> {
  const counts = ctx.redis.pipeline();
  for (const s of all) {
    if (s.type === 'zset') counts.zcard(s.key);
    else counts.llen(s.key);
  }
  const lengths = ((await counts.exec()) ?? []).map(([, n]) => Number(n));
  const redisTotal = lengths.reduce((sum, n) => sum + n, 0);
  const held = new Map<string, string[]>();
  const statuses = new Map<string, string>();
  let examined = 0;
  let stoppedBy: StoppedBy = null;
  outer: for (const [i, s] of all.entries()) {
    const length = lengths[i] ?? 0;
    for (let start = 0; start < length; start += CHUNK) {
      if (examined >= limits.maxIds) stoppedBy = 'id cap';
      else if (Date.now() > deadline) stoppedBy = 'time budget';
      if (stoppedBy) break outer;
      const stop = start + Math.min(CHUNK, limits.maxIds - examined) - 1;
      const ids =
        s.type === 'zset' ? await ctx.redis.zrange(s.key, start, stop) : await ctx.redis.lrange(s.key, start, stop);
      if (ids.length === 0) break;
      // Each chunk's rows are read with it, so the deadline bounds the MySQL side of this pass too.
      for (const [id, f] of await jobFacts(ctx, ids)) statuses.set(id, f.status);
      for (const id of ids) {
        const where = held.get(id) ?? [];
        // A set holds an id once: reading it again is the range shifting under a concurrent ZADD.
        if (s.type === 'list' || !where.includes(s.label)) where.push(s.label);
        held.set(id, where);
      }
      examined += ids.length;
    }
  }
  return { held, statuses, redisExamined: examined, redisTotal, stoppedBy };
}

async function readMysql(
  ctx: DiagnosticsContext,
  held: ReadonlyMap<string, string[]>,
  limits: CheckLimits,
  deadline: number,
): Promise<Pick<FirstPass, 'mysqlExamined' | 'unqueuedSuspects' | 'stoppedBy'>> {
  const suspects: string[] = [];
  let examined = 0;
  let stoppedBy: StoppedBy = null;
  outer: for (const status of ['waiting', 'ready'] as const) {
    let after = '0';
    for (;;) {
      if (examined >= limits.maxIds) stoppedBy = 'id cap';
      else if (Date.now() > deadline) stoppedBy = 'time budget';
      if (stoppedBy) break outer;
      // The rebuild's own query (store/jobs.ts queuedPage): waiting, then ready, in id order.
      const page = await queuedPage(ctx.pool, status, after, Math.min(CHUNK, limits.maxIds - examined));
      if (page.lastId === null) break;
      examined += page.entries.length + page.unreadable.length;
      for (const e of page.entries) if (!held.has(e.id)) suspects.push(e.id);
      after = page.lastId;
    }
  }
  return { mysqlExamined: examined, unqueuedSuspects: suspects, stoppedBy };
}

async function countDue(ctx: DiagnosticsContext): Promise<number> {
  const [rows] = await ctx.pool.query<RowDataPacket[]>(
    "SELECT COUNT(*) AS n FROM jobs WHERE status IN ('waiting','ready')",
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * diagnostics.check: is Redis telling the truth? Compares every queue in Redis with MySQL and
 * reports ids held for jobs that are not waiting, ready or running; due jobs no queue holds; ids
 * held twice; and the generation marker and run_id against MySQL's.
 *
 * Bounded: ids are read in chunks of 1,000 (ZRANGE / LRANGE by index, MySQL keyset pages by id),
 * stopping at `maxIds` on each side or at `budgetMs` (Redis's side may take half of it, MySQL's
 * the rest), whichever comes first; the report then says
 * "examined N of M" and `partial`. The chunks are not one snapshot (jobs move meanwhile), so every
 * suspect is read a second time — where Redis holds it now (one pipeline) and its row now — and
 * counts only if still wrong and its row settled; at most VERIFY_CAP suspects are read again.
 */
export async function checkRedisAgainstMysql(
  ctx: DiagnosticsContext,
  guard: Pick<RedisStateGuard, 'inspect'>,
  limits: CheckLimits,
): Promise<DiagnosticsReport> {
  const startedAt = Date.now();
  const started = performance.now();
  const deadline = startedAt + limits.budgetMs;
  const markers = await guard.inspect();
  const all = await structures(ctx);
  // Redis gets half the budget at most, so that a long queue never leaves MySQL's side unread.
  const redis = await readRedis(ctx, all, limits, startedAt + limits.budgetMs / 2);
  const mysql = await readMysql(ctx, redis.held, limits, deadline);
  const mysqlTotal = await countDue(ctx);

  // First-pass suspects: held twice, held but not due or running, due but not held.
  const suspects = new Set<string>(mysql.unqueuedSuspects);
  for (const [id, where] of redis.held) {
    const status = redis.statuses.get(id);
    if (where.length > 1 || status === undefined || !HELD.has(status)) suspects.add(id);
  }
  let stoppedBy: StoppedBy = redis.stoppedBy ?? mysql.stoppedBy;
  const toVerify = [...suspects].slice(0, VERIFY_CAP);
  if (suspects.size > VERIFY_CAP) stoppedBy ??= 'verify cap';

  // Second read of each suspect: where Redis holds it now, and its row now.
  const nowHeld = await whereHeld(ctx, all, toVerify);
  const nowFacts = await jobFacts(ctx, toVerify);
  const settledBefore = Date.now() - SETTLING_MS;
  const confirmed: Record<DiagnosticKind, DiagnosticExample[]> = { stray: [], unqueued: [], duplicate: [], marker: [] };
  for (const id of toVerify) {
    const where = nowHeld.get(id) ?? [];
    const facts = nowFacts.get(id);
    const settled = facts === undefined || facts.updatedAt.getTime() <= settledBefore;
    const example: DiagnosticExample = { id, where, status: facts?.status ?? null };
    if (!settled) continue;
    if (where.length > 1) confirmed.duplicate.push(example);
    if (where.length > 0 && (facts === undefined || !HELD.has(facts.status))) confirmed.stray.push(example);
    if (where.length === 0 && facts !== undefined && QUEUED.has(facts.status)) confirmed.unqueued.push(example);
  }

  const finding = (kind: Exclude<DiagnosticKind, 'marker'>, items: DiagnosticExample[]): DiagnosticFinding => ({
    kind,
    count: items.length,
    examples: items.slice(0, EXAMPLES),
    detail: DETAIL[kind],
  });
  const markerFinding: DiagnosticFinding = {
    kind: 'marker',
    count: markers.mismatch === null ? 0 : 1,
    examples: [],
    detail:
      markers.mismatch ??
      `generation ${markers.redisGeneration ?? '?'} and run_id ${(markers.runId ?? '?').slice(0, 12)} match MySQL's`,
  };
  const findings = [
    finding('stray', confirmed.stray),
    finding('unqueued', confirmed.unqueued),
    finding('duplicate', confirmed.duplicate),
    markerFinding,
  ];
  return {
    at: new Date(startedAt).toISOString(),
    tookMs: Math.round(performance.now() - started),
    clean: findings.every((f) => f.count === 0),
    partial: stoppedBy !== null,
    stoppedBy,
    limits,
    redis: { examined: redis.redisExamined, total: redis.redisTotal, structures: all.length },
    mysql: { examined: mysql.mysqlExamined, total: mysqlTotal },
    markers: {
      redisGeneration: markers.redisGeneration,
      mysqlGeneration: markers.mysqlGeneration,
      redisRunId: markers.runId,
      mysqlRunId: markers.mysqlRunId,
      mismatch: markers.mismatch,
    },
    findings,
  };
}

/** A date far enough ahead that the sweep's window covers every waiting job. */
const EVERY_WAITING_JOB = new Date('9999-01-01T00:00:00Z');

/**
 * diagnostics.repair: `sweep` runs the safety sweep over every waiting or ready job (not only
 * those due within its period), re-adding what no queue holds; it leaves stray and doubled ids
 * alone (the claim drops those: invariant 3). `rebuild` rebuilds every queue from MySQL under the
 * rebuild lock, as a lost Redis would be, even with matching markers: it clears stray and doubled
 * ids too. Either records its own system event (sweep.requeued, redis.rebuilt).
 */
export async function repairQueues(
  parts: { sweep: Pick<SafetySweep, 'sweep'>; guard: Pick<RedisStateGuard, 'rebuild'> },
  action: 'sweep' | 'rebuild',
): Promise<DiagnosticsRepairResult> {
  const at = new Date().toISOString();
  const started = performance.now();
  if (action === 'sweep') {
    const jobs = await parts.sweep.sweep({ dueBy: EVERY_WAITING_JOB });
    const ms = Math.round(performance.now() - started);
    return { action, at, jobs, ms, message: `the sweep re-queued ${jobs} job(s) that no queue held, in ${ms} ms` };
  }
  const rebuilt = await parts.guard.rebuild('repair from Diagnostics', { force: true });
  const ms = rebuilt?.ms ?? Math.round(performance.now() - started);
  const jobs = rebuilt?.jobs ?? 0;
  return { action, at, jobs, ms, message: `rebuilt the queues from MySQL: ${jobs} job(s) in ${ms} ms` };
}
