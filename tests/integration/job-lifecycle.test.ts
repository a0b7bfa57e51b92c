import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/types';
import { startNode, type TestNode } from '../helpers/engine';
import { createTestDatabase, dropPrefix, testPrefix, waitFor, type TestDatabase } from '../helpers/services';

describe('a job through the pipeline (real Redis and MariaDB)', () => {
  let db: TestDatabase;
  let prefix: string;
  let node: TestNode;

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testPrefix();
    node = await startNode({ mysqlUrl: db.url, prefix });
  });

  afterAll(async () => {
    await node?.stop();
    await dropPrefix(prefix);
    await db?.drop();
  });

  async function finished(jobId: string, timeoutMs = 20_000): Promise<Job> {
    return waitFor(
      async () => {
        const job = await node.call('jobs.get', { id: jobId });
        return ['succeeded', 'failed', 'cancelled', 'skipped'].includes(job.status) ? job : null;
      },
      { timeoutMs, what: `job ${jobId} to finish` },
    );
  }

  async function onlyJob(taskId: string): Promise<Job> {
    const page = await node.call('jobs.list', { taskId });
    expect(page.items).toHaveLength(1);
    return page.items[0]!;
  }

  it('goes waiting → ready → running → succeeded, and its log holds the output', async () => {
    const seen = new Set<string>();
    const unsubscribe = node.api.subscribe((m) => {
      if (m.event === 'job.updated') seen.add((m.data as Job).status);
    });
    const task = await node.call('tasks.create', {
      name: 'hello',
      type: 'shell',
      command: 'echo "hello from $NAME"; echo oops >&2',
      env: { NAME: 'tickr' },
      schedule: { type: 'once', delayMs: 300 },
    });
    const created = await onlyJob(task.id);
    expect(created.status).toBe('waiting');
    const job = await finished(created.id);
    // The event follows the commit (after the Redis ack), so a poll can see the row first.
    await waitFor(async () => seen.has('succeeded'), { timeoutMs: 5_000, what: 'the succeeded event' });
    unsubscribe();
    expect(job.status).toBe('succeeded');
    expect(job.exitCode).toBe(0);
    expect(job.attempt).toBe(1);
    expect(new Date(job.startedAt!).getTime()).toBeGreaterThanOrEqual(new Date(created.dueAt).getTime());
    expect(seen).toContain('running');
    expect(seen).toContain('succeeded');

    const detail = await node.call('jobs.get', { id: job.id });
    expect(detail.attempts).toHaveLength(1);
    expect(detail.attempts[0]).toMatchObject({
      attempt: 1,
      outcome: 'succeeded',
      exitCode: 0,
      nodeId: node.engine.nodeId,
    });

    const logs = await node.call('jobs.logs', { id: job.id });
    const stdout = logs.items
      .filter((e) => e.stream === 'stdout')
      .map((e) => e.text)
      .join('');
    const stderr = logs.items
      .filter((e) => e.stream === 'stderr')
      .map((e) => e.text)
      .join('');
    expect(stdout).toBe('hello from tickr\n');
    expect(stderr).toBe('oops\n');
    expect(logs.nextSeq).toBe(logs.items[logs.items.length - 1]!.seq);
  });

  it('retries a failing command with linear back-off and records every attempt', async () => {
    const task = await node.call('tasks.create', {
      name: 'exit 3',
      type: 'shell',
      command: 'exit 3',
      maxAttempts: 3,
      retryDelayMs: 200,
    });
    const job = await finished((await onlyJob(task.id)).id);
    expect(job.status).toBe('failed');
    expect(job.attempt).toBe(3);
    expect(job.exitCode).toBe(3);
    const detail = await node.call('jobs.get', { id: job.id });
    expect(detail.attempts.map((a) => [a.attempt, a.outcome, a.exitCode])).toEqual([
      [1, 'failed', 3],
      [2, 'failed', 3],
      [3, 'failed', 3],
    ]);
    const gap = (i: number): number =>
      new Date(detail.attempts[i + 1]!.startedAt).getTime() - new Date(detail.attempts[i]!.finishedAt!).getTime();
    expect(gap(0)).toBeGreaterThanOrEqual(200);
    expect(gap(1)).toBeGreaterThanOrEqual(400);
  });

  it('fails an http task on a status of 400 or more, with the status in the log', async () => {
    const http = await import('node:http');
    const server = http.createServer((req, res) => {
      res.writeHead(req.url === '/ok' ? 200 : 503, { 'content-type': 'text/plain' });
      res.end(req.url === '/ok' ? 'fine' : 'down for maintenance');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const ok = await node.call('tasks.create', {
        name: 'ok',
        type: 'http',
        http: { url: `http://127.0.0.1:${port}/ok` },
      });
      const bad = await node.call('tasks.create', {
        name: 'bad',
        type: 'http',
        http: { url: `http://127.0.0.1:${port}/bad` },
        maxAttempts: 1,
      });
      const okJob = await finished((await onlyJob(ok.id)).id);
      const badJob = await finished((await onlyJob(bad.id)).id);
      expect(okJob.status).toBe('succeeded');
      expect(badJob.status).toBe('failed');
      const detail = await node.call('jobs.get', { id: badJob.id });
      expect(detail.attempts[0]).toMatchObject({ httpStatus: 503, outcome: 'failed' });
      const text = (await node.call('jobs.logs', { id: badJob.id })).items.map((e) => e.text).join('');
      expect(text).toContain('HTTP 503');
      expect(text).toContain('down for maintenance');
    } finally {
      server.close();
    }
  });

  it('times out an http task that does not answer, and retries it', async () => {
    const http = await import('node:http');
    const hanging = new Set<import('node:http').ServerResponse>();
    const server = http.createServer((_req, res) => hanging.add(res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const task = await node.call('tasks.create', {
        name: 'slow',
        type: 'http',
        http: { url: `http://127.0.0.1:${port}/` },
        timeoutMs: 300,
        maxAttempts: 2,
        retryDelayMs: 100,
      });
      const job = await finished((await onlyJob(task.id)).id);
      expect(job.status).toBe('failed');
      const detail = await node.call('jobs.get', { id: job.id });
      expect(detail.attempts.map((a) => [a.outcome, a.error])).toEqual([
        ['timed_out', 'timed out after 300 ms'],
        ['timed_out', 'timed out after 300 ms'],
      ]);
    } finally {
      for (const res of hanging) res.destroy();
      server.close();
    }
  });

  it('fails a task with an invalid payload once, with the reason, without retrying', async () => {
    const task = await node.call('tasks.create', {
      name: 'bad cwd',
      type: 'shell',
      command: 'true',
      cwd: '/no/such/dir',
      maxAttempts: 3,
    });
    const job = await finished((await onlyJob(task.id)).id);
    expect(job.status).toBe('failed');
    expect(job.attempt).toBe(1);
    expect(job.error).toContain('cwd: directory /no/such/dir does not exist');
  });

  it('rejects bad input with an error naming the field and writes nothing', async () => {
    const before = await node.call('tasks.list', {});
    const res = await node.api.call('tasks.create', { name: 'x', type: 'shell', command: 'true', maxAttempts: 0 });
    expect(res).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(!res.ok && res.error.message).toContain('maxAttempts');
    const res2 = await node.api.call('tasks.create', { name: 'x', type: 'shell' });
    expect(!res2.ok && res2.error.message).toContain('command: is required for a shell task');
    const after = await node.call('tasks.list', {});
    expect(after.items.length).toBe(before.items.length);
  });

  it('lists jobs and tasks newest first, a page at a time, by task and by status', async () => {
    const task = await node.call('tasks.create', {
      name: 'pages',
      type: 'shell',
      command: 'true',
      enabled: false,
      overlap: 'allow',
    });
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await node.call('tasks.runNow', { id: task.id })).id);
    await waitFor(
      async () => (await node.call('jobs.list', { taskId: task.id, status: 'succeeded' })).items.length === 5,
      { what: '5 jobs' },
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 4; page++) {
      const res = await node.call('jobs.list', {
        taskId: task.id,
        status: 'succeeded',
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...res.items.map((j) => j.id));
      if (!res.nextCursor) break;
      cursor = res.nextCursor;
    }
    expect(seen).toEqual([...made].reverse());
    expect((await node.call('jobs.list', { taskId: task.id, status: 'failed' })).items).toEqual([]);
    const tasks = await node.call('tasks.list', { limit: 1 });
    expect(tasks.items[0]?.id).toBe(task.id);
    expect(tasks.nextCursor).toBe(task.id);
    const bad = await node.api.call('jobs.list', { cursor: 'abc' });
    expect(!bad.ok && bad.error.message).toContain('cursor: must be the nextCursor of a previous page');
  });

  it("records the result of a job whose attempt row went missing, instead of leaving it 'running'", async () => {
    const task = await node.call('tasks.create', {
      name: 'orphan attempt',
      type: 'shell',
      command: 'sleep 1; echo done',
      maxAttempts: 1,
    });
    const job = await waitFor(
      async () => (await node.call('jobs.list', { taskId: task.id })).items.find((j) => j.status === 'running'),
      { what: 'the job to run' },
    );
    // The finish updates the job and its attempt in one statement joined on the attempt row.
    await node.engine.context.pool.query('DELETE FROM attempts WHERE job_id=?', [job.id]);
    const done = await finished(job.id);
    expect(done.status).toBe('succeeded');
    expect(done.finishedAt).not.toBeNull();
  });
});
