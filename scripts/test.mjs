#!/usr/bin/env node
// `npm test`: runs every test project (unit, integration, e2e) with vitest.
// It installs nothing. It needs Redis and MySQL/MariaDB: the ones at TICKR_TEST_REDIS_URL /
// TICKR_TEST_MYSQL_URL (default 127.0.0.1:6379 and root@127.0.0.1:3306). If one is not
// reachable and its server binary is installed, a private instance is started in a temporary
// folder for the run and stopped afterwards. The e2e tests need the renderer build: it is built
// first if `out/` is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
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
  console.log(`[test] no Redis at ${redisUrl}: starting a private redis-server`);
  const redis = await startPrivateRedis();
  cleanups.push(redis.stop);
  env.TICKR_TEST_REDIS_URL = redis.url;
}
if (!(await reachable(mysqlUrl))) {
  console.log(`[test] no MySQL at ${mysqlUrl}: starting a private mariadbd`);
  const db = await startPrivateMariadb();
  cleanups.push(db.stop);
  env.TICKR_TEST_MYSQL_URL = db.url;
}

if (!existsSync('out/renderer/index.html') || !existsSync('out/main/serve.js')) {
  console.log('[test] no build in out/: running `npm run build` first (the e2e tests use it)');
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const args = ['vitest', 'run', ...process.argv.slice(2)];
const child = spawn('npx', args, { stdio: 'inherit', env });
const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
for (const stop of cleanups) await stop();
process.exit(code);
