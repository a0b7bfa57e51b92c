import { describe, expect, it, vi } from 'vitest';
import { headlessSettings, resolvePassword } from '../../src/main/api/settings';
import { desktopSettings } from '../../src/main/app/desktop-settings';
import { EngineSwitch, type SwitchableEngine } from '../../src/main/app/engine-switch';
import { SettingsStore } from '../../src/main/app/settings-store';
import { swappableApi } from '../../src/main/app/swappable-api';
import type { EngineConfig } from '../../src/main/engine/config';
import type { KeyProtector } from '../../src/main/engine/secrets/secret-key';
import type { ConnectionTestResult, SettingsApply } from '../../src/shared/types';
import { tempDir } from '../helpers/services';

/** Applying settings without a restart: validated first, then drain, a new engine, the swap. */

class FakeEngine implements SwitchableEngine {
  static made: FakeEngine[] = [];
  running = false;
  stopped = false;
  storeReady = true;
  constructor(
    readonly config: EngineConfig,
    private readonly failStart = false,
  ) {
    FakeEngine.made.push(this);
  }
  async start(): Promise<void> {
    if (this.failStart) throw new Error('secret.key: cannot be read');
    this.running = true;
  }
  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
  }
}

const noKeychain: KeyProtector = {
  name: 'none',
  available: async () => false,
  protect: async () => Buffer.alloc(0),
  unprotect: async () => '',
};

const passing = (service: 'redis' | 'mysql'): ConnectionTestResult => ({
  service,
  ok: true,
  target: '',
  problem: null,
  serverVersion: '8.0.36',
  warnings: [],
  tookMs: 1,
});

async function setUp(opts: { failNextStart?: (c: EngineConfig) => boolean; testOk?: boolean } = {}) {
  FakeEngine.made = [];
  const dir = tempDir('tickr-apply');
  const store = new SettingsStore(dir.path, noKeychain, {});
  const progress: SettingsApply[] = [];
  const swaps: FakeEngine[] = [];
  const engines = new EngineSwitch<FakeEngine>({
    create: (c) => new FakeEngine(c, opts.failNextStart?.(c) ?? false),
    onSwap: (next) => swaps.push(next),
    onProgress: (p) => progress.push(p),
  });
  const first = await engines.start(await store.engineConfig());
  const test = vi.fn(async ({ service }: { service: 'redis' | 'mysql' }) =>
    opts.testOk === false
      ? { ...passing(service), ok: false, problem: { code: 'AUTH_FAILED' as const, message: 'authentication failed' } }
      : passing(service),
  );
  const applied: unknown[] = [];
  const settings = desktopSettings({ store, engines, applyDesktop: (d) => applied.push(d), test });
  return { dir, store, engines, first, settings, progress, swaps, test, applied };
}

describe('applying settings without a restart', () => {
  it('drains the old engine, then starts and swaps in a new one with the new settings', async () => {
    const t = await setUp();
    const answer = await t.settings.update({ concurrency: 7, nodeName: 'renamed' });
    expect(t.first.stopped).toBe(true);
    const now = t.engines.engine;
    expect(now).not.toBe(t.first);
    expect(now.running).toBe(true);
    expect(now.config).toMatchObject({ concurrency: 7, nodeName: 'renamed' });
    expect(t.swaps.at(-1)).toBe(now);
    expect(t.progress.map((p) => p.state)).toEqual(['validating', 'draining', 'connecting', 'done']);
    expect(answer).toMatchObject({ concurrency: 7, nodeName: 'renamed', apply: { state: 'done' } });
    t.dir.remove();
  });

  it('refuses a connection that fails its test and leaves the old engine running', async () => {
    const t = await setUp({ testOk: false });
    await expect(
      t.settings.update({ mysql: { url: 'mysql://tickr@127.0.0.1:3306/tickr', password: 'wrong' } }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', message: 'mysql.url: authentication failed' });
    expect(t.first.running).toBe(true);
    expect(t.first.stopped).toBe(false);
    expect(FakeEngine.made).toHaveLength(1);
    expect(t.progress.at(-1)?.state).toBe('failed');
    t.dir.remove();
  });

  it('refuses an invalid value by its field before anything is stopped', async () => {
    const t = await setUp();
    await expect(t.settings.update({ redis: { url: 'redis://127.0.0.1:6379?x' }, logCapBytes: 10 })).rejects.toThrow(
      /^logCapBytes: /,
    );
    expect(t.first.running).toBe(true);
    t.dir.remove();
  });

  it('starts the previous settings again when the new engine cannot start', async () => {
    const t = await setUp({ failNextStart: (c) => c.concurrency === 9 });
    await expect(t.settings.update({ concurrency: 9 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    const now = t.engines.engine;
    expect(now.running).toBe(true);
    expect(now.config.concurrency).toBe(t.first.config.concurrency);
    expect(t.progress.at(-1)?.state).toBe('failed');
    t.dir.remove();
  });

  it('applies window preferences without touching the engine', async () => {
    const t = await setUp();
    const answer = await t.settings.update({ desktop: { theme: 'dark', launchAtLogin: true } });
    expect(t.first.running).toBe(true);
    expect(FakeEngine.made).toHaveLength(1);
    expect(t.applied).toHaveLength(1);
    expect(answer.desktop).toMatchObject({ theme: 'dark', launchAtLogin: true, closeToTray: true });
    t.dir.remove();
  });

  it('never answers a password: passwordSet instead', async () => {
    const t = await setUp();
    await t.settings.update({ mysql: { url: 'mysql://tickr@127.0.0.1:3306/tickr', password: 'hunter2-xyz' } });
    const answer = await t.settings.get();
    expect(JSON.stringify(answer)).not.toContain('hunter2-xyz');
    expect(answer.mysql).toEqual({ url: 'mysql://tickr@127.0.0.1:3306/tickr', passwordSet: true });
    expect(t.engines.engine.config.mysqlUrl).toBe('mysql://tickr:hunter2-xyz@127.0.0.1:3306/tickr');
    t.dir.remove();
  });
});

describe('the saved password', () => {
  it('is used only for the saved host, port and user', () => {
    const saved = 'mysql://tickr:saved-pw@127.0.0.1:3306/tickr';
    expect(resolvePassword('mysql://tickr@127.0.0.1:3306/other', undefined, saved)).toBe(
      'mysql://tickr:saved-pw@127.0.0.1:3306/other',
    );
    expect(resolvePassword('mysql://tickr@localhost:3306/tickr', undefined, saved)).toBe(
      'mysql://tickr@localhost:3306/tickr',
    );
    expect(resolvePassword('mysql://root@127.0.0.1:3306/tickr', undefined, saved)).not.toContain('saved-pw');
    expect(resolvePassword('mysql://tickr@127.0.0.1:3306/tickr', 'typed', saved)).toContain(':typed@');
  });
});

describe('a headless node', () => {
  it('shows its settings but refuses to change them over the API', async () => {
    const dir = tempDir('tickr-headless');
    const s = headlessSettings({
      storeReady: false,
      config: { ...(await new SettingsStore(dir.path, noKeychain, {}).engineConfig()) },
    });
    const answer = await s.get();
    expect(answer).toMatchObject({ editable: false, desktop: null, firstRun: true });
    await expect(s.update({ concurrency: 2 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    dir.remove();
  });
});

describe('the swappable API', () => {
  it('moves listeners to the new engine and routes calls to it', async () => {
    const s = swappableApi();
    const heard: string[] = [];
    s.api.subscribe((m) => heard.push(`${m.event}`));
    const make = (name: string) => {
      let listener: ((m: never) => void) | null = null;
      return {
        call: async () => ({ ok: true as const, data: name }),
        subscribe: (l: (m: never) => void) => {
          listener = l;
          return () => (listener = null);
        },
        fire: () => listener?.({ event: `queue.changed`, data: { reason: name } } as never),
      };
    };
    const a = make('a');
    const b = make('b');
    s.swap(a);
    a.fire();
    s.swap(b);
    a.fire(); // unsubscribed: not heard
    b.fire();
    s.emit({ event: 'settings.progress', data: { state: 'done', message: '', at: null } });
    expect(heard).toEqual(['queue.changed', 'queue.changed', 'settings.progress']);
    expect(await s.api.call('health.get', {})).toEqual({ ok: true, data: 'b' });
  });
});
