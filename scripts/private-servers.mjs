// Private Redis and MariaDB instances on free ports in temporary folders, for tests that must
// kill or restart a server (and for `npm test` on a machine without the shared ones). They never
// touch the shared servers.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`);
    const ok = await new Promise((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** stop() kills the server like a crash (SIGKILL) and, unless asked to keep it, removes a folder it made. */
function handle(url, port, dir, child, ownsDir) {
  return {
    url,
    port,
    dir,
    child,
    async stop({ keepDir = false } = {}) {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
      }
      if (!keepDir && ownsDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startPrivateRedis(opts = {}) {
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'tickr-redis-'));
  const port = opts.port ?? (await freePort());
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    opts.save ?? '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--logfile',
    path.join(dir, 'redis.log'),
  ];
  if (opts.dbfilename) args.push('--dbfilename', opts.dbfilename);
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  await waitForPort(port, 10_000, child);
  return handle(`redis://127.0.0.1:${port}`, port, dir, child, !opts.dir);
}

export async function startPrivateMariadb(opts = {}) {
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'tickr-mariadb-'));
  const port = opts.port ?? (await freePort());
  const datadir = path.join(dir, 'data');
  if (!opts.dir || opts.init) {
    const init = spawnSync(
      'mariadb-install-db',
      [
        '--no-defaults',
        `--datadir=${datadir}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--user=root',
      ],
      { encoding: 'utf8' },
    );
    if (init.status !== 0) throw new Error(`mariadb-install-db failed: ${init.stderr}`);
  }
  const child = spawn(
    'mariadbd',
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${path.join(dir, 'mysqld.sock')}`,
      '--user=root',
      '--skip-grant-tables=0',
      '--innodb-buffer-pool-size=64M',
      '--innodb-log-file-size=16M',
      `--pid-file=${path.join(dir, 'mysqld.pid')}`,
      // Its own temp dir: /tmp is shared with the machine's server and other tests.
      `--tmpdir=${dir}`,
      '--skip-log-bin',
      // More server options for one test (TLS certificates, say).
      ...(opts.args ?? []),
    ],
    { stdio: 'ignore' },
  );
  await waitForPort(port, 30_000, child);
  return handle(`mysql://root@127.0.0.1:${port}`, port, dir, child, !opts.dir);
}

function reachable(url) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port) }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * The Redis and MySQL a test or bench run uses: TICKR_TEST_REDIS_URL / TICKR_TEST_MYSQL_URL
 * (default 127.0.0.1:6379 and root@127.0.0.1:3306), or, if one is not reachable and its server
 * is installed, a private instance for the run. Returns the environment to run with and a stop().
 */
export async function servicesForRun(label) {
  const redisUrl = process.env.TICKR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const mysqlUrl = process.env.TICKR_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
  const env = { ...process.env };
  const started = [];
  if (!(await reachable(redisUrl))) {
    console.log(`[${label}] no Redis at ${redisUrl}: starting a private redis-server`);
    const redis = await startPrivateRedis();
    started.push(redis);
    env.TICKR_TEST_REDIS_URL = redis.url;
  }
  if (!(await reachable(mysqlUrl))) {
    console.log(`[${label}] no MySQL at ${mysqlUrl}: starting a private mariadbd`);
    const db = await startPrivateMariadb();
    started.push(db);
    env.TICKR_TEST_MYSQL_URL = db.url;
  }
  return {
    env,
    async stop() {
      for (const server of started) await server.stop();
    },
  };
}

/** Runs `npx args…` with `env`, resolving to its exit code. */
export function run(args, env) {
  const child = spawn('npx', args, { stdio: 'inherit', env });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}
