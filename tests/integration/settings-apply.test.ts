import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/private-servers.mjs';
import { createApi } from '../../src/main/api';
import { desktopSettings } from '../../src/main/app/desktop-settings';
import { EngineSwitch } from '../../src/main/app/engine-switch';
import { SettingsStore } from '../../src/main/app/settings-store';
import { swappableApi } from '../../src/main/app/swappable-api';
import { Engine } from '../../src/main/engine/engine';
import type { KeyProtector } from '../../src/main/engine/secrets/secret-key';
import type { EventMessage } from '../../src/shared/contract';
import type { Health, Job, SettingsApply, Task } from '../../src/shared/types';
import { quietLogger } from '../helpers/engine';
import {
  createTestDatabase,
  dropPrefix,
  REDIS_URL,
  tempDir,
  testPrefix,
  waitFor,
  type TestDatabase,
} from '../helpers/services';

/**
 * A settings change applied without restarting the app, with real engines on the shared Redis
 * and MariaDB, wired as src/main/index.ts wires them: the engine drains, a new one starts with
 * the new settings behind the same API object and event stream, and a connection that fails its
 * test is refused while the running engine goes on.
 */
const noKeychain: KeyProtector = {
  name: 'none',
  available: async () => false,
  protect: async () => Buffer.alloc(0),
  unprotect: async () => '',
};

describe('applying settings in the desktop app, with real engines', () => {
  let db: TestDatabase;
  const prefix = testPrefix();
  const dir = tempDir('tickr-apply-int');
  let engines: EngineSwitch<Engine>;
  const shared = swappableApi();
  const heard: EventMessage[] = [];

  const call = async <T>(method: string, input: unknown = {}): Promise<T> => {
    const r = await shared.api.call(method, input);
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
    return r.data as T;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    writeFileSync(
      path.join(dir.path, 'config.json'),
      JSON.stringify({
        redisUrl: REDIS_URL,
        mysqlUrl: db.url,
        redisPrefix: prefix,
        concurrency: 3,
        nodeName: 'before',
        leaseMs: 5_000,
        heartbeatMs: 1_000,
        drainTimeoutMs: 5_000,
      }),
    );
    const store = new SettingsStore(dir.path, noKeychain, {});
    engines = new EngineSwitch<Engine>({
      create: (c) => new Engine(c, { logger: quietLogger }),
      onSwap: (next) => shared.swap(createApi(next, settings)),
      onProgress: (p) => shared.emit({ event: 'settings.progress', data: p }),
    });
    const settings = desktopSettings({ store, engines, applyDesktop: () => undefined });
    shared.api.subscribe((m) => heard.push(m));
    await engines.start(await store.engineConfig());
  });

  afterAll(async () => {
    await engines?.stop();
    await dropPrefix(prefix);
    await db?.drop();
    dir.remove();
  });

  it('drains, starts a new engine with the new settings, and the same API and event stream follow it', async () => {
    const first = engines.engine;
    await waitFor(async () => (await call<Health>('health.get')).mysql.status === 'up', { what: 'MySQL up' });

    const answer = await call<{ concurrency: number; nodeName: string; apply: SettingsApply }>('settings.update', {
      concurrency: 2,
      nodeName: 'after',
    });
    expect(answer).toMatchObject({ concurrency: 2, nodeName: 'after', apply: { state: 'done' } });
    expect(engines.engine).not.toBe(first);
    const progress = heard.filter((m) => m.event === 'settings.progress').map((m) => (m.data as SettingsApply).state);
    expect(progress).toEqual(['validating', 'draining', 'connecting', 'done']);

    const health = await call<Health>('health.get');
    expect(health.node).toMatchObject({ name: 'after', concurrency: 2 });

    // A job run through the same API object, heard through the same subscription.
    const task = await call<Task>('tasks.create', {
      name: 'after-swap',
      type: 'shell',
      command: 'echo swapped',
      schedule: { type: 'once', delayMs: 3_600_000 },
    });
    const job = await call<Job>('tasks.runNow', { id: task.id });
    await waitFor(
      async () =>
        heard.some(
          (m) => m.event === 'job.updated' && (m.data as Job).id === job.id && (m.data as Job).status === 'succeeded',
        ),
      { what: 'the job to succeed on the new engine', timeoutMs: 15_000 },
    );
    expect((await call<Job>('jobs.get', { id: job.id })).nodeId).toBe(health.node.id);
  });

  it('lets a running job finish before the new engine starts (a drain, not a kill)', async () => {
    const task = await call<Task>('tasks.create', {
      name: 'long-runner',
      type: 'shell',
      command: 'sleep 1; echo finished',
      schedule: { type: 'once', delayMs: 3_600_000 },
    });
    const job = await call<Job>('tasks.runNow', { id: task.id });
    await waitFor(async () => (await call<Job>('jobs.get', { id: job.id })).status === 'running', {
      what: 'the job to start',
    });
    await call('settings.update', { concurrency: 3 });
    const done = await call<Job & { attempts: { outcome: string }[] }>('jobs.get', { id: job.id });
    expect(done.status).toBe('succeeded');
    expect(done.attempts.map((a) => a.outcome)).toEqual(['succeeded']);
    expect((await call<Health>('health.get')).node.concurrency).toBe(3);
  });

  it('refuses a MySQL that does not answer, and the running engine goes on', async () => {
    const running = engines.engine;
    const port = await freePort();
    await expect(
      call('settings.update', { mysql: { url: `mysql://root@127.0.0.1:${port}/tickr` } }),
    ).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^mysql\.url: the connection to 127\.0\.0\.1:\d+ was refused/),
    });
    expect(engines.engine).toBe(running);
    expect((await call<Health>('health.get')).mysql.status).toBe('up');
    expect(await call<{ mysql: { url: string } }>('settings.get')).toMatchObject({ mysql: { url: db.url } });
  });
});
