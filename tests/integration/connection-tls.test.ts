import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowDataPacket } from 'mysql2/promise';
import { freePort, startPrivateMariadb, type PrivateServer } from '../../scripts/private-servers.mjs';
import { testConnection } from '../../src/main/engine/health/connection-test';
import { openRedisConnections } from '../../src/main/engine/queue/connections';
import { createPool, ensureDatabase, parseMysqlUrl } from '../../src/main/engine/store/db';
import { tempDir, waitFor } from '../helpers/services';
import { makeTestCertificates, type TestCertificates } from '../helpers/test-certificates';

/**
 * TLS that works, against a private Redis speaking only TLS with a certificate from a CA made
 * for the test: untrusted without the CA, trusted with `tls-ca`, accepted unchecked with
 * `tls-verify=0`, and the engine's own connections use the same options.
 */
describe('TLS to Redis (a private TLS-only redis-server)', () => {
  const dir = tempDir('tickr-tls');
  let port: number;
  let server: ChildProcess | null = null;
  let certs: TestCertificates;

  beforeAll(async () => {
    certs = makeTestCertificates(dir.path);
    port = await freePort();
    server = spawn(
      'redis-server',
      [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir.path,
        '--tls-cert-file',
        certs.serverCert,
        '--tls-key-file',
        certs.serverKey,
        '--tls-ca-cert-file',
        certs.ca,
        '--tls-auth-clients',
        'no',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(
      async () => (await testConnection({ service: 'redis', url: `rediss://127.0.0.1:${port}?tls-verify=0` })).ok,
      {
        what: 'the TLS redis-server to answer',
        timeoutMs: 10_000,
      },
    );
  }, 30_000);

  afterAll(() => {
    server?.kill('SIGTERM');
    dir.remove();
  });

  it('says the certificate is not trusted without its CA', async () => {
    const r = await testConnection({ service: 'redis', url: `rediss://127.0.0.1:${port}` });
    expect(r.problem?.code).toBe('TLS_UNTRUSTED');
  });

  it('connects with the CA file, and with the check turned off', async () => {
    const trusted = await testConnection({
      service: 'redis',
      url: `rediss://127.0.0.1:${port}?tls-ca=${certs.ca}`,
    });
    expect(trusted.problem).toBeNull();
    expect(trusted.serverVersion).toMatch(/^\d+\.\d+/);
    const unchecked = await testConnection({ service: 'redis', url: `rediss://127.0.0.1:${port}?tls-verify=0` });
    expect(unchecked.ok).toBe(true);
  });

  it('opens the engine’s own connections with the same options', async () => {
    const redis = openRedisConnections(`rediss://127.0.0.1:${port}?tls-ca=${encodeURIComponent(certs.ca)}`, 'tls-test');
    try {
      await redis.main.connect();
      expect(await redis.main.ping()).toBe('PONG');
    } finally {
      for (const c of redis.all) c.disconnect();
    }
  });
});

describe('TLS to MySQL (a private MariaDB with a certificate from a test CA)', () => {
  const dir = tempDir('tickr-tls-db');
  let certs: TestCertificates;
  let db: PrivateServer | null = null;

  beforeAll(async () => {
    certs = makeTestCertificates(dir.path);
    db = await startPrivateMariadb({
      args: [`--ssl-ca=${certs.ca}`, `--ssl-cert=${certs.serverCert}`, `--ssl-key=${certs.serverKey}`],
    });
  }, 60_000);

  afterAll(async () => {
    await db?.stop();
    dir.remove();
  });

  it('says the certificate is not trusted without its CA, and connects with it', async () => {
    const url = `${db!.url}/tickr_tls`;
    const untrusted = await testConnection({ service: 'mysql', url: `${url}?tls=1` });
    expect(untrusted.problem?.code).toBe('TLS_UNTRUSTED');
    const trusted = await testConnection({
      service: 'mysql',
      url: `${url}?tls=1&tls-ca=${encodeURIComponent(certs.ca)}`,
    });
    expect(trusted.problem).toBeNull();
    expect(trusted.serverVersion).toMatch(/MariaDB/);
  });

  it('runs the engine’s pool over TLS with the same options', async () => {
    const target = parseMysqlUrl(`${db!.url}/tickr_tls?tls=1&tls-ca=${encodeURIComponent(certs.ca)}`);
    await ensureDatabase(target);
    const pool = createPool(target, 2);
    try {
      const [rows] = await pool.query<RowDataPacket[]>("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
      expect(String(rows[0]?.['Value'] ?? '')).not.toBe('');
    } finally {
      await pool.end();
    }
  });
});
