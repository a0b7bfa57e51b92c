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
import os from 'node:os';
import { run, servicesForRun } from './private-servers.mjs';

const services = await servicesForRun('bench');

// Numbers are only as good as the machine is quiet: say how busy it was when the run started.
const [load] = os.loadavg();
console.log(
  `[bench] ${os.availableParallelism()} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, load average ${load.toFixed(2)}`,
);
if (load > os.availableParallelism() / 2)
  console.log('[bench] the machine is busy: other work competes with the benchmarks and skews the ratios');
const code = await run(
  ['vitest', 'run', '--config', 'bench/vitest.bench.config.ts', ...process.argv.slice(2)],
  services.env,
);
await services.stop();
process.exit(code);
