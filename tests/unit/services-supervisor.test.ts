import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/private-servers.mjs';
import { readPidFile } from '../../src/main/services/pid-file';
import { Supervisor, type ServiceEvent } from '../../src/main/services/supervisor';
import { tempDir, waitFor } from '../helpers/services';

/**
 * The supervisor against a stand-in server: a Node one-liner that listens on the port, and can
 * be told to die after a while or to ignore SIGTERM. Short back-offs; no Redis, no MariaDB.
 */
function fakeServer(port: number, opts: { dieAfterMs?: number; ignoreTerm?: boolean } = {}): string {
  return [
    `require('net').createServer(() => undefined).listen(${port}, '127.0.0.1');`,
    opts.dieAfterMs === undefined ? '' : `setTimeout(() => process.exit(3), ${opts.dieAfterMs});`,
    opts.ignoreTerm ? `process.on('SIGTERM', () => undefined);` : '',
  ].join('');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Supervisor', () => {
  const dir = tempDir('tickr-supervisor');
  const running: Supervisor[] = [];
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop(200);
  });
  afterAll(() => dir.remove());

  async function supervise(script: string, port: number, events: ServiceEvent[]): Promise<Supervisor> {
    const s = new Supervisor(
      {
        service: 'redis',
        label: 'Fake',
        port,
        dir: dir.path,
        pidFile: path.join(dir.path, `${port}.pid`),
        markers: [String(port)],
        command: { file: process.execPath, args: ['-e', script, String(port)] },
      },
      { backoff: { initialMs: 50, maxMs: 400, resetAfterMs: 60_000 }, onEvent: (e) => events.push(e) },
    );
    running.push(s);
    s.start();
    return s;
  }

  it('reports the start, writes the pid file, and restarts a server that dies with a growing delay', async () => {
    const port = await freePort();
    const events: ServiceEvent[] = [];
    const s = await supervise(fakeServer(port, { dieAfterMs: 300 }), port, events);
    expect(await s.untilReady(5_000)).toBe(true);
    expect(readPidFile(s.spec.pidFile)?.pid).toBe(s.pid);
    await waitFor(async () => events.filter((e) => e.kind === 'service.restarted').length >= 2, {
      timeoutMs: 10_000,
      what: 'two restarts',
    });
    const exits = events.filter((e) => e.kind === 'service.exited');
    expect(exits.map((e) => e.data.delayMs).slice(0, 2)).toEqual([50, 100]);
    expect(exits[0]!.message).toMatch(/exited with exit code 3/);
    expect(events[0]!.kind).toBe('service.started');
    expect(events.find((e) => e.kind === 'service.restarted')!.data.restarts).toBe(1);
  });

  it('stops with SIGTERM, leaving no process and no pid file, and restarts nothing afterwards', async () => {
    const port = await freePort();
    const events: ServiceEvent[] = [];
    const s = await supervise(fakeServer(port), port, events);
    await s.untilReady(5_000);
    const pid = s.pid!;
    await s.stop(5_000);
    expect(alive(pid)).toBe(false);
    expect(existsSync(s.spec.pidFile)).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect(events.map((e) => e.kind)).toEqual(['service.started']);
  });

  it('ends a server that ignores SIGTERM with SIGKILL after the grace', async () => {
    const port = await freePort();
    const s = await supervise(fakeServer(port, { ignoreTerm: true }), port, []);
    await s.untilReady(5_000);
    const pid = s.pid!;
    const t0 = Date.now();
    await s.stop(300);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(alive(pid)).toBe(false);
  });

  it('reports a binary that cannot be spawned as a failure and keeps trying', async () => {
    const port = await freePort();
    const events: ServiceEvent[] = [];
    const s = new Supervisor(
      {
        service: 'mysql',
        label: 'Fake',
        port,
        dir: dir.path,
        pidFile: path.join(dir.path, 'missing.pid'),
        markers: ['x'],
        command: { file: path.join(dir.path, 'no-such-server'), args: [] },
      },
      { backoff: { initialMs: 50, maxMs: 50, resetAfterMs: 60_000 }, onEvent: (e) => events.push(e) },
    );
    running.push(s);
    s.start();
    await waitFor(async () => events.filter((e) => e.kind === 'service.failed').length >= 2, {
      timeoutMs: 5_000,
      what: 'two failed tries',
    });
    expect(events[0]!.message).toMatch(/did not start: .*ENOENT/);
    expect(s.pid).toBeNull();
  });
});
