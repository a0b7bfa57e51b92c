import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobDetail } from '../../src/shared/types';
import type { TestNode } from '../helpers/engine';
import { rows } from '../helpers/jobs';
import { isolated } from '../helpers/isolated';
import { waitFor } from '../helpers/services';

/** Runs a task now and waits for its job to end: its status, error, whole log and attempts. */
async function runOnce(
  node: TestNode,
  taskId: string,
): Promise<{ status: string; error: string | null; log: string; attempts: number; job: JobDetail }> {
  const job = await node.call('tasks.runNow', { id: taskId });
  const done = await waitFor(
    async () => {
      const j = await node.call('jobs.get', { id: job.id });
      return ['succeeded', 'failed'].includes(j.status) ? j : null;
    },
    { what: `job ${job.id} to finish` },
  );
  const log = (await node.call('jobs.logs', { id: job.id, limit: 1000 })).items.map((e) => e.text).join('');
  return { status: done.status, error: done.error, log, attempts: done.attempts.length, job: done };
}

/**
 * Secret env values (DESIGN.md §4): sealed in MySQL, never returned by the API, redacted from the
 * job's log, and still handed to the job in clear; kept across updates that do not send them.
 */
describe('secret env values (real Redis and MariaDB)', () => {
  const env = isolated();
  const SECRET = 'tk_live_9f8e7d6c5b4a';

  it('are sealed in MySQL, hidden by the API, redacted from the log, and given to the job in clear', async () => {
    const node = await env.node();
    const out = path.join(env.dir, 'seen-secret.txt');
    const task = await node.call('tasks.create', {
      name: 'uses a secret',
      type: 'shell',
      command: `printf '%s' "$API_TOKEN" > '${out}'; echo "token=$API_TOKEN region=$REGION"`,
      env: { API_TOKEN: { value: SECRET, secret: true }, REGION: 'eu-west-1' },
      schedule: { type: 'once', delayMs: 3_600_000 },
      overlap: 'allow',
    });
    expect(task.env).toEqual({ API_TOKEN: { secret: true }, REGION: 'eu-west-1' });
    expect(JSON.stringify(await node.call('tasks.get', { id: task.id }))).not.toContain(SECRET);

    const [row] = await rows(node.engine.context.pool, 'SELECT env_json FROM tasks WHERE id=?', [task.id]);
    const stored = String(row?.env_json);
    expect(stored).not.toContain(SECRET);
    expect(stored).toContain('tickr-sealed:v1:');
    expect(stored).toContain('eu-west-1');

    const run = await runOnce(node, task.id);
    expect(run.status).toBe('succeeded');
    expect(readFileSync(out, 'utf8')).toBe(SECRET);
    expect(run.log).toContain('token=*** region=eu-west-1');
    expect(run.log).not.toContain(SECRET);

    // An update that does not send the secret, or sends it as the API shows it, keeps it.
    await node.call('tasks.update', { id: task.id, name: 'renamed' });
    await node.call('tasks.update', { id: task.id, env: { API_TOKEN: { secret: true }, REGION: 'us-east-2' } });
    expect((await runOnce(node, task.id)).log).toContain('token=*** region=us-east-2');
    expect(readFileSync(out, 'utf8')).toBe(SECRET);

    // A new secret value replaces it; {secret: true} for a name with no secret is refused.
    await node.call('tasks.update', { id: task.id, env: { API_TOKEN: { value: 'rotated-value-42', secret: true } } });
    await runOnce(node, task.id);
    expect(readFileSync(out, 'utf8')).toBe('rotated-value-42');
    await expect(node.call('tasks.update', { id: task.id, env: { OTHER: { secret: true } } })).rejects.toThrow(
      /BAD_INPUT: env\.OTHER: \{secret: true\} without a value keeps the task's stored secret, and this task has no secret OTHER/,
    );
    await expect(
      node.call('tasks.create', { name: 'x', type: 'shell', command: 'true', env: { NEW: { secret: true } } }),
    ).rejects.toThrow(/BAD_INPUT: env\.NEW/);
  });

  it('a secret stored in clear before sealing existed still runs, and is sealed at the next update', async () => {
    const node = await env.node();
    const out = path.join(env.dir, 'legacy.txt');
    const task = await node.call('tasks.create', {
      name: 'legacy',
      type: 'shell',
      command: `printf '%s' "$OLD" > '${out}'`,
      schedule: { type: 'once', delayMs: 3_600_000 },
      overlap: 'allow',
    });
    const pool = node.engine.context.pool;
    await pool.query('UPDATE tasks SET env_json=? WHERE id=?', [
      JSON.stringify({ OLD: { secret: true, value: 'clear-legacy-value' } }),
      task.id,
    ]);
    expect((await node.call('tasks.get', { id: task.id })).env).toEqual({ OLD: { secret: true } });
    expect((await runOnce(node, task.id)).status).toBe('succeeded');
    expect(readFileSync(out, 'utf8')).toBe('clear-legacy-value');

    await node.call('tasks.update', { id: task.id, name: 'legacy, sealed' });
    const [row] = await rows(pool, 'SELECT env_json FROM tasks WHERE id=?', [task.id]);
    expect(String(row?.env_json)).not.toContain('clear-legacy-value');
    await runOnce(node, task.id);
    expect(readFileSync(out, 'utf8')).toBe('clear-legacy-value');
  });

  it('a node with another key warns at start, and fails such a job once with the reason instead of running it without the secret', async () => {
    const first = await env.node({ config: { secretKey: randomBytes(32).toString('base64') } });
    const marker = path.join(env.dir, 'ran-without-secret.txt');
    const task = await first.call('tasks.create', {
      name: 'sealed elsewhere',
      type: 'shell',
      command: `touch '${marker}'`,
      env: { API_TOKEN: { value: SECRET, secret: true } },
      schedule: { type: 'once', delayMs: 3_600_000 },
      maxAttempts: 3,
    });
    await first.stop();

    const other = await env.node({ config: { secretKey: randomBytes(32).toString('base64') } });
    const warning = (await other.call('events.list', { limit: 50 })).items.find(
      (e) => e.kind === 'secrets.key_mismatch',
    );
    expect(warning?.level).toBe('warn');
    expect(warning?.message).toContain(
      `this node's secret key ${other.engine.context.secrets.keyId} is not the key ${first.engine.context.secrets.keyId}`,
    );

    const run = await runOnce(other, task.id);
    expect(run.status).toBe('failed');
    expect(run.attempts).toBe(1); // not retried: every attempt here would fail the same way
    expect(run.error).toMatch(
      /secret env API_TOKEN cannot be opened on this node: it was sealed with secret key \w+ and this node has key \w+/,
    );
    expect(() => readFileSync(marker)).toThrow();
  });
});

/**
 * HTTP secrets: a secret header, the URL's userinfo and a secret query value reach the server as
 * they are, are sealed in MySQL, and show as {secret: true} and *** in the API, the log, the
 * job's error and its events.
 */
describe('http task secrets (real Redis and MariaDB, a local HTTP server)', () => {
  const env = isolated();
  const BEARER = 'tk_live_http_4c2e8a';
  const PASSWORD = 'pa55-w0rd-http';
  const API_KEY = 'api-key-7d1f93';
  const secrets = [BEARER, PASSWORD, API_KEY, Buffer.from(`ada:${PASSWORD}`).toString('base64')];

  function expectNoSecret(what: string, text: string): void {
    for (const s of secrets) expect(text, `${what} shows a secret`).not.toContain(s);
  }

  /** A server that records what it was sent and echoes it back, as a careless API might. */
  async function echoServer(): Promise<{ port: number; seen: { url: string; authorization: string }[] }> {
    const seen: { url: string; authorization: string }[] = [];
    const server = createServer((req, res) => {
      const got = { url: req.url ?? '', authorization: req.headers.authorization ?? '' };
      seen.push(got);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`you sent ${got.authorization} to ${got.url}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    env.onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return { port: (server.address() as AddressInfo).port, seen };
  }

  it('sends the real values, and neither the API, MySQL, the log, the error nor events show them', async () => {
    const node = await env.node();
    const events: string[] = [];
    env.onCleanup(node.engine.context.bus.subscribe((m) => events.push(JSON.stringify(m))));
    const { port, seen } = await echoServer();
    const url = `http://ada:${PASSWORD}@127.0.0.1:${port}/hook?api_key=${API_KEY}&page=1`;
    const shownUrl = `http://ada:***@127.0.0.1:${port}/hook?api_key=***&page=1`;
    const once = { type: 'once', delayMs: 3_600_000 } as const;

    const task = await node.call('tasks.create', {
      name: 'calls an API',
      type: 'http',
      http: { url, headers: { Authorization: { value: `Bearer ${BEARER}`, secret: true }, 'X-Trace': 'plain' } },
      schedule: once,
      overlap: 'allow',
    });
    expect(task.http).toEqual({
      method: 'GET',
      url: shownUrl,
      headers: { Authorization: { secret: true }, 'X-Trace': 'plain' },
    });
    expectNoSecret('tasks.create', JSON.stringify(task));
    expectNoSecret('tasks.get', JSON.stringify(await node.call('tasks.get', { id: task.id })));
    expectNoSecret('tasks.list', JSON.stringify(await node.call('tasks.list', {})));

    const [row] = await rows(node.engine.context.pool, 'SELECT http_json FROM tasks WHERE id=?', [task.id]);
    expectNoSecret('http_json', String(row?.http_json));
    expect(String(row?.http_json)).toContain('tickr-sealed:v1:');

    // The task's own Authorization header wins over the URL's userinfo; the key reaches the server.
    const run = await runOnce(node, task.id);
    expect(run.status).toBe('succeeded');
    expect(seen.at(-1)).toEqual({ url: `/hook?api_key=${API_KEY}&page=1`, authorization: `Bearer ${BEARER}` });
    expect(run.log).toContain(`GET ${shownUrl}`);
    expect(run.log).toContain('you sent *** to /hook?api_key=***&page=1');
    expectNoSecret('the log', run.log);

    // Sent back as the API shows it ({secret: true}, ***), everything is kept.
    const shown = await node.call('tasks.get', { id: task.id });
    await node.call('tasks.update', { id: task.id, http: shown.http! });
    await node.call('tasks.update', { id: task.id, name: 'renamed' });
    expect((await runOnce(node, task.id)).status).toBe('succeeded');
    expect(seen.at(-1)).toEqual({ url: `/hook?api_key=${API_KEY}&page=1`, authorization: `Bearer ${BEARER}` });
    // Edited around them, too: the *** and {secret: true} keep the stored values.
    await node.call('tasks.update', {
      id: task.id,
      http: { ...shown.http!, url: shownUrl.replace('page=1', 'page=2') },
    });
    expect((await runOnce(node, task.id)).status).toBe('succeeded');
    expect(seen.at(-1)).toEqual({ url: `/hook?api_key=${API_KEY}&page=2`, authorization: `Bearer ${BEARER}` });
    const [edited] = await rows(node.engine.context.pool, 'SELECT http_json FROM tasks WHERE id=?', [task.id]);
    expectNoSecret('http_json after the edit', String(edited?.http_json));

    // Without a header of its own, the userinfo is sent as Basic credentials, and redacted too.
    const basic = await node.call('tasks.create', { name: 'basic', type: 'http', http: { url }, schedule: once });
    const basicRun = await runOnce(node, basic.id);
    expect(basicRun.status).toBe('succeeded');
    expect(seen.at(-1)?.authorization).toBe(`Basic ${Buffer.from(`ada:${PASSWORD}`).toString('base64')}`);
    expect(basicRun.log).toContain('you sent Basic *** to');
    expectNoSecret('the Basic log', basicRun.log);

    // A refused connection: the error quotes the URL, as it may be shown.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await node.call('tasks.create', {
      name: 'refused',
      type: 'http',
      http: {
        url: `http://ada:${PASSWORD}@127.0.0.1:${closedPort}/x?api_key=${API_KEY}`,
        headers: { Authorization: { value: `Bearer ${BEARER}`, secret: true } },
      },
      schedule: once,
      maxAttempts: 1,
    });
    const failed = await runOnce(node, refused.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain(`request to http://ada:***@127.0.0.1:${closedPort}/x?api_key=*** failed`);
    expect(failed.error).toContain('ECONNREFUSED');
    expectNoSecret('the error', JSON.stringify(failed.job));
    expectNoSecret('the failed log', failed.log);

    expectNoSecret('events', events.join('\n'));
    expect(events.some((e) => e.includes('"job.updated"'))).toBe(true);
    expectNoSecret('events.list', JSON.stringify(await node.call('events.list', { limit: 100 })));
  });
});
