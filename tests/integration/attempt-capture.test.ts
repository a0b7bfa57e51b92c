import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attempt, AttemptEnvironment, JobDetail } from '../../src/shared/types';
import { ENGINE_VERSION } from '../../src/main/engine/version';
import type { TestNode } from '../helpers/engine';
import { rows } from '../helpers/jobs';
import { isolated } from '../helpers/isolated';
import { waitFor } from '../helpers/services';

const SECRET_ENV = 'tk_env_secret_5f4e3d2c1b';
const SECRET_HEADER = 'tk_header_secret_a1b2c3d4';
const URL_PASSWORD = 'pw_url_secret_9z8y7x';

async function finished(node: TestNode, id: string): Promise<JobDetail> {
  return waitFor(
    async () => {
      const j = await node.call('jobs.get', { id });
      return ['succeeded', 'failed'].includes(j.status) ? j : null;
    },
    { what: `job ${id} to finish` },
  );
}

function onlyAttempt(job: JobDetail): Attempt {
  expect(job.attempts).toHaveLength(1);
  return job.attempts[0]!;
}

/** The attempt's stored columns as MySQL holds them: where a secret must not be. */
async function storedAttempt(node: TestNode, jobId: string): Promise<string> {
  const found = await rows(node.engine.context.pool, 'SELECT * FROM attempts WHERE job_id=?', [jobId]);
  return JSON.stringify(found);
}

/** The fields of an environment that do not depend on which job ran: the same for every run. */
function runIndependent(e: AttemptEnvironment): unknown {
  return { ...e, env: e.env.map((v) => (v.source === 'job' && v.name !== 'TICKR_TASK_ID' ? v.name : v)) };
}

describe('attempt capture: environment at start, http exchange at end (real Redis and MariaDB)', () => {
  const env = isolated('file');
  let node: TestNode;

  beforeAll(async () => {
    node = await env.node({ config: { nodeName: 'capture-node' } });
  });

  it('records the same environment for a scheduled run and a run now, secrets as *** and nowhere in the row', async () => {
    const task = await node.call('tasks.create', {
      name: 'captures env',
      type: 'shell',
      command: 'echo "region=$REGION"',
      cwd: env.dir,
      env: { API_TOKEN: { value: SECRET_ENV, secret: true }, REGION: 'eu-west-1' },
      schedule: { type: 'once', delayMs: 300 },
      overlap: 'allow',
    });
    const scheduled = await waitFor(
      async () => (await node.call('jobs.list', { taskId: task.id, limit: 5 })).items[0] ?? null,
      { what: 'the scheduled occurrence' },
    );
    const manual = await node.call('tasks.runNow', { id: task.id });
    const [a, b] = [onlyAttempt(await finished(node, scheduled.id)), onlyAttempt(await finished(node, manual.id))];

    for (const [attempt, jobId] of [
      [a, scheduled.id],
      [b, manual.id],
    ] as const) {
      const e = attempt.environment!;
      expect(e).not.toBeNull();
      expect(e.type).toBe('shell');
      expect(e.argv.at(-1)).toBe('echo "region=$REGION"');
      expect(e.argv.slice(-2, -1)).toEqual(['-c']);
      expect(e.cwd).toBe(env.dir);
      expect(e.nodeId).toBe(node.engine.context.nodeId);
      expect(e.nodeName).toBe('capture-node');
      expect(e.version).toBe(ENGINE_VERSION);
      expect(e.env).toContainEqual({ name: 'API_TOKEN', value: '***', secret: true, source: 'task' });
      expect(e.env).toContainEqual({ name: 'REGION', value: 'eu-west-1', secret: false, source: 'task' });
      expect(e.env).toContainEqual({ name: 'TICKR_JOB_ID', value: jobId, secret: false, source: 'job' });
      expect(e.env).toContainEqual({ name: 'TICKR_ATTEMPT', value: '1', secret: false, source: 'job' });
      // What the node passes on is named, never valued: PATH is always passed on.
      expect(e.env).toContainEqual({ name: 'PATH', value: null, secret: false, source: 'inherited' });
      expect(attempt.http).toBeNull();
      expect(await storedAttempt(node, jobId)).not.toContain(SECRET_ENV);
      expect(JSON.stringify(await node.call('jobs.get', { id: jobId }))).not.toContain(SECRET_ENV);
    }
    expect(runIndependent(a.environment!)).toEqual(runIndependent(b.environment!));
  });

  describe('an http job against a local server', () => {
    let server: ReturnType<typeof createServer>;
    let port = 0;
    let received: IncomingMessage | null = null;

    beforeAll(async () => {
      server = createServer((req, res) => {
        received = req;
        // Headers after 60 ms, the body's end after 60 more: the timings must tell them apart.
        // The server echoes the secret header back, in a header and in the body, as some do.
        setTimeout(() => {
          res.writeHead(201, { 'content-type': 'application/json', 'x-echo': String(req.headers['x-api-token']) });
          res.write('{"ok":true,');
          setTimeout(() => res.end(`"items":[1,2,3],"token":"${String(req.headers['x-api-token'])}"}`), 60);
        }, 60);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('stores method, URL, headers, status, timings and the JSON head, every secret as ***', async () => {
      const task = await node.call('tasks.create', {
        name: 'calls the local server',
        type: 'http',
        http: {
          method: 'POST',
          url: `http://tickr:${URL_PASSWORD}@127.0.0.1:${port}/hook?page=2`,
          headers: { 'X-Api-Token': { value: SECRET_HEADER, secret: true }, 'X-Plain': 'hello' },
          body: '{"ping":1}',
        },
        schedule: { type: 'once', delayMs: 3_600_000 },
      });
      const job = await finished(node, (await node.call('tasks.runNow', { id: task.id })).id);
      expect(job.status).toBe('succeeded');
      expect(received?.headers['x-api-token']).toBe(SECRET_HEADER);
      const attempt = onlyAttempt(job);
      const x = attempt.http!;
      expect(x).not.toBeNull();
      expect(x.method).toBe('POST');
      expect(x.url).toBe(`http://tickr:***@127.0.0.1:${port}/hook?page=2`);
      expect(x.requestHeaders).toMatchObject({ 'X-Api-Token': '***', 'X-Plain': 'hello', Authorization: '***' });
      expect(x.status).toBe(201);
      expect(x.responseHeaders['content-type']).toBe('application/json');
      expect(x.responseHeaders['x-echo']).toBe('***');
      expect(x.ttfbMs).toBeGreaterThanOrEqual(50);
      // The server waits 50 ms between head and body; each figure is rounded to a millisecond, and a
      // timer may fire a millisecond early, so the gap is checked with room for both.
      expect(x.totalMs).toBeGreaterThanOrEqual(x.ttfbMs! + 48);
      expect(JSON.parse(x.bodyHead)).toEqual({ ok: true, items: [1, 2, 3], token: '***' });
      expect(x.bodyTruncated).toBe(false);
      expect(x.error).toBeNull();
      expect(attempt.environment).toMatchObject({ type: 'http', argv: ['POST', x.url], cwd: null, env: [] });

      const stored = await storedAttempt(node, job.id);
      const answered = JSON.stringify(await node.call('jobs.get', { id: job.id }));
      const basic = Buffer.from(`tickr:${URL_PASSWORD}`).toString('base64');
      for (const secret of [SECRET_HEADER, URL_PASSWORD, basic]) {
        expect(stored).not.toContain(secret);
        expect(answered).not.toContain(secret);
      }
    });

    it('keeps only the head of a long body, and says so', async () => {
      const big = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('x'.repeat(100_000));
      });
      await new Promise<void>((resolve) => big.listen(0, '127.0.0.1', resolve));
      try {
        const task = await node.call('tasks.create', {
          name: 'long body',
          type: 'http',
          http: { method: 'GET', url: `http://127.0.0.1:${(big.address() as AddressInfo).port}/` },
          schedule: { type: 'once', delayMs: 3_600_000 },
        });
        const job = await finished(node, (await node.call('tasks.runNow', { id: task.id })).id);
        const x = onlyAttempt(job).http!;
        expect(x.bodyHead).toHaveLength(8_192);
        expect(x.bodyTruncated).toBe(true);
        // What the row holds stays bounded by the head, whatever the body's size.
        const [row] = await rows(
          node.engine.context.pool,
          'SELECT LENGTH(http_json) AS n FROM attempts WHERE job_id=?',
          [job.id],
        );
        expect(Number(row?.n)).toBeLessThan(10_000);
      } finally {
        await new Promise<void>((resolve) => big.close(() => resolve()));
      }
    });
  });
});
