import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { dropPrefix, MYSQL_ROOT_URL, REDIS_URL, tempDir } from '../../helpers/services';

/**
 * A real headless node (`node bin/tickr.js serve`, the build in out/) in a child process, with a
 * database, a Redis key prefix and a data dir of its own, all removed by stop().
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const OPEN_LINE = /^\[tickr\] open (http:\/\/\S+?)\/#token=(\S+)$/m;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export interface ServeNode {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  baseUrl: string;
  token: string;
  /** The URL the node printed, with the token in its fragment. */
  openUrl: string;
  /** The node's own MySQL database, for tests that seed rows directly (helpers/seed-jobs.ts). */
  database: string;
  /** Everything the node wrote so far, for failure messages. */
  output(): string;
  /** Calls `POST /api/<method>` with the bearer token; returns `data` or throws with the error envelope. */
  call<T = unknown>(method: string, input?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

function mysqlConnectionOptions(rootUrl: string): mysql.ConnectionOptions {
  const u = new URL(rootUrl);
  return {
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username) || 'root',
    password: decodeURIComponent(u.password),
  };
}

async function dropDatabase(name: string): Promise<void> {
  const conn = await mysql.createConnection(mysqlConnectionOptions(MYSQL_ROOT_URL));
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await conn.end();
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

/** Inherited TICKR_* settings (other than the test servers) would leak into the node under test. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('TICKR_') || k.startsWith('TICKR_TEST_')),
  );
}

export async function startServeNode(
  /** `mysqlUrl` points the node elsewhere than its own database (a closed port, for the first-run screen). */
  opts: { token?: string; concurrency?: number; redisUrl?: string; mysqlUrl?: string } = {},
): Promise<ServeNode> {
  const redisUrl = opts.redisUrl ?? REDIS_URL;
  const entry = path.join(ROOT, 'out/main/serve.js');
  const index = path.join(ROOT, 'out/renderer/index.html');
  if (!existsSync(entry) || !existsSync(index))
    throw new Error('no build in out/: run `npm run build` before the e2e tests');

  const dbName = `tickr_e2e_${randomBytes(6).toString('hex')}`;
  const prefix = `tickr-e2e-${randomUUID()}:`;
  const dataDir = tempDir('tickr-e2e');
  const token = opts.token ?? `e2e-token-${randomBytes(12).toString('hex')}`;

  const child = spawn(process.execPath, [path.join(ROOT, 'bin/tickr.js'), 'serve'], {
    cwd: ROOT,
    env: {
      ...cleanEnv(),
      TICKR_REDIS_URL: redisUrl,
      TICKR_MYSQL_URL: opts.mysqlUrl ?? `${MYSQL_ROOT_URL.replace(/\/+$/, '')}/${dbName}`,
      TICKR_REDIS_PREFIX: prefix,
      TICKR_DATA_DIR: dataDir.path,
      TICKR_HOST: '127.0.0.1',
      TICKR_PORT: '0',
      TICKR_TOKEN: token,
      TICKR_CONCURRENCY: String(opts.concurrency ?? 2),
      TICKR_NODE_NAME: 'e2e-node',
      TICKR_DRAIN_TIMEOUT_MS: '10000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));

  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      try {
        if (!exited(child)) {
          child.kill('SIGTERM');
          if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
            console.warn(`[e2e] tickr serve did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM: killing it\n${out}`);
            child.kill('SIGKILL');
            await waitForExit(child, 5_000);
          }
        }
      } finally {
        await dropPrefix(prefix, redisUrl).catch((err: unknown) =>
          console.error(`[e2e] dropPrefix ${prefix}: ${String(err)}`),
        );
        await dropDatabase(dbName).catch((err: unknown) =>
          console.error(`[e2e] drop database ${dbName}: ${String(err)}`),
        );
        dataDir.remove();
      }
    })();
    return stopped;
  };

  let baseUrl: string;
  try {
    baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`tickr serve did not print its URL within ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      const check = (): void => {
        const match = OPEN_LINE.exec(out);
        if (match) finish(null, match[1]);
      };
      const onExit = (code: number | null, signal: string | null): void =>
        finish(new Error(`tickr serve exited (${code ?? signal}) before listening`));
      function finish(err: Error | null, url?: string): void {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        child.off('exit', onExit);
        if (err) reject(err);
        else resolve(url as string);
      }
      child.stdout?.on('data', check);
      child.once('exit', onExit);
      check();
    });
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- node output ---\n${out}`);
  }

  const openMatch = OPEN_LINE.exec(out);
  if (openMatch?.[2] !== token) {
    await stop();
    throw new Error(`tickr serve printed a different token than TICKR_TOKEN\n--- node output ---\n${out}`);
  }

  return {
    baseUrl,
    token,
    openUrl: `${baseUrl}/#token=${token}`,
    database: dbName,
    output: () => out,
    async call<T>(method: string, input: Record<string, unknown> = {}): Promise<T> {
      const res = await fetch(`${baseUrl}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as
        { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
      if (!body.ok) throw new Error(`${method}: HTTP ${res.status} ${body.error.code}: ${body.error.message}`);
      return body.data;
    },
    stop,
  };
}
