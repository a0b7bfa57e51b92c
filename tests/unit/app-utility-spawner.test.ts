import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { collect, shRequest } from '../helpers/spawned';

/**
 * The desktop app's job spawner, an Electron utility process, against a mocked `electron`
 * whose utilityProcess.fork runs the script in a real node process with `process.parentPort`
 * made over Node's IPC as Electron documents it (an EventEmitter whose 'message' events carry
 * `{ data }`, and postMessage). So host.cjs's utility-process side runs for real; only Electron's
 * API is stood in for. No Electron binary runs here.
 */

/** Stands in for process.parentPort, then runs the script given as the first argument. */
const PARENT_PORT = `
const { EventEmitter } = require('node:events');
const port = new EventEmitter();
port.postMessage = (m) => process.send(m);
process.on('message', (m) => port.emit('message', { data: m, ports: [] }));
process.parentPort = port;
require(process.argv[1]);
`;

class FakeUtilityProcess extends EventEmitter {
  constructor(readonly child: ChildProcess) {
    super();
    child.on('message', (m) => this.emit('message', m));
    child.on('exit', (code, signal) => this.emit('exit', code ?? (signal ? 128 + os.constants.signals[signal] : 0)));
  }
  get pid(): number | undefined {
    return this.child.pid;
  }
  postMessage(m: unknown): void {
    this.child.send(m as object);
  }
  kill(): boolean {
    return this.child.kill();
  }
}

const electron = vi.hoisted(() => ({
  /** What fork runs: the script as given, a process that never answers, or one that exits at once. */
  mode: 'script' as 'script' | 'silent' | 'broken',
  forks: [] as { file: string; options: Record<string, unknown>; process: FakeUtilityProcess }[],
}));

vi.mock('electron', () => ({
  utilityProcess: {
    fork(file: string, _args: string[], options: Record<string, unknown>) {
      const code = { script: PARENT_PORT, silent: 'setInterval(() => undefined, 1000)', broken: 'process.exit(3)' }[
        electron.mode
      ];
      const child = spawn(process.execPath, ['-e', code, file], {
        env: options.env as NodeJS.ProcessEnv,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'advanced',
      });
      const fake = new FakeUtilityProcess(child);
      electron.forks.push({ file, options, process: fake });
      return fake;
    },
  },
}));

const { utilitySpawnerHost } = await import('../../src/main/app/utility-spawner');
/** The script as the build emits it beside the main bundle: host.cjs itself. */
const HOST_SCRIPT = fileURLToPath(new URL('../../src/main/engine/execution/workers/spawner/host.cjs', import.meta.url));
const { SpawnerClient } = await import('../../src/main/engine/execution/workers/spawner/spawner-client');

describe('the job spawner as an Electron utility process (mocked electron, real processes)', () => {
  let client: InstanceType<typeof SpawnerClient>;
  const problems: string[] = [];

  beforeEach(() => {
    electron.mode = 'script';
    electron.forks.length = 0;
    problems.length = 0;
  });

  afterEach(() => {
    client?.close();
    for (const f of electron.forks) f.process.child.kill('SIGKILL');
  });

  it('forks the jobs in the utility process, and reports their pids, output and ends', async () => {
    client = new SpawnerClient((m) => problems.push(m), utilitySpawnerHost(HOST_SCRIPT));
    const runs = await Promise.all(
      [0, 1].map((i) => collect(client.spawn(shRequest(`echo "$GREETING ${i}"; exit ${i}`)))),
    );
    runs.forEach((r, i) => {
      expect(r.events).toEqual(['spawn', `exit ${i} null`, `close ${i} null`]);
      expect(r.out).toBe(`hello ${i}\n`);
      expect(r.pid).toBeGreaterThan(1);
    });
    expect(electron.forks).toHaveLength(1);
    const [fork] = electron.forks;
    // The script as given; the process gets PATH and nothing else.
    expect(fork!.file).toBe(HOST_SCRIPT);
    expect(fork!.options).toMatchObject({ serviceName: 'Tickr job spawner', env: { PATH: process.env.PATH } });
    expect(Object.keys(fork!.options.env as object)).toEqual(['PATH']);
    expect(problems).toEqual([]);
  });

  it('when the utility process dies, its jobs are ended and told why, and the next job starts a new one', async () => {
    client = new SpawnerClient((m) => problems.push(m), utilitySpawnerHost(HOST_SCRIPT));
    const child = client.spawn(shRequest('sleep 30'));
    const ended = collect(child);
    await new Promise<void>((resolve) => child.once('spawn', () => resolve()));
    // The job's parent is the utility process, not this one.
    const ppid = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1];
    expect(Number(ppid)).toBe(electron.forks[0]!.process.pid);
    electron.forks[0]!.process.child.kill('SIGKILL');
    const r = await ended;
    expect(r.events).toContain('error: the spawner process exited with code 137');
    expect(r.events.at(-1)).toBe('close null SIGKILL');
    expect(problems.at(-1)).toMatch(/exited with code 137; its 1 running job/);
    const next = await collect(client.spawn(shRequest('echo again')));
    expect(next.out).toBe('again\n');
    expect(electron.forks).toHaveLength(2);
  });

  it('a utility process that never says it listens is given up: its job fails with why, and the node forks itself', async () => {
    electron.mode = 'silent';
    client = new SpawnerClient((m) => problems.push(m), utilitySpawnerHost(HOST_SCRIPT), 300);
    const first = await collect(client.spawn(shRequest('echo never')));
    expect(first.events).toEqual(['error: the spawner process did not answer', 'close null SIGKILL']);
    expect(problems).toEqual(['the spawner process did not answer within 300 ms; jobs are forked by the node itself']);
    // From then on this process forks: the job runs, and no second utility process is made.
    const next = await collect(client.spawn(shRequest('echo here')));
    expect(next.out).toBe('here\n');
    expect(electron.forks).toHaveLength(1);
  });

  it('a utility process that exits before it listens is given up at once, not started again for every job', async () => {
    electron.mode = 'broken';
    client = new SpawnerClient((m) => problems.push(m), utilitySpawnerHost(HOST_SCRIPT));
    const first = await collect(client.spawn(shRequest('echo never')));
    expect(first.events).toEqual(['error: the spawner process could not start (exit code 3)', 'close null SIGKILL']);
    expect(problems).toEqual(['the spawner process could not start (exit code 3); jobs are forked by the node itself']);
    const next = await collect(client.spawn(shRequest('echo here')));
    expect(next.out).toBe('here\n');
    expect(electron.forks).toHaveLength(1);
  });
});
