import type { RowDataPacket } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recentRunsSql } from '../../src/main/engine/store/recent-runs';
import { startHttpServer } from '../../src/main/server/http-server';
import type { TaskRecentRuns } from '../../src/shared/types';
import { startNode, type TestNode } from '../helpers/engine';
import { createTestDatabase, dropPrefix, testPrefix, type TestDatabase } from '../helpers/services';

/** tasks.recentRuns: the Tasks list's strips of the last 20 runs, over the API handler (IPC's) and HTTP. */
describe('tasks.recentRuns (real engine, Redis and MariaDB)', () => {
  let db: TestDatabase;
  let prefix: string;
  let node: TestNode;
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  const token = 'integration-test-token-recent-runs';
  let busy: string;
  let quiet: string;
  let empty: string;

  type Envelope = { data: { items: TaskRecentRuns[] }; error: { code: string; message: string } };
  const post = async (body: unknown): Promise<{ status: number; json: Envelope }> => {
    const res = await fetch(`${server.url}/api/tasks.recentRuns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Envelope };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testPrefix();
    node = await startNode({ mysqlUrl: db.url, prefix });
    server = await startHttpServer({ api: node.api, host: '127.0.0.1', port: 0, token, staticDir: null });
    const create = async (name: string) =>
      (await node.call('tasks.create', { name, type: 'shell', command: 'true', enabled: false })).id;
    busy = await create('busy');
    quiet = await create('quiet');
    empty = await create('empty');
    // Jobs written straight into MySQL: 25 finished runs of `busy` with known durations, 2 of `quiet`.
    const pool = node.engine.context.pool;
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    const rows: unknown[][] = [];
    for (let i = 0; i < 25; i++) {
      const status = i % 5 === 0 ? 'failed' : 'succeeded';
      rows.push([busy, status, 1, 3, at(i), at(i), at(i), new Date(at(i).getTime() + (i + 1) * 100), at(i), at(i)]);
    }
    rows.push([quiet, 'succeeded', 1, 3, at(0), at(0), at(0), at(2), at(0), at(0)]);
    rows.push([quiet, 'waiting', 0, 3, at(9), at(9), null, null, at(9), at(9)]);
    await pool.query(
      `INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, due_at, started_at, finished_at,
         created_at, updated_at) VALUES ?`,
      [rows],
    );
  });

  afterAll(async () => {
    await server?.close();
    await node?.stop();
    await dropPrefix(prefix);
    await db?.drop();
  });

  function checkAnswer(items: TaskRecentRuns[]): void {
    expect(items.map((t) => t.taskId)).toEqual([busy, quiet, empty]);
    const [b, q, e] = items;
    // The newest 20 of 25, newest first: runs 24 down to 5, each lasting (i + 1) × 100 ms.
    expect(b!.runs).toHaveLength(20);
    expect(b!.runs.map((r) => r.durationMs)).toEqual(Array.from({ length: 20 }, (_, k) => (25 - k) * 100));
    expect(b!.runs[0]).toMatchObject({ status: 'succeeded', finishedAt: '2026-01-01T00:00:26.500Z' });
    // Every fifth run failed: run 20 is the fifth newest.
    expect(b!.runs.map((r) => r.status).indexOf('failed')).toBe(4);
    expect(Number(b!.runs[0]!.id)).toBeGreaterThan(Number(b!.runs[19]!.id));
    // A job that has not run has no duration and no finish.
    expect(q!.runs.map((r) => [r.status, r.durationMs, r.finishedAt])).toEqual([
      ['waiting', null, null],
      ['succeeded', 2000, '2026-01-01T00:00:02.000Z'],
    ]);
    expect(e!.runs).toEqual([]);
  }

  it('answers the newest 20 jobs per task over the API handler the IPC transport calls', async () => {
    checkAnswer((await node.call('tasks.recentRuns', { taskIds: [busy, quiet, empty] })).items);
  });

  it('answers the same over HTTP', async () => {
    const { status, json } = await post({ taskIds: [busy, quiet, empty] });
    expect(status).toBe(200);
    checkAnswer(json.data.items);
  });

  it('refuses more than 200 ids and a bad id, naming the field, on both transports', async () => {
    const many = Array.from({ length: 201 }, (_, i) => String(i + 1));
    const http = await post({ taskIds: many });
    expect(http.status).toBe(400);
    expect(http.json.error.message).toContain('taskIds');
    const ipc = await node.api.call('tasks.recentRuns', { taskIds: ['abc'] });
    expect(ipc).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(!ipc.ok && ipc.error.message).toContain('taskIds');
  });

  it('an unknown task id gets an empty strip, not an error', async () => {
    const { items } = await node.call('tasks.recentRuns', { taskIds: ['999999'] });
    expect(items).toEqual([{ taskId: '999999', runs: [] }]);
  });

  it('each arm of the query reads idx_jobs_task_id backwards with no filesort (EXPLAIN)', async () => {
    const pool = node.engine.context.pool;
    const [plan] = await pool.query<RowDataPacket[]>(`EXPLAIN ${recentRunsSql(2)}`, [busy, quiet]);
    const arms = plan.filter((step) => step.table === 'jobs');
    expect(arms).toHaveLength(2);
    for (const step of arms) {
      expect(step.key).toBe('idx_jobs_task_id');
      expect(String(step.Extra ?? '')).not.toContain('filesort');
    }
  });
});
