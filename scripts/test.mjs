#!/usr/bin/env node
// `npm test`: runs every test project (unit, integration, e2e) with vitest.
// It installs nothing. It needs Redis and MySQL/MariaDB: the ones at TICKR_TEST_REDIS_URL /
// TICKR_TEST_MYSQL_URL (default 127.0.0.1:6379 and root@127.0.0.1:3306). If one is not
// reachable and its server binary is installed, a private instance is started in a temporary
// folder for the run and stopped afterwards. The e2e tests need the renderer build: it is built
// first if `out/` is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { run, servicesForRun } from './private-servers.mjs';

const services = await servicesForRun('test');

if (!existsSync('out/renderer/index.html') || !existsSync('out/main/serve.js')) {
  console.log('[test] no build in out/: running `npm run build` first (the e2e tests use it)');
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const code = await run(['vitest', 'run', ...process.argv.slice(2)], services.env);
await services.stop();
process.exit(code);
