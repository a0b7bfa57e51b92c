import { createWriteStream, mkdirSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import mysql from 'mysql2/promise';
import path from 'node:path';
import { startPrivateMariadb, startPrivateRedis, type PrivateServer } from '../scripts/private-servers.mjs';
import { tempDir } from '../tests/helpers/services';
import { startTcpProxy, type TcpProxy } from '../tests/helpers/tcp-proxy';
import { SoakNode } from './cluster';
import { startHttpTarget, type HttpTarget } from './http-target';
import type { Prng } from './prng';
import type { RunLog } from './run-log';
import type { PlantedSecrets } from './secrets';

export const DATABASE = 'tickr_soak';
export const REDIS_PREFIX = 'soak:';
export const NODE_NAMES = ['a', 'b', 'c'] as const;
/** Node c reaches MySQL through the TCP proxy, so one node alone can be cut off (a partition). */
export const PARTITIONED_NODE = 'c';

/**
 * Short timings, so that a fault's consequences (an expired lease, a fence, a sweep) play out
 * within a soak of a minute. The fence fires at leaseMs − killGraceMs − 1 s = 3.5 s of silence.
 */
const NODE_TIMINGS = {
  leaseMs: 5_000,
  heartbeatMs: 1_000,
  sweepMs: 5_000,
  drainTimeoutMs: 3_000,
  killGraceMs: 500,
  logFlushMs: 100,
};

/** The private servers, whose handles change as faults restart them. */
export interface Servers {
  redis: PrivateServer;
  readonly redisDir: string;
  mariadb: PrivateServer;
  readonly mariadbDir: string;
  readonly proxy: TcpProxy;
  /** root, no password: the soak's own view of MySQL, for the checks. */
  readonly rootUrl: string;
}

export interface Cluster {
  servers: Servers;
  nodes: SoakNode[];
  http: HttpTarget;
  /** Each node's clock-offset file (the test-only hook of src/main/server/test-clock.ts). */
  clockFiles: Map<string, string>;
  dataDirs: Map<string, string>;
  sideEffects: string;
  stop(): Promise<void>;
}

async function createDatabaseAndUser(rootUrl: string, password: string): Promise<void> {
  const u = new URL(rootUrl);
  const conn = await mysql.createConnection({ host: u.hostname, port: Number(u.port), user: 'root' });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${DATABASE}\``);
    // Every host form a loopback client can be seen as, so no anonymous user shadows this one.
    for (const host of ['%', 'localhost', '127.0.0.1']) {
      await conn.query(`CREATE USER IF NOT EXISTS 'soak'@'${host}' IDENTIFIED BY ?`, [password]);
      await conn.query(`GRANT ALL PRIVILEGES ON \`${DATABASE}\`.* TO 'soak'@'${host}'`);
    }
  } finally {
    await conn.end();
  }
}

export async function setUpCluster(rand: Prng, log: RunLog, secrets: PlantedSecrets): Promise<Cluster> {
  const redisDir = tempDir('tickr-soak-redis');
  const mariadbDir = tempDir('tickr-soak-mariadb');
  const work = tempDir('tickr-soak-nodes');
  // A set-up that fails half-way stops what it started, so no server outlives the soak.
  const started: { stop(): Promise<void> | void }[] = [];
  try {
    return await startCluster(rand, log, secrets, { redisDir, mariadbDir, work }, started);
  } catch (err) {
    for (const s of started.reverse()) await Promise.resolve(s.stop()).catch(() => undefined);
    for (const d of [redisDir, mariadbDir, work]) d.remove();
    throw err;
  }
}

async function startCluster(
  rand: Prng,
  log: RunLog,
  secrets: PlantedSecrets,
  dirs: Record<'redisDir' | 'mariadbDir' | 'work', { path: string; remove(): void }>,
  started: { stop(): Promise<void> | void }[],
): Promise<Cluster> {
  const { redisDir, mariadbDir, work } = dirs;
  const redis = await startPrivateRedis({ dir: redisDir.path });
  started.push(redis);
  const mariadb = await startPrivateMariadb({ dir: mariadbDir.path, init: true });
  started.push(mariadb);
  await createDatabaseAndUser(mariadb.url, secrets.mysqlPassword);
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: mariadb.port });
  started.push({ stop: () => proxy.close() });
  const servers: Servers = {
    redis,
    redisDir: redisDir.path,
    mariadb,
    mariadbDir: mariadbDir.path,
    proxy,
    rootUrl: mariadb.url,
  };
  const http = await startHttpTarget(rand.fork(), log, secrets.header);
  started.push({ stop: () => http.close() });
  const apiFile: WriteStream = createWriteStream(log.file('api-answers.log'), { flags: 'a' });
  const clockFiles = new Map<string, string>();
  const dataDirs = new Map<string, string>();
  const nodes = NODE_NAMES.map((name) => {
    const dataDir = path.join(work.path, name);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify(NODE_TIMINGS));
    const clockFile = path.join(dataDir, 'clock-offset-ms');
    clockFiles.set(name, clockFile);
    dataDirs.set(name, dataDir);
    const port = name === PARTITIONED_NODE ? proxy.port : mariadb.port;
    return new SoakNode(
      name,
      {
        TICKR_REDIS_URL: redis.url,
        TICKR_MYSQL_URL: `mysql://soak:${secrets.mysqlPassword}@127.0.0.1:${port}/${DATABASE}`,
        TICKR_DATA_DIR: dataDir,
        TICKR_NODE_NAME: `soak-${name}`,
        TICKR_CONCURRENCY: '3',
        TICKR_REDIS_PREFIX: REDIS_PREFIX,
        TICKR_SECRET_KEY: secrets.secretKey,
        TICKR_TEST_CLOCK_OFFSET_FILE: clockFile,
      },
      log,
      apiFile,
    );
  });
  started.push({ stop: async () => void (await Promise.all(nodes.map((n) => n.kill()))) });
  // One at a time: the first applies the migrations, the others find them done.
  for (const n of nodes) await n.start();
  log.event('setup.done', { redis: redis.url, mariadbPort: mariadb.port, proxyPort: proxy.port, http: http.url });
  return {
    servers,
    nodes,
    http,
    clockFiles,
    dataDirs,
    sideEffects: log.file('side-effects.txt'),
    async stop() {
      for (const n of nodes) await n.drain();
      for (const n of nodes) await n.close();
      await new Promise<void>((resolve) => apiFile.end(resolve));
      await http.close();
      await proxy.close();
      await servers.redis.stop();
      await servers.mariadb.stop();
      for (const d of [redisDir, mariadbDir, work]) d.remove();
    },
  };
}

/** Removes a file if it is there (a Redis dump before a restart meant to come back empty). */
export function removeFile(file: string): void {
  rmSync(file, { force: true });
}
