#!/usr/bin/env node
// `npm run bench`: Tickr against BullMQ on the same Redis (throughput, memory) and the Redis
// rebuild from MySQL, each printed as a table of ratios against BullMQ or this machine's limit.
// The benchmarks are bench/*.bench-run.ts, run by vitest (the engine imports its Lua scripts with
// Vite's `?raw`), one file per worker process, one file at a time. Extra arguments go to vitest,
// e.g. `npm run bench -- bench/rebuild.bench-run.ts`.
//
// Like `npm test` it installs nothing and uses the Redis and MySQL at TICKR_TEST_REDIS_URL /
// TICKR_TEST_MYSQL_URL (default 127.0.0.1:6379 and root@127.0.0.1:3306), starting a private one
// for the run if one is not reachable and its server is installed. Each benchmark works in its own
// key prefix and database and removes them afterwards.
import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import { startPrivateMariadb, startPrivateRedis } from './private-servers.mjs';

const redisUrl = process.env.TICKR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const mysqlUrl = process.env.TICKR_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

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

const cleanups = [];
const env = { ...process.env };
if (!(await reachable(redisUrl))) {
  console.log(`[bench] no Redis at ${redisUrl}: starting a private redis-server`);
  const redis = await startPrivateRedis();
  cleanups.push(redis.stop);
  env.TICKR_TEST_REDIS_URL = redis.url;
}
if (!(await reachable(mysqlUrl))) {
  console.log(`[bench] no MySQL at ${mysqlUrl}: starting a private mariadbd`);
  const db = await startPrivateMariadb();
  cleanups.push(db.stop);
  env.TICKR_TEST_MYSQL_URL = db.url;
}

// Numbers are only as good as the machine is quiet: say how busy it was when the run started.
const [load] = os.loadavg();
console.log(`[bench] ${os.availableParallelism()} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, load average ${load.toFixed(2)}`);
if (load > os.availableParallelism() / 2) console.log('[bench] the machine is busy: other work competes with the benchmarks and skews the ratios');
const args = ['vitest', 'run', '--config', 'bench/vitest.bench.config.ts', ...process.argv.slice(2)];
const child = spawn('npx', args, { stdio: 'inherit', env });
const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
for (const stop of cleanups) await stop();
process.exit(code);
