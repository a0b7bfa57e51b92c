import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import hostSource from './host.cjs?raw';
import { spawnHere, type SpawnedProcess, type SpawnProcess, type SpawnRequest } from './spawned-process';

/**
 * Throws as node's spawn does, at once, for what no process can be given: a NUL byte in the
 * file, an argument, the cwd or the environment. The caller fails such an attempt without a
 * retry (the same input fails the same way); a failure inside the spawner is retried.
 */
function refuseNullBytes(r: SpawnRequest): void {
  const fields: [string, string | undefined][] = [
    ['file', r.file],
    ['args', r.args.join(' ')],
    ['options.cwd', r.cwd],
    ...Object.entries(r.env).map(([k, v]): [string, string] => ['options.env', `${k}=${v}`]),
  ];
  for (const [name, value] of fields) {
    if (value?.includes('\u0000'))
      throw Object.assign(new TypeError(`The argument '${name}' must be a string without null bytes`), {
        code: 'ERR_INVALID_ARG_VALUE',
      });
  }
}

/** A process the spawner forked, as seen from the engine: fed by the spawner's messages. */
class RemoteProcess extends EventEmitter implements SpawnedProcess {
  pid: number | undefined = undefined;
  readonly stdout = new EventEmitter();
  readonly stderr = new EventEmitter();
}

type SpawnMessage = { t: 'spawn'; id: number } & SpawnRequest;

type HostMessage =
  | { t: 'batch'; m: HostMessage[] }
  | { t: 'spawned'; id: number; pid: number }
  | { t: 'error'; id: number; message: string; code?: string }
  | { t: 'data'; id: number; fd: 1 | 2; data: Uint8Array }
  | { t: 'exit' | 'close'; id: number; code: number | null; signal: NodeJS.Signals | null };

/**
 * Forks jobs' processes from a small process of its own (host.cjs), not from the engine's.
 * fork() copies the parent's page tables, so its cost grows with the parent's memory, and
 * node's spawn blocks the event loop until the child has exec'd: in the throughput profile,
 * spawning from the engine took half of its CPU per shell job. The host is started on the first
 * job and again after it dies; the jobs it had are then ended (their groups get SIGKILL) and
 * fail with the reason, retried under their policy.
 *
 * In Electron the engine forks in its own process (spawnHere): running a script as plain node
 * needs the RunAsNode fuse, which the packaged app turns off (scripts/after-pack.mjs).
 */
export class SpawnerClient {
  private host: ChildProcess | null = null;
  /** Set when the host cannot be started at all (no usable node binary): fork here from then on. */
  private unavailable = false;
  private nextId = 1;
  private readonly children = new Map<number, RemoteProcess>();

  constructor(private readonly onProblem: (message: string) => void = () => undefined) {}

  readonly spawn: SpawnProcess = (request) => {
    refuseNullBytes(request);
    const host = this.unavailable ? null : this.ensureHost();
    if (!host) return spawnHere(request);
    const id = this.nextId++;
    const child = new RemoteProcess();
    this.children.set(id, child);
    const lost = (err: Error): void => {
      // The spawner went away before it had the request: the attempt fails (and is retried).
      if (!this.children.delete(id)) return;
      setImmediate(() => {
        child.emit('error', new Error(`the spawner process did not take the job: ${err.message}`));
        child.emit('close', null, null);
      });
    };
    this.outbox.push({ message: { t: 'spawn', id, ...request }, lost });
    if (this.outbox.length === 1) setImmediate(() => this.flush(host));
    return child;
  };

  /** Requests of this turn of the event loop, sent together (host.cjs says why). */
  private outbox: { message: SpawnMessage; lost: (err: Error) => void }[] = [];

  private flush(host: ChildProcess): void {
    const batch = this.outbox;
    this.outbox = [];
    const lostAll = (err: Error): void => batch.forEach((r) => r.lost(err));
    const message = batch.length === 1 ? batch[0]!.message : { t: 'batch', m: batch.map((r) => r.message) };
    try {
      host.send(message, (err) => {
        if (err) lostAll(err);
      });
    } catch (err) {
      lostAll(err as Error);
    }
  }

  /**
   * Starts the host ahead of the first job: starting node takes tens of milliseconds, which the
   * first job would otherwise wait (and a run of its task would be found still running).
   */
  start(): void {
    if (!this.unavailable) this.ensureHost();
  }

  /** Ends the host; called once the node's jobs are done. */
  close(): void {
    const host = this.host;
    this.host = null;
    if (host?.connected) host.disconnect();
  }

  private ensureHost(): ChildProcess | null {
    if (this.host?.connected) return this.host;
    let host: ChildProcess;
    try {
      host = spawn(process.execPath, ['-e', hostSource], {
        // Its own environment is not the jobs': each job's comes with its request.
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'advanced',
        windowsHide: true,
      });
    } catch (err) {
      this.giveUp(
        `the spawner process could not start (${(err as Error).message}); jobs are forked by the node itself`,
      );
      return null;
    }
    host.on('message', (m: HostMessage) => this.onMessage(m));
    host.on('error', (err) => {
      if (host.pid === undefined)
        this.giveUp(`the spawner process could not start (${err.message}); jobs are forked by the node itself`);
    });
    host.on('exit', (code, signal) => this.onHostGone(host, code, signal));
    // Neither the host nor its channel keeps the node alive: the node's own work does.
    host.unref();
    host.channel?.unref();
    this.host = host;
    return host;
  }

  private giveUp(message: string): void {
    if (this.unavailable) return;
    this.unavailable = true;
    this.onProblem(message);
  }

  private onMessage(m: HostMessage): void {
    if (m.t === 'batch') {
      for (const one of m.m) this.onMessage(one);
      return;
    }
    const child = this.children.get(m.id);
    if (!child) return;
    switch (m.t) {
      case 'spawned':
        child.pid = m.pid;
        child.emit('spawn');
        return;
      case 'data':
        (m.fd === 1 ? child.stdout : child.stderr).emit(
          'data',
          Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength),
        );
        return;
      case 'error':
        child.emit('error', Object.assign(new Error(m.message), { code: m.code }));
        return;
      case 'exit':
        child.emit('exit', m.code, m.signal);
        return;
      case 'close':
        this.children.delete(m.id);
        child.emit('close', m.code, m.signal);
        return;
    }
  }

  /** The host died: its jobs' groups are ended and their attempts fail with the reason. */
  private onHostGone(host: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.host === host) this.host = null;
    if (host.pid === undefined) return;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (this.children.size > 0)
      this.onProblem(`the spawner process ${how}; its ${this.children.size} running job(s) are ended`);
    for (const [id, child] of this.children) {
      this.children.delete(id);
      if (child.pid !== undefined && process.platform !== 'win32') {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // The group had already ended.
        }
      }
      child.emit('error', new Error(`the spawner process ${how}`));
      child.emit('close', null, 'SIGKILL');
    }
  }
}

export interface JobSpawner {
  spawn: SpawnProcess;
  start(): void;
  close(): void;
}

/** How this node forks jobs' processes: through a spawner, except in Electron (see SpawnerClient). */
export function jobSpawner(onProblem: (message: string) => void): JobSpawner {
  if (process.versions.electron) return { spawn: spawnHere, start: () => undefined, close: () => undefined };
  return new SpawnerClient(onProblem);
}
