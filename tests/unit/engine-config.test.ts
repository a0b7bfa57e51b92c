import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, redactUrl } from '../../src/main/engine/config';
import { tempDir } from '../helpers/services';

describe('configuration: defaults → config file → environment → flags', () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
  const dataDir = (): string => {
    const d = tempDir('tickr-config');
    dirs.push(d);
    return d.path;
  };

  it('uses the documented defaults', () => {
    const c = loadConfig({ env: {}, dataDir: dataDir() });
    expect(c).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379',
      mysqlUrl: 'mysql://root@127.0.0.1:3306/tickr',
      host: '127.0.0.1',
      port: 7420,
      redisPrefix: 'tickr:',
    });
    expect(c.concurrency).toBeGreaterThanOrEqual(1);
    expect(c.token).toBeUndefined();
  });

  it('lets later sources win', () => {
    const dir = dataDir();
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ concurrency: 3, port: 8000, nodeName: 'from-file' }));
    const c = loadConfig({
      env: { TICKR_DATA_DIR: dir, TICKR_PORT: '9000', TICKR_NODE_NAME: 'from-env' },
      flags: { nodeName: 'from-flag' },
    });
    expect(c.concurrency).toBe(3);
    expect(c.port).toBe(9000);
    expect(c.nodeName).toBe('from-flag');
    expect(c.dataDir).toBe(dir);
  });

  it('names the field and the rule of a bad value', () => {
    expect(() => loadConfig({ env: { TICKR_CONCURRENCY: '0' }, dataDir: dataDir() })).toThrow(/concurrency/);
    expect(() => loadConfig({ env: { TICKR_REDIS_URL: 'http://x' }, dataDir: dataDir() })).toThrow(
      /redisUrl: must start with redis:\/\//,
    );
    expect(() => loadConfig({ env: { TICKR_TOKEN: 'short' }, dataDir: dataDir() })).toThrow(
      /token: must be at least 16 characters/,
    );
    // A browser cannot offer it as a WebSocket subprotocol (bearer.<token>), nor read it back from #token= intact.
    expect(() => loadConfig({ env: { TICKR_TOKEN: 'with/slash+plus=0123456789' }, dataDir: dataDir() })).toThrow(
      /token: may only hold letters, digits and \. _ ~ -/,
    );
    expect(() => loadConfig({ env: { TICKR_SECRET_KEY: 'c2hvcnQ=' }, dataDir: dataDir() })).toThrow(
      /secretKey: must be 32 random bytes in base64/,
    );
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ env: { TICKR_SECRET_KEY: key }, dataDir: dataDir() }).secretKey).toBe(key);
  });

  it('rejects a config file that is not a JSON object', () => {
    const dir = dataDir();
    writeFileSync(path.join(dir, 'config.json'), '[1,2]');
    expect(() => loadConfig({ env: {}, dataDir: dir })).toThrow(/must hold a JSON object/);
  });

  it('never prints a password', () => {
    expect(redactUrl('mysql://root:s3cret@db:3306/tickr')).toBe('mysql://root:***@db:3306/tickr');
    expect(redactUrl('redis://:pw@127.0.0.1:6379')).not.toContain('pw');
  });
});

describe('passwords kept in files (a headless node)', () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('puts a 0600 file’s password into the URL, and refuses a file others may read', async () => {
    const { chmodSync } = await import('node:fs');
    const d = tempDir('tickr-pwfile');
    dirs.push(d);
    const file = path.join(d.path, 'mysql.pw');
    writeFileSync(file, 's3cret pw\n', { mode: 0o600 });
    const c = loadConfig({
      env: { TICKR_MYSQL_PASSWORD_FILE: file, TICKR_MYSQL_URL: 'mysql://tickr@127.0.0.1:3306/app' },
      dataDir: d.path,
    });
    expect(c.mysqlUrl).toBe('mysql://tickr:s3cret%20pw@127.0.0.1:3306/app');
    chmodSync(file, 0o644);
    expect(() => loadConfig({ env: { TICKR_MYSQL_PASSWORD_FILE: file }, dataDir: d.path })).toThrow(
      /TICKR_MYSQL_PASSWORD_FILE: .* must be readable by its owner only/,
    );
  });
});
