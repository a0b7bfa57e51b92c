import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../src/main/server/http-server';
import { startNode, type TestNode } from '../helpers/engine';
import { createTestDatabase, dropPrefix, testPrefix, waitFor, type TestDatabase } from '../helpers/services';

describe('the HTTP API of a node (real engine, Redis and MariaDB)', () => {
  let db: TestDatabase;
  let prefix: string;
  let node: TestNode;
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  const token = 'integration-test-token-0123456789';

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testPrefix();
    node = await startNode({ mysqlUrl: db.url, prefix });
    server = await startHttpServer({ api: node.api, host: '127.0.0.1', port: 0, token, staticDir: null });
  });

  afterAll(async () => {
    await server?.close();
    await node?.stop();
    await dropPrefix(prefix);
    await db?.drop();
  });

  const post = (method: string, body: unknown, auth: string | null = token): Promise<Response> =>
    fetch(`${server.url}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('refuses a request without the token (401) and creates nothing', async () => {
    const res = await post('tasks.create', { name: 'x', type: 'shell', command: 'true' }, null);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const wrong = await post('tasks.create', { name: 'x', type: 'shell', command: 'true' }, 'not-the-token');
    expect(wrong.status).toBe(401);
    expect((await node.call('tasks.list', {})).items).toHaveLength(0);
  });

  it('answers a malformed body with 400 naming the field', async () => {
    const res = await post('tasks.create', {
      name: 'x',
      type: 'shell',
      command: 'true',
      schedule: { type: 'interval', everyMs: 10 },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { ok: false; error: { code: string; message: string } };
    expect(body.error.code).toBe('BAD_INPUT');
    expect(body.error.message).toContain('schedule.everyMs');
    const notJson = await post('tasks.create', '{"name":');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toContain('body');
    const badId = await post('jobs.get', { id: 'abc' });
    expect(badId.status).toBe(400);
    expect(((await badId.json()) as { error: { message: string } }).error.message).toContain('id:');
  });

  it('creates a task, runs it and serves its log', async () => {
    const res = await post('tasks.create', { name: 'hello', type: 'shell', command: 'echo hello over http' });
    expect(res.status).toBe(200);
    const task = ((await res.json()) as { ok: true; data: { id: string } }).data;
    const jobs = (
      (await (await post('jobs.list', { taskId: task.id })).json()) as { data: { items: { id: string }[] } }
    ).data.items;
    expect(jobs).toHaveLength(1);
    await waitFor(
      async () =>
        ((await (await post('jobs.get', { id: jobs[0]!.id })).json()) as { data: { status: string } }).data.status ===
        'succeeded',
      {
        what: 'job to succeed',
      },
    );
    const logs = (await (await post('jobs.logs', { id: jobs[0]!.id })).json()) as {
      data: { items: { stream: string; text: string }[] };
    };
    expect(
      logs.data.items
        .filter((e) => e.stream === 'stdout')
        .map((e) => e.text)
        .join(''),
    ).toBe('hello over http\n');
    const missing = await post('jobs.get', { id: '999999' });
    expect(missing.status).toBe(404);
    const health = (await (await post('health.get', {})).json()) as {
      data: { redis: { status: string }; mysql: { status: string }; node: { id: string } };
    };
    expect(health.data.redis.status).toBe('up');
    expect(health.data.mysql.status).toBe('up');
    expect(health.data.node.id).toBe(node.engine.nodeId);
    const snapshot = await post('queues.snapshot', {});
    expect(snapshot.status).toBe(200);
  });
});
