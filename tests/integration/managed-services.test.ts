import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/private-servers.mjs';
import { findBinary } from '../../src/main/services/binaries';
import { forwardServiceEvents } from '../../src/main/services/event-forwarder';
import { startManagedServices, type ManagedServices } from '../../src/main/services/managed-services';
import { writePidFile } from '../../src/main/services/pid-file';
import { portAnswers } from '../../src/main/services/port-probe';
import { redisSpec } from '../../src/main/services/redis-server';
import type { ServiceEvent } from '../../src/main/services/supervisor';
import { startNode, type TestNode } from '../helpers/engine';
import { tempDir, testPrefix, waitFor } from '../helpers/services';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Issue 11, "local services that just work": with nothing on the default ports and the servers
 * installed, Tickr runs its own Redis and MariaDB. The "default" ports are free ones this test
 * picks, so the shared servers on 6379 and 3306 are never looked at, let alone touched.
 */
describe('managed local Redis and MariaDB', () => {
  const dir = tempDir('tickr-managed');
  const events: ServiceEvent[] = [];
  let services: ManagedServices;
  let node: TestNode;
  let redisUrl: string;
  let outFile: string;

  // As the desktop app and `tickr serve --managed` do: held until MySQL is ready, then recorded.
  const forward = forwardServiceEvents(() => (node as TestNode | undefined)?.engine ?? null);

  beforeAll(async () => {
    const ports = { redis: await freePort(), mysql: await freePort() };
    redisUrl = `redis://127.0.0.1:${ports.redis}`;
    const mysqlUrl = `mysql://root@127.0.0.1:${ports.mysql}/tickr`;
    outFile = path.join(dir.path, 'runs.txt');
    services = await startManagedServices({
      redisUrl,
      mysqlUrl,
      dataDir: dir.path,
      ports,
      backoff: { initialMs: 200, maxMs: 2_000, resetAfterMs: 60_000 },
      readyTimeoutMs: 60_000,
      onEvent: (event) => {
        events.push(event);
        forward(event);
      },
    });
    // Not awaited before the node: the engine starts with its services down and connects later.
    node = await startNode({ mysqlUrl, prefix: testPrefix(), dataDir: dir.path, config: { redisUrl } });
  }, 90_000);

  afterAll(async () => {
    forward.close();
    await node?.stop().catch(() => undefined);
    await services?.stop();
    dir.remove();
  });

  it('starts both servers, their data under the data dir, and a node runs a job on them', async () => {
    expect([...services.servers.keys()].sort()).toEqual(['mysql', 'redis']);
    expect(services.missing).toEqual([]);
    expect(await services.untilReady(60_000)).toBe(true);
    await waitFor(async () => node.engine.storeReady, { timeoutMs: 30_000, what: 'the node to reach MariaDB' });

    expect(existsSync(path.join(dir.path, 'services', 'mariadb', 'data', 'mysql'))).toBe(true);
    expect(existsSync(path.join(dir.path, 'services', 'redis', 'appendonlydir'))).toBe(true);
    for (const server of services.servers.values()) expect(existsSync(server.spec.pidFile)).toBe(true);

    const task = await node.call('tasks.create', {
      name: 'first',
      type: 'shell',
      command: `echo first >> '${outFile}'`,
    });
    const job = await waitFor(
      async () => (await node.call('jobs.list', { taskId: task.id })).items.find((j) => j.status === 'succeeded'),
      { timeoutMs: 30_000, what: 'the first job to succeed' },
    );
    expect(job.attempt).toBe(1);
    // Both starts came before MySQL answered, and are recorded all the same.
    const started = await waitFor(
      async () => {
        const page = await node.call('events.list', { kind: 'service.started' });
        return page.items.length === 2 ? page.items : undefined;
      },
      { timeoutMs: 10_000, what: 'both starts to be recorded' },
    );
    expect(started.map((e) => e.data.service).sort()).toEqual(['mysql', 'redis']);
  }, 120_000);

  it('restarts a SIGKILLed Redis, rebuilds the queues, and runs a job accepted meanwhile exactly once', async () => {
    const redis = services.servers.get('redis')!;
    const killedPid = redis.pid!;
    process.kill(killedPid, 'SIGKILL');
    await waitFor(async () => (redis.pid !== null && redis.pid !== killedPid ? true : undefined), {
      timeoutMs: 10_000,
      what: 'Redis to be spawned again',
    });
    // MySQL is the truth: accepted while Redis may still be coming back.
    const task = await node.call('tasks.create', {
      name: 'during-restart',
      type: 'shell',
      command: `echo again >> '${outFile}'`,
    });
    const job = await waitFor(
      async () => (await node.call('jobs.list', { taskId: task.id })).items.find((j) => j.status === 'succeeded'),
      { timeoutMs: 30_000, what: 'the job accepted during the restart to succeed' },
    );
    expect(job.attempt).toBe(1);
    expect(readFileSync(outFile, 'utf8').trim().split('\n')).toEqual(['first', 'again']);

    expect(events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['service.started', 'service.exited', 'service.restarted']),
    );
    const exited = events.find((e) => e.kind === 'service.exited')!;
    expect(exited.data).toMatchObject({ service: 'redis', pid: killedPid, delayMs: 200 });
    // The restart is a system event, and the engine's recovery rebuilt the queues (new run_id).
    await waitFor(
      async () => {
        const page = await node.call('events.list', { kind: 'service.restarted' });
        return page.items.length > 0 ? true : undefined;
      },
      { timeoutMs: 10_000, what: 'the restart to be recorded' },
    );
    await waitFor(
      async () => ((await node.call('events.list', { kind: 'redis.rebuilt' })).items.length > 0 ? true : undefined),
      { timeoutMs: 20_000, what: 'the queues to be rebuilt' },
    );
  }, 90_000);

  it('leaves no server process and no pid file after the drain and stop', async () => {
    const pids = [...services.servers.values()].map((s) => s.pid!);
    expect(pids.every(alive)).toBe(true);
    await node.stop();
    await services.stop();
    expect(pids.filter(alive)).toEqual([]);
    for (const server of services.servers.values()) expect(existsSync(server.spec.pidFile)).toBe(false);
  }, 60_000);
});

describe('a server left behind by a crashed Tickr', () => {
  it('is ended at the next start, which then runs its own; a pid file naming another program is ignored', async () => {
    const dir = tempDir('tickr-managed-leftover');
    const ports = { redis: await freePort(), mysql: await freePort() };
    // What a Tickr killed with SIGKILL leaves: its Redis, detached, still running, and the pid file.
    const spec = redisSpec(findBinary(['redis-server'])!, path.join(dir.path, 'services', 'redis'), ports.redis);
    const orphan = spawn(spec.command.file, spec.command.args, { stdio: 'ignore', detached: true });
    const stranger = spawn('sleep', ['30'], { stdio: 'ignore', detached: true });
    let services: ManagedServices | null = null;
    try {
      await waitFor(async () => portAnswers(ports.redis), { what: 'the orphan Redis to listen' });
      writePidFile(spec.pidFile, { pid: orphan.pid!, markers: spec.markers });
      // MySQL's URL is not the (injected) local default here: only Redis is in play.
      const mariadbDir = path.join(dir.path, 'services', 'mariadb');
      mkdirSync(mariadbDir, { recursive: true });
      writePidFile(path.join(mariadbDir, 'tickr-managed.pid'), { pid: stranger.pid!, markers: [mariadbDir] });

      services = await startManagedServices({
        redisUrl: `redis://127.0.0.1:${ports.redis}`,
        mysqlUrl: 'mysql://root@127.0.0.1:1/tickr',
        dataDir: dir.path,
        ports,
        stopGraceMs: 5_000,
      });
      expect(orphan.exitCode !== null || orphan.signalCode !== null).toBe(true);
      expect([...services.servers.keys()]).toEqual(['redis']);
      expect(await services.untilReady(10_000)).toBe(true);
      expect(services.servers.get('redis')!.pid).not.toBe(orphan.pid);
      // The pid was another program's: it still runs.
      expect(alive(stranger.pid!)).toBe(true);
    } finally {
      await services?.stop();
      stranger.kill('SIGKILL');
      orphan.kill('SIGKILL');
      dir.remove();
    }
  }, 60_000);
});
