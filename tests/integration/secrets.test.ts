import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TestNode } from '../helpers/engine';
import { rows } from '../helpers/jobs';
import { isolated } from '../helpers/isolated';
import { waitFor } from '../helpers/services';

/**
 * Secret env values (DESIGN.md §4): sealed in MySQL, never returned by the API, redacted from the
 * job's log, and still handed to the job in clear; kept across updates that do not send them.
 */
describe('secret env values (real Redis and MariaDB)', () => {
  const env = isolated();
  const SECRET = 'tk_live_9f8e7d6c5b4a';

  async function runOnce(
    node: TestNode,
    taskId: string,
  ): Promise<{ status: string; error: string | null; log: string; attempts: number }> {
    const job = await node.call('tasks.runNow', { id: taskId });
    const done = await waitFor(
      async () => {
        const j = await node.call('jobs.get', { id: job.id });
        return ['succeeded', 'failed'].includes(j.status) ? j : null;
      },
      { what: `job ${job.id} to finish` },
    );
    const log = (await node.call('jobs.logs', { id: job.id, limit: 1000 })).items.map((e) => e.text).join('');
    return { status: done.status, error: done.error, log, attempts: done.attempts.length };
  }

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
