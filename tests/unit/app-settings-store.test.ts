import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers/services';

/** The desktop settings store, with safeStorage mocked through the `electron` module. */

const electron = vi.hoisted(() => ({
  safeStorage: {
    available: true,
    isAsyncEncryptionAvailable: vi.fn(() => Promise.resolve(electron.safeStorage.available)),
    getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'),
    encryptStringAsync: vi.fn((s: string) => Promise.resolve(Buffer.from(`enc(${[...s].reverse().join('')})`))),
    decryptStringAsync: vi.fn((b: Buffer) =>
      Promise.resolve({ result: [...b.toString().slice(4, -1)].reverse().join(''), shouldReEncrypt: false }),
    ),
  },
}));
vi.mock('electron', () => ({ safeStorage: electron.safeStorage }));

const { keychainProtector } = await import('../../src/main/app/key-protector');
const { SettingsStore, CONFIG_FILE, CREDENTIALS_FILE } = await import('../../src/main/app/settings-store');

describe('the desktop settings store', () => {
  let dir: { path: string; remove(): void };
  const store = () => new SettingsStore(dir.path, keychainProtector('linux'), {});
  beforeEach(() => {
    dir = tempDir('tickr-settings');
    electron.safeStorage.available = true;
  });
  afterEach(() => dir.remove());

  const save = async (redisUrl: string, mysqlUrl: string) => {
    const s = store();
    const next = s.preview(await s.engineConfig(), { redisUrl, mysqlUrl, concurrency: 3, nodeName: 'desk' });
    await s.saveEngine(next);
    return next;
  };

  it('keeps passwords out of config.json, sealed by the keychain, and puts them back for the engine', async () => {
    await save('rediss://:r3dis-pass@127.0.0.1:6380?tls-verify=0', 'mysql://tickr:my-s3cret@127.0.0.1:3306/app');
    const config = readFileSync(path.join(dir.path, CONFIG_FILE), 'utf8');
    expect(config).not.toContain('r3dis-pass');
    expect(config).not.toContain('my-s3cret');
    expect(JSON.parse(config)).toMatchObject({
      redisUrl: 'rediss://127.0.0.1:6380?tls-verify=0',
      mysqlUrl: 'mysql://tickr@127.0.0.1:3306/app',
      concurrency: 3,
      nodeName: 'desk',
    });
    const credentials = readFileSync(path.join(dir.path, CREDENTIALS_FILE), 'utf8');
    expect(credentials).not.toContain('my-s3cret');
    expect(JSON.parse(credentials).protectedBy).toBe('keychain');
    expect(statSync(path.join(dir.path, CREDENTIALS_FILE)).mode & 0o777).toBe(0o600);
    expect(electron.safeStorage.encryptStringAsync).toHaveBeenCalledWith('my-s3cret');

    const loaded = await store().engineConfig();
    expect(loaded.mysqlUrl).toBe('mysql://tickr:my-s3cret@127.0.0.1:3306/app');
    expect(loaded.redisUrl).toBe('rediss://:r3dis-pass@127.0.0.1:6380?tls-verify=0');
    expect(loaded.concurrency).toBe(3);
  });

  it('without a keychain, keeps the passwords in a user-only file, never in config.json', async () => {
    electron.safeStorage.available = false;
    await save('redis://127.0.0.1:6379', 'mysql://root:plain-pw@127.0.0.1:3306/tickr');
    expect(readFileSync(path.join(dir.path, CONFIG_FILE), 'utf8')).not.toContain('plain-pw');
    expect(JSON.parse(readFileSync(path.join(dir.path, CREDENTIALS_FILE), 'utf8')).protectedBy).toBe('none');
    expect(statSync(path.join(dir.path, CREDENTIALS_FILE)).mode & 0o777).toBe(0o600);
    expect((await store().engineConfig()).mysqlUrl).toBe('mysql://root:plain-pw@127.0.0.1:3306/tickr');
  });

  it('keeps the other keys of an existing config.json', async () => {
    writeFileSync(path.join(dir.path, CONFIG_FILE), JSON.stringify({ port: 7777, redisPrefix: 'mine:' }));
    await save('redis://127.0.0.1:6379', 'mysql://root@127.0.0.1:3306/tickr');
    expect(JSON.parse(readFileSync(path.join(dir.path, CONFIG_FILE), 'utf8'))).toMatchObject({
      port: 7777,
      redisPrefix: 'mine:',
      concurrency: 3,
    });
  });

  it('refuses a bad value, naming the field, before writing anything', async () => {
    const s = store();
    const now = await s.engineConfig();
    expect(() => s.preview(now, { redisUrl: 'http://127.0.0.1' })).toThrow(/redisUrl: must start with redis:\/\//);
    expect(() => s.preview(now, { concurrency: 0 })).toThrow(/concurrency/);
  });

  it('stores the window preferences, with defaults for what was never set', () => {
    const s = store();
    expect(s.readDesktop()).toEqual({
      theme: 'system',
      notifications: { jobFailed: true, serviceDown: true, serviceUp: true },
      launchAtLogin: false,
      closeToTray: true,
    });
    s.saveDesktop({ theme: 'dark', notifications: { jobFailed: false }, closeToTray: false });
    expect(store().readDesktop()).toEqual({
      theme: 'dark',
      notifications: { jobFailed: false, serviceDown: true, serviceUp: true },
      launchAtLogin: false,
      closeToTray: false,
    });
  });
});
