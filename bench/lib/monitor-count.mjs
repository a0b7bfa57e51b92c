#!/usr/bin/env node
// Counts on the server, for --ms milliseconds, the Redis commands of the connections whose client
// name starts with --name, plus the redis.call()s of the scripts they run (MONITOR prints those as
// `lua` lines right after the command: Redis runs a script atomically), as INFO commandstats would
// count them. A child process, so that reading MONITOR's stream of the whole shared Redis costs
// the measured process nothing. Prints `ready` when MONITOR is on, then one JSON object.
//
//   node bench/lib/monitor-count.mjs --redis=URL --name=PREFIX --ms=MS
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split(/=(.*)/s).slice(0, 2)));
const admin = new Redis(args.redis);
const clients = String(await admin.client('LIST')).split('\n');
const ours = new Set(
  clients.filter((c) => / name=(\S+)/.exec(c)?.[1]?.startsWith(args.name)).map((c) => /addr=(\S+)/.exec(c)?.[1]),
);
const monitor = await admin.monitor();
let fromOurs = false;
const byName = {};
monitor.on('monitor', (_time, argv, source) => {
  if (source !== 'lua') fromOurs = ours.has(source);
  if (!fromOurs) return;
  const name = `${source === 'lua' ? 'lua ' : ''}${String(argv[0]).toLowerCase()}`;
  byName[name] = (byName[name] ?? 0) + 1;
});
process.stdout.write('ready\n');
const t0 = performance.now();
await new Promise((r) => setTimeout(r, Number(args.ms)));
const seconds = (performance.now() - t0) / 1000;
monitor.disconnect();
admin.disconnect();
const commands = Object.values(byName).reduce((s, n) => s + n, 0);
process.stdout.write(`${JSON.stringify({ connections: ours.size, commands, seconds, byName })}\n`);
