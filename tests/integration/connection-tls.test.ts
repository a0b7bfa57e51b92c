import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/private-servers.mjs';
import { testConnection } from '../../src/main/engine/health/connection-test';
import { openRedisConnections } from '../../src/main/engine/queue/connections';
import { tempDir, waitFor } from '../helpers/services';

/**
 * TLS that works, against a private Redis speaking only TLS with a certificate from a CA made
 * for the test: untrusted without the CA, trusted with `tls-ca`, accepted unchecked with
 * `tls-verify=0`, and the engine's own connections use the same options.
 */
describe('TLS to Redis (a private TLS-only redis-server)', () => {
  const dir = tempDir('tickr-tls');
  const file = (name: string): string => path.join(dir.path, name);
  let port: number;
  let server: ChildProcess | null = null;

  beforeAll(async () => {
    const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=Tickr test CA',
      '-keyout',
      file('ca.key'),
      '-out',
      file('ca.pem'),
    );
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      file('server.key'),
      '-out',
      file('server.csr'),
    );
    execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1\\n' > '${file('san.ext')}'`]);
    openssl(
      'x509',
      '-req',
      '-in',
      file('server.csr'),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      file('san.ext'),
      '-out',
      file('server.pem'),
    );
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
        file('server.pem'),
        '--tls-key-file',
        file('server.key'),
        '--tls-ca-cert-file',
        file('ca.pem'),
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
      url: `rediss://127.0.0.1:${port}?tls-ca=${file('ca.pem')}`,
    });
    expect(trusted.problem).toBeNull();
    expect(trusted.serverVersion).toMatch(/^\d+\.\d+/);
    const unchecked = await testConnection({ service: 'redis', url: `rediss://127.0.0.1:${port}?tls-verify=0` });
    expect(unchecked.ok).toBe(true);
  });

  it('opens the engine’s own connections with the same options', async () => {
    const redis = openRedisConnections(
      `rediss://127.0.0.1:${port}?tls-ca=${encodeURIComponent(file('ca.pem'))}`,
      'tls-test',
    );
    try {
      await redis.main.connect();
      expect(await redis.main.ping()).toBe('PONG');
    } finally {
      for (const c of redis.all) c.disconnect();
    }
  });
});
