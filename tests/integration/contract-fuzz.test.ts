import fc from 'fast-check';
import type { RowDataPacket } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MethodName, Result } from '../../src/shared/contract';
import type { Job } from '../../src/shared/types';
import { statusForCode } from '../../src/main/server/api-route';
import { startHttpServer, type RunningHttpServer } from '../../src/main/server/http-server';
import { contractCall, topLevelFields, type FuzzCall } from '../helpers/contract-arbitraries';
import { startNode, type TestNode } from '../helpers/engine';
import { callOverIpc, isAppUrl } from '../helpers/fake-ipc';
import { createTestDatabase, dropPrefix, tempDir, testPrefix, waitFor, type TestDatabase } from '../helpers/services';

/**
 * Property-based fuzzing of the whole API contract over both transports, against a real node
 * (Redis, MariaDB): every call ends in a client error naming a field, or in a correct result;
 * never a server error, never a hang; a refused call writes nothing; and afterwards the node
 * still runs a job. See docs/architecture.md, "Contract fuzzing".
 *
 * TICKR_FUZZ_SEED fixes the generated calls (printed on failure); TICKR_FUZZ_RUNS sets how many
 * calls each transport gets.
 */

vi.mock('electron', async () => ({ ipcMain: (await import('../helpers/fake-ipc')).ipcMain }));
const { registerIpcTransport } = await import('../../src/main/app/ipc-transport');

const SEED = Number(process.env.TICKR_FUZZ_SEED ?? 20_261_202);
const RUNS = Number(process.env.TICKR_FUZZ_RUNS ?? 250);
/** Longer than any one call may take on a loaded 2-core machine; a call past it is a hang. */
const CALL_TIMEOUT_MS = 10_000;
const TOKEN = 'fuzz-token-0123456789abcdef';
/** The error codes a caller's own mistake may get; anything else (INTERNAL, 5xx) is the node's fault. */
const CLIENT_CODES = new Set(['BAD_INPUT', 'NOT_FOUND', 'CONFLICT']);

interface Outcome {
  status: number;
  result: Result<unknown>;
}

function timeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what}: no answer within ${CALL_TIMEOUT_MS} ms (a hang)`)),
        CALL_TIMEOUT_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A short description of a value for failure messages: inputs can hold 100 kB strings. */
function short(value: unknown): string {
  let text: string;
  try {
    text =
      JSON.stringify(value, (_k, v: unknown) =>
        typeof v === 'string' && v.length > 80 ? `${v.slice(0, 40)}…(${v.length} chars)` : v,
      ) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

/**
 * Whether an error message names the field it is about: it starts with a path whose first
 * segment is a field of the method's input, `(input)` (the whole input, e.g. an unrecognized
 * key, which the message then quotes) or `body` (HTTP: not a JSON object). Only the start is
 * checked: a quoted key may itself hold `; ` or `: `.
 */
function namesAField(method: MethodName, message: string): boolean {
  const m = /^([^:.\s]+)[.:]/u.exec(message);
  if (!m) return false;
  const top = m[1]!;
  return top === '(input)' || top === 'body' || topLevelFields(method).includes(top);
}

/**
 * What a task answer must echo of its input: strings as given (name trimmed), every env and
 * header name. A value the store changed on the way (a lone surrogate turned into U+FFFD, a key
 * dropped) is a task other than the one the caller asked for.
 */
function echoError(input: Record<string, unknown>, task: Record<string, unknown>): string | null {
  const sent = (k: string): unknown =>
    typeof input[k] === 'string' && k === 'name' ? (input[k] as string).trim() : input[k];
  for (const k of ['name', 'command', 'cwd']) {
    if (typeof input[k] === 'string' && task[k] !== sent(k)) return `${k} ${short(task[k])} for ${short(input[k])}`;
  }
  const names = (v: unknown): string => JSON.stringify(Object.keys((v ?? {}) as object).sort());
  if (input.env !== undefined && names(task.env) !== names(input.env)) {
    return `env names ${names(task.env)} for ${names(input.env)}`;
  }
  const headers = (input.http as { headers?: unknown } | undefined)?.headers;
  const shownHeaders = (task.http as { headers?: unknown } | null)?.headers;
  if (headers !== undefined && names(shownHeaders) !== names(headers)) {
    return `header names ${names(shownHeaders)} for ${names(headers)}`;
  }
  return null;
}

const isId = (v: unknown): boolean => typeof v === 'string' && /^[1-9][0-9]*$/.test(v);
const isIsoOrNull = (v: unknown): boolean => v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v)));

/** A few checks that a successful answer has the shape its method promises. */
function resultShapeError(method: MethodName, rawInput: unknown, data: unknown): string | null {
  // A missing input (undefined, null) is taken as {}, as parseInput does.
  const input = (rawInput ?? {}) as Record<string, unknown>;
  const d = data as Record<string, unknown>;
  const asTask = (t: Record<string, unknown>): string | null =>
    !isId(t.id) ||
    typeof t.name !== 'string' ||
    !['shell', 'http'].includes(t.type as string) ||
    !isIsoOrNull(t.createdAt)
      ? 'not a task'
      : null;
  const asJob = (j: Record<string, unknown>): string | null =>
    !isId(j.id) || !isId(j.taskId) || typeof j.status !== 'string' || !isIsoOrNull(j.dueAt) ? 'not a job' : null;
  const page = (each: (x: Record<string, unknown>) => string | null): string | null => {
    if (!Array.isArray(d.items) || !(d.nextCursor === null || isId(d.nextCursor))) return 'not a page';
    const limit = (input as { limit?: number }).limit ?? 100;
    if (d.items.length > limit) return `a page of ${d.items.length} items for limit ${limit}`;
    return d.items.map((x) => each(x as Record<string, unknown>)).find((e) => e !== null) ?? null;
  };
  switch (method) {
    case 'tasks.create':
    case 'tasks.update':
    case 'tasks.get':
    case 'tasks.pause':
    case 'tasks.resume': {
      const e = asTask(d);
      if (e) return e;
      const id = (input as { id?: string }).id;
      if (method !== 'tasks.create' && d.id !== id) return `task ${String(d.id)} for id ${String(id)}`;
      if (method === 'tasks.pause' && d.enabled !== false) return 'a paused task that is enabled';
      return method === 'tasks.create' || method === 'tasks.update' ? echoError(input, d) : null;
    }
    case 'tasks.list':
      return page(asTask);
    case 'jobs.list':
      return page(asJob);
    case 'events.list':
      return page((e) => (isId(e.id) && typeof e.kind === 'string' ? null : 'not an event'));
    case 'tasks.runNow':
    case 'jobs.cancel':
    case 'jobs.retry':
      return asJob(d);
    case 'jobs.get':
      return asJob(d) ?? (Array.isArray(d.attempts) ? null : 'no attempts');
    case 'jobs.logs':
      return Array.isArray(d.items) && typeof d.nextSeq === 'number' ? null : 'not a log page';
    case 'tasks.delete':
      return d.deleted === true && d.id === (input as { id?: string }).id ? null : 'not a deletion';
    case 'schedule.preview': {
      if (!Array.isArray(d.occurrences) || typeof d.description !== 'string') return 'not a preview';
      const count = (input as { count?: number }).count ?? 5;
      return d.occurrences.length <= count ? null : `${d.occurrences.length} occurrences for count ${count}`;
    }
    case 'health.get':
      return (d.redis as { status?: string })?.status === 'up' && (d.mysql as { status?: string })?.status === 'up'
        ? null
        : 'health not up';
    case 'queues.snapshot':
      return typeof (d.waiting as { count?: unknown })?.count === 'number' ? null : 'not a snapshot';
    case 'nodes.list':
      return Array.isArray(d.items) && d.items.length >= 1 ? null : 'no nodes';
    case 'jobs.bulkPreview': {
      // A filter naming a job id matches one job at most; a mutation that deleted the filter matches them all.
      const byJobId = typeof (input.filter as { id?: unknown } | undefined)?.id === 'string';
      return typeof d.matching === 'number' && (!byJobId || d.matching <= 1)
        ? null
        : 'not a dry run of one job at most';
    }
    case 'jobs.bulkStart':
    case 'jobs.bulkGet':
    case 'jobs.bulkStop':
      return typeof d.id === 'string' && typeof d.total === 'number' ? null : 'not a bulk operation';
    case 'jobs.bulkList':
    case 'tasks.durationStats':
    case 'tasks.recentRuns':
      return Array.isArray(d.items) ? null : 'no items';
    case 'health.history':
      return d.redis !== undefined && d.mysql !== undefined ? null : 'not a health history';
    case 'jobs.counts':
    case 'jobs.throughput':
      return typeof d === 'object' && d !== null ? null : 'not an object';
    case 'tasks.pauseAll':
      return Array.isArray(d.paused) && d.paused.every(isId) ? null : 'not the paused task ids';
    case 'tasks.resumeAll':
      return Array.isArray(d.resumed) && d.resumed.every(isId) ? null : 'not the resumed task ids';

    case 'diagnostics.check':
      return typeof d.clean === 'boolean' && Array.isArray(d.findings) && d.findings.length === 4
        ? null
        : 'not a diagnostics report';
    case 'diagnostics.repair':
      return typeof d.jobs === 'number' && (d.action === 'sweep' || d.action === 'rebuild') ? null : 'not a repair';
    case 'tasks.upcoming': {
      const max = (input as { limit?: number }).limit ?? 200;
      return Array.isArray(d.items) && d.items.length <= max ? null : 'not upcoming runs within the limit';
    }
    case 'jobs.neighbours': {
      const side = (j: unknown): string | null => (j === null ? null : asJob(j as Record<string, unknown>));
      return 'previous' in d && 'next' in d ? (side(d.previous) ?? side(d.next)) : 'not neighbours';
    }

    case 'retention.get':
    case 'retention.set':
    case 'retention.runNow': {
      const policy = d.policy as Record<string, unknown> | undefined;
      if (typeof policy?.keepDays !== 'number' || typeof d.running !== 'boolean') return 'not a retention state';
      const asked = Object.entries(method === 'retention.set' ? input : {});
      return asked.every(([k, v]) => policy[k] === v) ? null : 'a policy that is not the one set';
    }

    case 'settings.get':
    case 'settings.update':
      return (d.redis as { passwordSet?: unknown })?.passwordSet !== undefined && typeof d.concurrency === 'number'
        ? null
        : 'not settings';
    case 'settings.testConnection':
      return typeof d.ok === 'boolean' && d.service === input.service ? null : 'not a connection test';
  }
}

describe('contract fuzz: every method over HTTP and IPC (real node, Redis and MariaDB)', () => {
  let db: TestDatabase;
  let prefix: string;
  let node: TestNode;
  let server: RunningHttpServer;
  let closeIpc: () => void;
  const scratch = tempDir('tickr-fuzz');

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testPrefix();
    node = await startNode({ mysqlUrl: db.url, prefix, config: { concurrency: 2 } });
    server = await startHttpServer({ api: node.api, host: '127.0.0.1', port: 0, token: TOKEN, staticDir: null });
    const transport = registerIpcTransport({
      api: node.api,
      isAppUrl,
      targets: () => [],
      onError: (err) => console.error('[fuzz] IPC transport:', err),
    });
    closeIpc = () => transport.close();
    // Something for valid ids to find: tasks of both types, finished jobs of each outcome.
    const later = { type: 'once' as const, delayMs: 3_600_000 };
    await node.call('tasks.create', { name: 'later', type: 'shell', command: 'true', schedule: later });
    await node.call('tasks.create', {
      name: 'http later',
      type: 'http',
      http: { url: 'http://127.0.0.1:9/', headers: { Authorization: { value: 'Bearer s3cret-value', secret: true } } },
      schedule: later,
    });
    const ok = await node.call('tasks.create', { name: 'ok', type: 'shell', command: 'echo ok', schedule: later });
    const bad = await node.call('tasks.create', {
      name: 'bad',
      type: 'shell',
      command: 'exit 3',
      maxAttempts: 1,
      schedule: later,
    });
    await node.call('tasks.runNow', { id: ok.id });
    await node.call('tasks.runNow', { id: bad.id });
    await quiescent();
  });

  afterAll(async () => {
    closeIpc?.();
    await server?.close();
    await node?.stop();
    await dropPrefix(prefix);
    await db?.drop();
    scratch.remove();
  });

  async function viaHttp(method: MethodName, input: unknown): Promise<Outcome> {
    const res = await fetch(`${server.url}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      // undefined (a deleted root) is sent as no body at all, which the route reads as {}.
      body: input === undefined ? '' : JSON.stringify(input),
    });
    return { status: res.status, result: (await res.json()) as Result<unknown> };
  }

  async function viaIpc(method: MethodName, input: unknown): Promise<Outcome> {
    const result = await callOverIpc(method, input);
    return { status: result.ok ? 200 : statusForCode(result.error.code), result };
  }

  /** Exact row counts of every table of this test's database. */
  async function rowCounts(): Promise<Record<string, number>> {
    const pool = node.engine.context.pool;
    const [tables] = await pool.query<RowDataPacket[]>(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name",
      [db.name],
    );
    const counts: Record<string, number> = {};
    for (const { t } of tables) {
      const [[row]] = await pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${String(t)}\``);
      counts[String(t)] = Number(row!.n);
    }
    return counts;
  }

  /**
   * Waits until no job is running or due soon, so that the engine writes nothing on its own
   * while refused calls are checked for writing nothing.
   */
  async function quiescent(): Promise<void> {
    await waitFor(
      async () => {
        const [[row]] = await node.engine.context.pool.query<RowDataPacket[]>(
          `SELECT COUNT(*) AS n FROM jobs WHERE status IN ('ready','running')
             OR (status = 'waiting' AND due_at <= UTC_TIMESTAMP(3) + INTERVAL 3 SECOND)`,
        );
        return Number(row!.n) === 0;
      },
      { timeoutMs: 30_000, what: 'no job running or due' },
    );
    // A job's last log lines and events may land just after its row says finished.
    await new Promise((r) => setTimeout(r, 100));
  }

  async function bulkEnded(id: string): Promise<void> {
    await waitFor(
      async () => {
        const { state } = await node.call('jobs.bulkGet', { id });
        return state !== 'running' && state !== 'stopping';
      },
      { timeoutMs: 30_000, what: `bulk operation ${id} to end` },
    );
  }

  async function fuzz(transport: 'http' | 'ipc'): Promise<{ calls: number; refused: number }> {
    const send = transport === 'http' ? viaHttp : viaIpc;
    let baseline = await rowCounts();
    let calls = 0;
    let refused = 0;
    const property = fc.asyncProperty(contractCall({ cwd: scratch.path }), async (call: FuzzCall) => {
      calls++;
      const what = `${transport} ${call.method} (${call.mutation}) ${short(call.input)}`;
      const { status, result } = await timeout(send(call.method, call.input), what);
      if (result.ok) {
        if (status !== 200) throw new Error(`${what}: ok with HTTP ${status}`);
        const wrong = resultShapeError(call.method, call.input, result.data);
        if (wrong) throw new Error(`${what}: answered ${wrong}: ${short(result.data)}`);
        // A bulk operation runs on after its answer: let it end before the next counts.
        if (call.method === 'jobs.bulkStart') await bulkEnded((result.data as { id: string }).id);
        await quiescent();
        baseline = await rowCounts();
        return;
      }
      refused++;
      const { code, message } = result.error;
      // A headless node refuses every settings change (its environment configures it).
      const refusedHere = code === 'FORBIDDEN' && call.method === 'settings.update';
      if ((!CLIENT_CODES.has(code) && !refusedHere) || status < 400 || status > 499) {
        throw new Error(`${what}: answered ${status} ${code}: ${message}`);
      }
      if (!namesAField(call.method, message)) throw new Error(`${what}: the error names no field: ${message}`);
      const after = await rowCounts();
      if (JSON.stringify(after) !== JSON.stringify(baseline)) {
        throw new Error(
          `${what}: refused (${message}) but the row counts changed: ${short(baseline)} → ${short(after)}`,
        );
      }
    });
    await fc.assert(property, {
      seed: SEED,
      numRuns: RUNS,
      // State carries over between calls (tasks made, deleted), so a shrunk replay is not the
      // same run; the failing call itself is in the message, and the seed replays the run.
      endOnFailure: true,
      reporter: (details) => {
        if (!details.failed) return;
        const err = details.errorInstance as Error | undefined;
        throw new Error(
          `contract fuzz over ${transport} failed after ${details.numRuns} calls; replay with TICKR_FUZZ_SEED=${details.seed}` +
            ` TICKR_FUZZ_RUNS=${RUNS}: ${err?.message ?? String(details.errorInstance)}`,
        );
      },
    });
    return { calls, refused };
  }

  it.each(['http', 'ipc'] as const)(
    'over %s: each call is a field-naming client error that writes nothing, or a correct result',
    async (transport) => {
      const started = Date.now();
      const { calls, refused } = await fuzz(transport);
      console.info(
        `[fuzz] ${transport}: ${calls} calls (${refused} refused) in ${Date.now() - started} ms, TICKR_FUZZ_SEED=${SEED}`,
      );
      expect(calls).toBe(RUNS);
      // A run in which nearly everything is refused or nearly everything passes tests little.
      expect(refused).toBeGreaterThan(RUNS * 0.3);
      expect(refused).toBeLessThan(RUNS * 0.95);
    },
  );

  it('jobs.cancel racing the job finishing on its own answers the job or a conflict, never a server error', async () => {
    const task = await node.call('tasks.create', {
      name: 'race',
      type: 'shell',
      command: 'true',
      overlap: 'allow',
      schedule: { type: 'once', delayMs: 3_600_000 },
    });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 40 }), fc.constantFrom('http', 'ipc'), async (delayMs, transport) => {
        const job = await node.call('tasks.runNow', { id: task.id });
        await new Promise((r) => setTimeout(r, delayMs));
        const send = transport === 'http' ? viaHttp : viaIpc;
        const { status, result } = await timeout(send('jobs.cancel', { id: job.id }), 'jobs.cancel');
        if (!result.ok) {
          expect(`${status} ${result.error.code}`).toMatch(/^409 CONFLICT$/);
          expect(result.error.message).toMatch(/^id: /);
        } else {
          expect((result.data as Job).id).toBe(job.id);
        }
      }),
      { seed: SEED, numRuns: Math.max(10, Math.round(RUNS / 10)), endOnFailure: true },
    );
  });

  it('after the whole run the node still runs a job to success', async () => {
    const task = await node.call('tasks.create', { name: 'after fuzz', type: 'shell', command: 'echo still here' });
    const [job] = (await node.call('jobs.list', { taskId: task.id })).items;
    const done = await waitFor(
      async () => {
        const j = await node.call('jobs.get', { id: job!.id });
        return ['succeeded', 'failed', 'cancelled', 'skipped'].includes(j.status) ? j : null;
      },
      { what: 'the last job to finish' },
    );
    expect(done.status).toBe('succeeded');
    const logs = await node.call('jobs.logs', { id: job!.id });
    expect(logs.items.map((e) => e.text).join('')).toContain('still here');
  });
});
