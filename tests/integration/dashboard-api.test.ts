import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHttpServer } from '../../src/main/server/http-server';
import type { MethodName, MethodOutput, Result } from '../../src/shared/contract';
import { isolated } from '../helpers/isolated';
import { REDIS_URL, waitFor } from '../helpers/services';
import type { TestNode } from '../helpers/engine';
import { callOverIpc, isAppUrl } from '../helpers/fake-ipc';

/**
 * The dashboard's four methods over both transports against a real node (Redis and MariaDB):
 * HTTP through the server, and the desktop app's IPC handlers with only `electron`'s ipcMain
 * stood in (it exists only inside Electron). Both must give the same answers and the same errors.
 */

vi.mock('electron', async () => ({ ipcMain: (await import('../helpers/fake-ipc')).ipcMain }));
const { registerIpcTransport } = await import('../../src/main/app/ipc-transport');

const TOKEN = 'dashboard-test-token-0123456789';

describe('the dashboard API over HTTP and IPC (real engine, Redis and MariaDB)', () => {
  const env = isolated('file');
  let node: TestNode;
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  let closeIpc: () => void;

  beforeAll(async () => {
    node = await env.node();
    server = await startHttpServer({ api: node.api, host: '127.0.0.1', port: 0, token: TOKEN, staticDir: null });
    closeIpc = registerIpcTransport({ api: node.api, isAppUrl, targets: () => [] }).close;
  });

  afterAll(async () => {
    closeIpc?.();
    await server?.close();
  });

  async function overHttp(method: MethodName, input: unknown): Promise<Result<unknown>> {
    const res = await fetch(`${server.url}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(input),
    });
    return (await res.json()) as Result<unknown>;
  }

  /** Calls over both transports and returns both answers' data, failing on an error envelope. */
  async function both<M extends MethodName>(method: M, input: unknown = {}): Promise<MethodOutput<M>[]> {
    const answers = [await overHttp(method, input), await callOverIpc(method, input)];
    return answers.map((a) => {
      if (!a.ok) throw new Error(`${method}: ${a.error.code} ${a.error.message}`);
      return a.data as MethodOutput<M>;
    });
  }

  it('jobs.counts and jobs.throughput count finished jobs in their windows, succeeded and failed apart', async () => {
    const ok = await node.call('tasks.create', { name: 'ok', type: 'shell', command: 'true' });
    await node.call('tasks.create', { name: 'bad', type: 'shell', command: 'exit 3', maxAttempts: 1 });
    // The manual run after the first one has ended: while it runs, overlap 'skip' would skip it.
    await waitFor(
      async () => (await node.call('jobs.list', { taskId: ok.id, status: 'succeeded' })).items.length === 1,
      {
        what: 'the first run of ok',
      },
    );
    await node.call('tasks.runNow', { id: ok.id });
    await waitFor(
      async () => {
        const { counts } = await node.call('jobs.counts', {});
        return counts.succeeded === 2 && counts.failed === 1;
      },
      { what: 'two successes and one failure' },
    );
    // Older history, written as the engine would have: 2 h ago counts for the day, not the hour;
    // 30 h ago for neither; a job waiting since then still waits and counts.
    const pool = node.engine.context.pool;
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    const insert = (status: string, finishedAt: Date | null, at: Date) =>
      pool.query(
        `INSERT INTO jobs (task_id, status, attempt, max_attempts, scheduled_for, due_at, finished_at, created_at, updated_at)
         VALUES (?, ?, 1, 1, ?, ?, ?, ?, ?)`,
        [ok.id, status, at, new Date(Date.now() + 86_400_000 * 365), finishedAt, at, at],
      );
    await insert('succeeded', hoursAgo(2), hoursAgo(2));
    await insert('failed', hoursAgo(30), hoursAgo(30));
    await insert('waiting', null, hoursAgo(30));

    const [counts, countsIpc] = await both('jobs.counts');
    expect(countsIpc!.counts).toEqual(counts!.counts);
    expect(counts!.counts).toMatchObject({ succeeded: 3, failed: 1, waiting: 1, running: 0, cancelled: 0 });
    expect(Date.now() - Date.parse(counts!.since)).toBeGreaterThanOrEqual(86_400_000 - 5_000);

    const [throughput, throughputIpc] = await both('jobs.throughput');
    expect(throughputIpc!.minutes).toEqual(throughput!.minutes);
    expect(throughput!.minutes).toHaveLength(60);
    const total = (k: 'succeeded' | 'failed') => throughput!.minutes.reduce((n, m) => n + m[k], 0);
    expect({ succeeded: total('succeeded'), failed: total('failed') }).toEqual({ succeeded: 2, failed: 1 });
    // The runs just now fall in the last minutes (the current one, or the one before at a minute's turn).
    const recent = throughput!.minutes.slice(-2).reduce((n, m) => n + m.succeeded + m.failed, 0);
    expect(recent).toBe(3);
    const starts = throughput!.minutes.map((m) => Date.parse(m.minute));
    expect(starts.every((t, i) => i === 0 || t - starts[i - 1]! === 60_000)).toBe(true);
  });

  it('tasks.upcoming lists every enabled task’s runs in the next 24 h, soonest first, capped', async () => {
    const hourly = await node.call('tasks.create', {
      name: 'hourly',
      type: 'shell',
      command: 'true',
      schedule: { type: 'cron', expr: '0 * * * *', timezone: 'UTC' },
    });
    const paused = await node.call('tasks.create', {
      name: 'paused',
      type: 'shell',
      command: 'true',
      schedule: { type: 'cron', expr: '30 * * * *', timezone: 'UTC' },
      enabled: false,
    });
    const [answer, answerIpc] = await both('tasks.upcoming', {});
    expect(answerIpc!.items).toEqual(answer!.items);
    const hourlyRuns = answer!.items.filter((r) => r.taskId === hourly.id);
    expect(hourlyRuns).toHaveLength(24);
    expect(hourlyRuns.every((r) => new Date(r.at).getUTCMinutes() === 0)).toBe(true);
    expect(hourlyRuns[0]!.taskName).toBe('hourly');
    expect(answer!.items.some((r) => r.taskId === paused.id)).toBe(false);
    const times = answer!.items.map((r) => r.at);
    expect([...times].sort()).toEqual(times);
    expect(answer!.truncated).toBe(false);

    await node.call('tasks.create', {
      name: 'every second',
      type: 'shell',
      command: 'true',
      schedule: { type: 'interval', everyMs: 1_000 },
      enabled: true,
    });
    const [capped] = await both('tasks.upcoming', { limit: 50 });
    expect(capped!.items).toHaveLength(50);
    expect(capped!.truncated).toBe(true);
  });

  it('health.history serves the probes’ latencies, the servers’ facts and the last Redis rebuild', async () => {
    await waitFor(async () => (await node.call('health.history', {})).redis.samples.length >= 3, {
      what: 'three Redis probes',
    });
    // Lose Redis's state the way a restart without persistence would: the marker goes.
    const admin = new Redis(REDIS_URL);
    try {
      await admin.del(node.engine.context.queue.keys.generation);
      await node.engine.redisState.check();
      const info = await admin.info('server');
      const [history, historyIpc] = await both('health.history');
      expect(historyIpc!.redis.server).toEqual(history!.redis.server);
      const { redis, mysql } = history!;
      expect(history!.windowMs).toBe(15 * 60_000);
      expect(redis.samples.length).toBeGreaterThanOrEqual(3);
      expect(redis.samples.every((s) => s.latencyMs === null || s.latencyMs >= 0)).toBe(true);
      expect(mysql.samples.length).toBeGreaterThanOrEqual(3);
      expect(redis.server?.version).toBe(/redis_version:(\S+)/.exec(info)?.[1]);
      expect(redis.server?.usedMemoryBytes).toBeGreaterThan(0);
      expect(['rdb', 'aof', 'rdb+aof', 'none', 'unknown']).toContain(redis.server?.persistence);
      expect(mysql.server?.version).toMatch(/^\d+\.\d+/);
      expect(redis.lastStateLoss).toMatchObject({ reason: 'generation marker missing' });
      expect(redis.lastStateLoss!.jobs).toBeGreaterThanOrEqual(0);
      expect(Date.now() - Date.parse(redis.lastStateLoss!.at)).toBeLessThan(30_000);
    } finally {
      admin.disconnect();
    }
  });

  it('refuses a bad input the same way over both transports', async () => {
    for (const answer of [
      await overHttp('tasks.upcoming', { limit: 0 }),
      await callOverIpc('tasks.upcoming', { limit: 0 }),
    ]) {
      expect(answer).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
      expect(!answer.ok && answer.error.message).toContain('limit');
    }
    expect(await callOverIpc('jobs.counts', { since: 'yesterday' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
  });
});
