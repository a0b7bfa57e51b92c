import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApi } from '../api';
import { loadConfig, redactUrl, type ConfigOverrides, type EngineConfig } from '../engine/config';
import { Engine } from '../engine/engine';
import { installHintLines } from '../services/install-hints';
import { forwardServiceEvents } from '../services/event-forwarder';
import { startManagedServices, type ManagedServices } from '../services/managed-services';
import { startHttpServer } from './http-server';
import { testClockOptions } from './test-clock';

const USAGE = `Usage: tickr serve [options]

Runs a headless Tickr node: the scheduler, the workers and the HTTP API.

Options (each also settable as TICKR_* in the environment or in <data dir>/config.json):
  --redis-url URL      Redis to coordinate through      (TICKR_REDIS_URL, default redis://127.0.0.1:6379)
  --mysql-url URL      MySQL holding the jobs           (TICKR_MYSQL_URL, default mysql://root@127.0.0.1:3306/tickr)
  --data-dir DIR       node id, config, journal         (TICKR_DATA_DIR, default ~/.tickr)
  --concurrency N      jobs run at once                 (TICKR_CONCURRENCY, default: CPU count)
  --node-name NAME     shown in the UI                  (TICKR_NODE_NAME, default: host name)
  --host HOST          address to bind                  (TICKR_HOST, default 127.0.0.1)
  --port PORT          port to bind                     (TICKR_PORT, default 7420)
  --token TOKEN        API bearer token                 (TICKR_TOKEN, default: random at each start)
  --redis-prefix P     prefix of every Redis key        (TICKR_REDIS_PREFIX, default tickr:)
  --managed            run a local Redis and MariaDB/MySQL when the URLs are the local defaults,
                       nothing answers there and the server is installed; data in
                       <data dir>/services, stopped after the drain
  -h, --help           show this help

Environment or config file only (a flag would show in the process list):
  TICKR_SECRET_KEY     32 bytes in base64 sealing secret task variables; the same on every node
                       (default: secret.key in the data dir, made on first start)
`;

function rendererDir(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [
    path.resolve(here, '../renderer'),
    path.resolve(here, '../../out/renderer'),
    path.resolve(here, '../../../out/renderer'),
  ]) {
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
  }
  return null;
}

export async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'redis-url': { type: 'string' },
      'mysql-url': { type: 'string' },
      'data-dir': { type: 'string' },
      concurrency: { type: 'string' },
      'node-name': { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      token: { type: 'string' },
      'redis-prefix': { type: 'string' },
      managed: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const flags: ConfigOverrides = {
    redisUrl: values['redis-url'],
    mysqlUrl: values['mysql-url'],
    dataDir: values['data-dir'],
    concurrency: values.concurrency,
    nodeName: values['node-name'],
    host: values.host,
    port: values.port,
    token: values.token,
    redisPrefix: values['redis-prefix'],
  };
  const config = loadConfig({ flags });
  const token = config.token ?? randomBytes(24).toString('base64url');
  let engine: Engine | null = null;
  const services = values.managed ? await startServices(config, () => engine) : null;
  engine = new Engine(config, testClockOptions(process.env));
  console.log(
    `[tickr] starting node ${config.nodeName} (Redis ${redactUrl(config.redisUrl)}, MySQL ${redactUrl(config.mysqlUrl)})`,
  );
  try {
    await engine.start();
  } catch (err) {
    await services?.stop();
    throw err;
  }
  const api = createApi(engine);
  const staticDir = rendererDir();
  const server = await startHttpServer({
    api,
    host: config.host,
    port: config.port,
    token,
    staticDir,
    log: (line) => console.log(`[tickr] ${line}`),
  });
  console.log(`[tickr] node ${engine.nodeId} listening on ${server.url}`);
  console.log(`[tickr] open ${server.url}/#token=${token}`);
  console.log(`[tickr] API token: ${token}`);
  if (!staticDir) console.log('[tickr] no renderer build found: run `npm run build` to serve the UI');

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) {
      console.log(`[tickr] ${signal} again: exiting without waiting`);
      process.exit(130);
    }
    stopping = true;
    console.log(`[tickr] ${signal}: draining running jobs (up to ${config.drainTimeoutMs} ms), then stopping`);
    void (async () => {
      await server.close();
      await engine.stop();
      // After the drain: the jobs that finished during it still wrote to Redis and MySQL.
      await services?.stop();
      console.log('[tickr] stopped');
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/**
 * `--managed`: the local servers, started before the engine (which connects when they answer).
 * Their reports are printed, and recorded as system events once MySQL is ready (event-forwarder.ts).
 */
async function startServices(config: EngineConfig, engine: () => Engine | null): Promise<ManagedServices> {
  const forward = forwardServiceEvents(engine);
  const services = await startManagedServices({
    redisUrl: config.redisUrl,
    mysqlUrl: config.mysqlUrl,
    dataDir: config.dataDir,
    log: (line) => console.log(`[tickr] ${line}`),
    onEvent: (event) => {
      console.log(`[tickr] ${event.message}`);
      forward(event);
    },
  });
  for (const { service } of services.missing) {
    for (const line of installHintLines(service)) console.log(`[tickr] ${line}`);
  }
  return services;
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'serve') return serve(rest);
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  process.stderr.write(`tickr: unknown command '${command}'\n\n${USAGE}`);
  process.exitCode = 2;
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`[tickr] ${(err as Error).message}`);
  process.exit(1);
});
