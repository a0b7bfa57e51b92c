import { describe, expect, it } from 'vitest';
import type { EventMessage } from '../../src/shared/contract';
import type { TaskCreateInput } from '../../src/shared/schemas';
import type { Job } from '../../src/shared/types';
import type { TestNode } from '../helpers/engine';
import { isolated } from '../helpers/isolated';
import { count } from '../helpers/jobs';
import { waitFor } from '../helpers/services';

/**
 * What a hostile or careless client did to a node, through the public API, and what must hold
 * instead: nothing stuck, nothing half-written, one bad row never takes the node down.
 */
describe('hostile inputs (real Redis and MariaDB)', () => {
  const env = isolated();

  async function finished(node: TestNode, jobId: string): Promise<Job> {
    return waitFor(
      async () => {
        const job = await node.call('jobs.get', { id: jobId });
        return ['succeeded', 'failed', 'cancelled', 'skipped'].includes(job.status) ? job : null;
      },
      { timeoutMs: 20_000, what: `job ${jobId} to finish` },
    );
  }

  /** A shell task whose one run is an hour away: the test decides what happens to its job. */
  async function laterTask(node: TestNode, name: string, extra: Partial<TaskCreateInput> = {}) {
    const task = await node.call('tasks.create', {
      name,
      type: 'shell',
      command: 'true',
      schedule: { type: 'once', delayMs: 3_600_000 },
      ...extra,
    });
    const [job] = (await node.call('jobs.list', { taskId: task.id })).items;
    return { task, job: job! };
  }

  async function tableCounts(node: TestNode): Promise<number[]> {
    const pool = node.engine.context.pool;
    return Promise.all(['tasks', 'jobs', 'attempts', 'job_logs'].map((t) => count(pool, `SELECT COUNT(*) FROM ${t}`)));
  }

  /** Writes a zero date into a row, as MariaDB did for a time past 9999 (strict mode off for this session only). */
  async function zeroDate(node: TestNode, table: 'jobs' | 'tasks', column: string, id: string): Promise<void> {
    const conn = await node.engine.context.pool.getConnection();
    try {
      await conn.query("SET SESSION sql_mode=''");
      await conn.query(`UPDATE ${table} SET ${column}='0000-00-00 00:00:00' WHERE id=?`, [id]);
    } finally {
      conn.destroy(); // not back to the pool with that sql_mode
    }
  }

  it('a time past year 9999 is a 400 naming the field, and nothing is written', async () => {
    const node = await env.node();
    const before = await tableCounts(node);
    await expect(
      node.call('tasks.create', {
        name: 'x',
        type: 'shell',
        command: 'true',
        schedule: { type: 'once', at: '9999-12-31T23:59:59-14:00' },
      }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('schedule.at: must be between') });
    expect(await tableCounts(node)).toEqual(before);
    // The node is fine: it still runs a job.
    const task = await node.call('tasks.create', { name: 'ok', type: 'shell', command: 'true' });
    const [job] = (await node.call('jobs.list', { taskId: task.id })).items;
    expect((await finished(node, job!.id)).status).toBe('succeeded');
  });

  it('an unreadable row is left out of lists and of the Redis rebuild, recorded as an event, and the node goes on', async () => {
    const node = await env.node();
    const later = { type: 'once' as const, delayMs: 3_600_000 };
    const bad = await node.call('tasks.create', { name: 'bad', type: 'shell', command: 'true', schedule: later });
    const good = await node.call('tasks.create', { name: 'good', type: 'shell', command: 'true', schedule: later });
    const [badJob] = (await node.call('jobs.list', { taskId: bad.id })).items;
    await zeroDate(node, 'jobs', 'due_at', badJob!.id);
    await zeroDate(node, 'tasks', 'created_at', bad.id);

    const jobs = await node.call('jobs.list', {});
    expect(jobs.items.map((j) => j.taskId)).toEqual([good.id]);
    const tasks = await node.call('tasks.list', {});
    expect(tasks.items.map((t) => t.id)).toEqual([good.id]);

    // Redis loses its state (its marker and probe counter, as a FLUSHALL would): the rebuild
    // reads every queued row, the bad one included.
    const { keys } = node.engine.context.queue;
    await node.engine.context.redis.del(keys.generation, keys.mysqlProbes);
    const events = await waitFor(
      async () => {
        const page = await node.call('events.list', { limit: 100 });
        // The first rebuild is the node's start on a fresh prefix; the second is the one asked for.
        const rebuilt = page.items.filter((e) => e.kind === 'redis.rebuilt').length >= 2;
        return rebuilt ? page.items.filter((e) => e.kind === 'store.unreadable') : null;
      },
      { what: 'the rebuild' },
    );
    const messages = events.map((e) => e.message).join('\n');
    expect(messages).toContain(`jobs.list: jobs ${badJob!.id}`);
    expect(messages).toContain(`tasks.list: tasks ${bad.id}`);
    expect(messages).toContain(`Redis rebuild: jobs ${badJob!.id}`);
    // Reported once per row and place, however often the list is read.
    await node.call('jobs.list', {});
    const again = (await node.call('events.list', { limit: 100 })).items.filter((e) => e.kind === 'store.unreadable');
    expect(again).toHaveLength(events.length);

    const next = await node.call('tasks.create', { name: 'after', type: 'shell', command: 'true' });
    const [job] = (await node.call('jobs.list', { taskId: next.id })).items;
    expect((await finished(node, job!.id)).status).toBe('succeeded');
  });

  it('an error text longer than its column is cut to fit with a marker: the job ends failed, not running', async () => {
    const node = await env.node();
    const cwd = `/nonexistent/${'d'.repeat(2_100)}`;
    const task = await node.call('tasks.create', {
      name: 'long cwd',
      type: 'shell',
      command: 'true',
      cwd,
      maxAttempts: 1,
    });
    const [job] = (await node.call('jobs.list', { taskId: task.id })).items;
    const done = await finished(node, job!.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/^cwd: directory \/nonexistent\/d+… \[cut to fit\]$/);
    expect(Array.from(done.error!).length).toBe(2_000);
  });

  it('a result MySQL refuses still ends the job, as failed with the reason, and the next occurrence runs', async () => {
    const node = await env.node();
    const pool = node.engine.context.pool;
    // Stands in for any value MySQL refuses to store: a succeeded outcome cannot be written.
    await pool.query(`CREATE TRIGGER refuse_success BEFORE UPDATE ON attempts FOR EACH ROW
      BEGIN IF NEW.outcome = 'succeeded' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by a test'; END IF; END`);
    const task = await node.call('tasks.create', {
      name: 'every second',
      type: 'shell',
      command: 'true',
      schedule: { type: 'interval', everyMs: 1_000 },
    });
    const first = await waitFor(
      async () => (await node.call('jobs.list', { taskId: task.id, status: 'failed' })).items[0],
      { what: 'the refused job to end' },
    );
    expect(first.error).toMatch(/^failed: the result could not be recorded: .*refused by a test/);
    await pool.query('DROP TRIGGER refuse_success');
    const later = await waitFor(
      async () => (await node.call('jobs.list', { taskId: task.id, status: 'succeeded' })).items[0],
      { what: 'a later occurrence to succeed' },
    );
    expect(Number(later.id)).toBeGreaterThan(Number(first.id));
    expect(
      await count(pool, "SELECT COUNT(*) FROM jobs WHERE task_id=? AND status='running'", [task.id]),
    ).toBeLessThanOrEqual(1);
  });

  it('a job left running under this node that its runner does not hold is not renewed: its lease runs out and it is retried', async () => {
    const node = await env.node();
    const pool = node.engine.context.pool;
    const { job } = await laterTask(node, 'orphan', { retryDelayMs: 0 });
    // As a result that could not be written leaves it: running here, in MySQL only.
    await pool.query(
      `UPDATE jobs SET status='running', attempt=1, node_id=?, claim_token='lost', started_at=NOW(3),
         lease_until=DATE_ADD(NOW(3), INTERVAL 2 SECOND) WHERE id=?`,
      [node.engine.nodeId, job.id],
    );
    const done = await finished(node, job.id);
    expect(done.status).toBe('succeeded');
    expect(done.attempt).toBe(2);
  });

  it('a secret written in two pieces is redacted in the log and its events, however the output is cut', async () => {
    const node = await env.node();
    const secret = 'split-secret-0123456789';
    const streamed: string[] = [];
    const unsubscribe = node.engine.bus.subscribe((m) => {
      if (m.event === 'job.log') streamed.push(...(m as EventMessage<'job.log'>).data.entries.map((e) => e.text));
    });
    try {
      const task = await node.call('tasks.create', {
        name: 'split',
        type: 'shell',
        // The issue's own command: all but the last 3 characters, a pause, then the rest.
        command: 'printf %s "${K%???}"; sleep 0.02; echo "${K#${K%???}}"; printf %s "$K" >&2; exit 3',
        env: { K: { value: secret, secret: true } },
        maxAttempts: 1,
      });
      const [job] = (await node.call('jobs.list', { taskId: task.id })).items;
      const done = await finished(node, job!.id);
      expect(done.status).toBe('failed');
      const log = (await node.call('jobs.logs', { id: job!.id })).items;
      expect(
        log
          .filter((e) => e.stream === 'stdout')
          .map((e) => e.text)
          .join(''),
      ).toBe('***\n');
      expect(
        log
          .filter((e) => e.stream === 'stderr')
          .map((e) => e.text)
          .join(''),
      ).toBe('***');
      const everything = JSON.stringify({ log, done, streamed, events: await node.call('events.list', {}) });
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(secret.slice(0, -3));
    } finally {
      unsubscribe();
    }
  });

  it('a command the shell cannot be given (a NUL byte written around the API) fails its job, and the task runs again once fixed', async () => {
    const node = await env.node();
    const pool = node.engine.context.pool;
    const { task } = await laterTask(node, 'nul', { command: 'echo fine' });
    await pool.query('UPDATE tasks SET command=? WHERE id=?', ['echo a\0b', task.id]);
    const broken = await finished(node, (await node.call('tasks.runNow', { id: task.id })).id);
    expect(broken.status).toBe('failed');
    expect(broken.attempt).toBe(1); // not retried: the same input fails the same way
    expect(broken.error).toMatch(/^could not start: /);
    await node.call('tasks.update', { id: task.id, command: 'echo fixed' });
    const fixed = await finished(node, (await node.call('tasks.runNow', { id: task.id })).id);
    expect(fixed.status).toBe('succeeded');
  });

  it('an http request that fails is logged once, with its reason', async () => {
    const node = await env.node();
    const task = await node.call('tasks.create', {
      name: 'closed port',
      type: 'http',
      http: { url: 'http://127.0.0.1:9/never' },
      maxAttempts: 1,
    });
    const [job] = (await node.call('jobs.list', { taskId: task.id })).items;
    const done = await finished(node, job!.id);
    expect(done.status).toBe('failed');
    const log = (await node.call('jobs.logs', { id: job!.id })).items.map((e) => e.text).join('');
    expect(log.split('request to http://127.0.0.1:9/never failed').length - 1).toBe(1);
  });
});
