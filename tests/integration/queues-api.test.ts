import type { RowDataPacket } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHttpServer } from '../../src/main/server/http-server';
import { DURATION_INDEX, durationStatsQuery } from '../../src/main/engine/store/duration-stats';
import type { Result } from '../../src/shared/contract';
import type { QueueSnapshot, TaskDurationStats } from '../../src/shared/types';
import { startNode, type TestNode } from '../helpers/engine';
import { callOverIpc, isAppUrl } from '../helpers/fake-ipc';
import { createTestDatabase, dropPrefix, testPrefix, waitFor, type TestDatabase } from '../helpers/services';

/**
 * queues.snapshot (the lanes with task names, positions, pinned queues and running jobs per node)
 * and tasks.durationStats, over both transports: HTTP (the headless node's route) and the IPC
 * handler the desktop window calls (Electron's ipcMain replaced by a map of handlers; the API
 * behind it is the real engine on real Redis and MariaDB).
 */

vi.mock('electron', async () => ({ ipcMain: (await import('../helpers/fake-ipc')).ipcMain }));

const { registerIpcTransport } = await import('../../src/main/app/ipc-transport');

const TOKEN = 'queues-api-test-token-0123456789';
const HOUR_MS = 3_600_000;

describe('the Queues view API (real engine, Redis and MariaDB)', () => {
  let db: TestDatabase;
  let prefix: string;
  let node: TestNode;
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  let closeIpc: () => void;

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testPrefix();
    // One worker, so that one long job holds it and the rest stay queued where the test puts them.
    node = await startNode({ mysqlUrl: db.url, prefix, config: { concurrency: 1, drainTimeoutMs: 500 } });
    server = await startHttpServer({ api: node.api, host: '127.0.0.1', port: 0, token: TOKEN, staticDir: null });
    closeIpc = registerIpcTransport({ api: node.api, isAppUrl, targets: () => [] }).close;
  });

  afterAll(async () => {
    closeIpc?.();
    await server?.close();
    await node?.stop();
    await dropPrefix(prefix);
    await db?.drop();
  });

  async function overHttp(method: string, input: unknown): Promise<{ status: number; body: Result<unknown> }> {
    const res = await fetch(`${server.url}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(input),
    });
    return { status: res.status, body: (await res.json()) as Result<unknown> };
  }

  /** Calls `method` over both transports and returns both answers' data (both must be ok). */
  async function both<T>(method: string, input: unknown): Promise<{ http: T; ipc: T }> {
    const http = await overHttp(method, input);
    const ipc = await callOverIpc(method, input);
    expect(http.status).toBe(200);
    if (!http.body.ok || !ipc.ok) throw new Error(`${method}: ${JSON.stringify({ http: http.body, ipc })}`);
    return { http: http.body.data as T, ipc: ipc.data as T };
  }

  it('queues.snapshot names each entry’s task, numbers the ready queue, and groups running and pinned jobs by node', async () => {
    const task = (name: string, extra: Record<string, unknown> = {}) =>
      node.call('tasks.create', {
        name,
        type: 'shell',
        command: 'sleep 30',
        enabled: false,
        overlap: 'allow',
        ...extra,
      });
    const blocker = await task('holds the worker');
    const queued = await task('queued work', { command: 'true' });
    const pinned = await task('pinned work', { command: 'true', target: 'this-node' });

    const running = await node.call('tasks.runNow', { id: blocker.id });
    await waitFor(async () => (await node.call('jobs.get', { id: running.id })).status === 'running', {
      what: 'the blocking job to run',
    });
    const readyIds: string[] = [];
    for (let i = 0; i < 3; i++) readyIds.push((await node.call('tasks.runNow', { id: queued.id })).id);
    const pinnedReady = await node.call('tasks.runNow', { id: pinned.id });
    // Due in an hour: waiting, shared and pinned.
    const later = await node.call('tasks.create', {
      name: 'later',
      type: 'shell',
      command: 'true',
      schedule: { type: 'once', delayMs: HOUR_MS },
    });
    await node.call('tasks.create', {
      name: 'pinned later',
      type: 'shell',
      command: 'true',
      target: 'this-node',
      schedule: { type: 'once', delayMs: HOUR_MS },
    });

    const settled = await waitFor(
      async () => {
        const { http } = await both<QueueSnapshot>('queues.snapshot', {});
        return http.ready.count === 3 && http.waiting.count === 1 ? http : null;
      },
      { what: 'three ready jobs and one waiting' },
    );
    const { http, ipc } = await both<QueueSnapshot>('queues.snapshot', {});
    // The same engine answers both: the same lanes, read a moment apart.
    expect({ ...ipc, at: http.at }).toEqual(http);
    expect(settled.ready.entries).toEqual(
      readyIds.map((id, i) => ({ id, taskId: queued.id, taskName: 'queued work', position: i + 1 })),
    );
    expect(http.ready.ids).toEqual(readyIds);
    expect(http.waiting.next).toHaveLength(1);
    expect(http.waiting.next[0]).toMatchObject({ taskId: later.id, taskName: 'later' });
    expect(Date.parse(http.waiting.next[0]!.dueAt) - Date.now()).toBeGreaterThan(HOUR_MS - 60_000);
    expect(http.limit).toBe(100);

    expect(http.nodes).toHaveLength(1);
    const me = http.nodes[0]!;
    expect(me).toMatchObject({ nodeId: node.engine.nodeId, name: 'test-node', concurrency: 1, alive: true });
    expect(me.running.count).toBe(1);
    const job = await node.call('jobs.get', { id: running.id });
    expect(me.running.entries).toEqual([
      {
        id: running.id,
        taskId: blocker.id,
        taskName: 'holds the worker',
        attempt: 1,
        maxAttempts: 3,
        startedAt: job.startedAt,
      },
    ]);
    expect(me.pinned.ready.entries).toEqual([
      { id: pinnedReady.id, taskId: pinned.id, taskName: 'pinned work', position: 1 },
    ]);
    expect(me.pinned.waiting.count).toBe(1);
    expect(me.pinned.waiting.next[0]?.taskName).toBe('pinned later');
    // The pinned ids are not in the shared lanes.
    expect(http.ready.ids).not.toContain(pinnedReady.id);

    await node.call('jobs.cancel', { id: running.id });
  });

  it('tasks.durationStats gives median and p95 over each task’s last 100 finished jobs, from one indexed query', async () => {
    const make = (name: string) => node.call('tasks.create', { name, type: 'shell', command: 'true', enabled: false });
    const [steady, unrun] = [await make('steady'), await make('never run')];
    const pool = node.engine.context.pool;
    // 150 finished jobs: the 50 oldest took an hour each, and must not count; the latest 100 took
    // 1..100 s, alternately succeeded and failed (both held a worker that long).
    const base = Date.now() - 10 * 86_400_000;
    const rows = Array.from({ length: 150 }, (_, i) => {
      const finished = new Date(base + i * 60_000);
      const durationMs = i < 50 ? HOUR_MS : (i - 49) * 1_000;
      const started = new Date(finished.getTime() - durationMs);
      return [steady.id, i % 2 ? 'failed' : 'succeeded', 1, 3, started, started, started, finished, finished, finished];
    });
    await pool.query(
      `INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, due_at, started_at, finished_at,
         created_at, updated_at) VALUES ?`,
      [rows],
    );
    // A cancelled job that never started and one still running say nothing about how long a run takes.
    const now = new Date();
    await pool.query(
      `INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, due_at, started_at, finished_at,
         created_at, updated_at) VALUES ?`,
      [
        [
          [steady.id, 'cancelled', 0, 3, now, now, null, now, now, now],
          [steady.id, 'running', 1, 3, now, now, now, null, now, now],
        ],
      ],
    );

    const { http, ipc } = await both<{ items: TaskDurationStats[] }>('tasks.durationStats', {
      taskIds: [steady.id, unrun.id],
    });
    expect(ipc).toEqual(http);
    expect(http.items).toEqual([
      { taskId: steady.id, count: 100, medianMs: 50_000, p95Ms: 95_000 },
      { taskId: unrun.id, count: 0, medianMs: null, p95Ms: null },
    ]);

    // Each part of the query reads one range of the index, in order: no filesort, no row lookups.
    const [sql, values] = durationStatsQuery([steady.id]);
    const [plan] = await pool.query<RowDataPacket[]>(`EXPLAIN ${sql}`, values);
    const jobSteps = plan.filter((step) => step.table === 'jobs');
    expect(jobSteps).toHaveLength(2);
    for (const step of jobSteps) {
      expect(step.key).toBe(DURATION_INDEX);
      expect(String(step.Extra)).not.toContain('filesort');
      expect(String(step.Extra)).toContain('Using index');
    }
  });

  it('tasks.durationStats refuses a malformed id, naming it, on both transports', async () => {
    const http = await overHttp('tasks.durationStats', { taskIds: ['1', 'abc'] });
    expect(http.status).toBe(400);
    const ipc = await callOverIpc('tasks.durationStats', { taskIds: ['1', 'abc'] });
    for (const body of [http.body, ipc]) {
      expect(body).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
      if (!body.ok) expect(body.error.message).toContain('taskIds.1');
    }
  });
});
