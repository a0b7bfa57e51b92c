import { EventEmitter } from 'node:events';
import hostSource from './host.cjs?raw';
import { startNodeHost, type HostChannel, type StartHost } from './host-channel';
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

/** How long a new spawner may take to say it listens (node starts in tens of milliseconds). */
const READY_TIMEOUT_MS = 10_000;

/** A process the spawner forked, as seen from the engine: fed by the spawner's messages. */
class RemoteProcess extends EventEmitter implements SpawnedProcess {
  pid: number | undefined = undefined;
  /** The spawner that forks it: the one whose loss ends it. */
  constructor(readonly host: HostChannel) {
    super();
  }
  readonly stdout = new EventEmitter();
  readonly stderr = new EventEmitter();
}

type SpawnMessage = { t: 'spawn'; id: number } & SpawnRequest;

type HostMessage =
  | { t: 'batch'; m: HostMessage[] }
  | { t: 'ready' }
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
 * The host says `ready` once it listens. One that exits before, or has not said it within
 * READY_TIMEOUT_MS (a process that started but cannot talk), is given up as one that could not
 * start: its jobs fail with the reason (retried), and this node forks its jobs itself from then
 * on. Only a host that was ready is started again after it dies.
 *
 * How the host is started is `startHost`'s: `node -e` here; in the desktop app an Electron
 * utility process (src/main/app/utility-spawner.ts), as running a script as plain node there
 * needs the RunAsNode fuse, which the packaged app turns off (scripts/after-pack.mjs).
 */
export class SpawnerClient {
  private host: HostChannel | null = null;
  /** Set when the host cannot be started at all (no usable node binary): fork here from then on. */
  private unavailable = false;
  private nextId = 1;
  private readonly children = new Map<number, RemoteProcess>();

  constructor(
    private readonly onProblem: (message: string) => void = () => undefined,
    private readonly startHost: StartHost = startNodeHost,
    private readonly readyTimeoutMs = READY_TIMEOUT_MS,
  ) {}

  readonly spawn: SpawnProcess = (request) => {
    refuseNullBytes(request);
    const host = this.unavailable ? null : this.ensureHost();
    if (!host) return spawnHere(request);
    const id = this.nextId++;
    const child = new RemoteProcess(host);
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

  private flush(host: HostChannel): void {
    const batch = this.outbox;
    this.outbox = [];
    const message = batch.length === 1 ? batch[0]!.message : { t: 'batch', m: batch.map((r) => r.message) };
    host.send(message, (err) => batch.forEach((r) => r.lost(err)));
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
    host?.close();
  }

  private ensureHost(): HostChannel | null {
    if (this.host?.connected) return this.host;
    let host: HostChannel;
    try {
      host = this.startHost(hostSource);
    } catch (err) {
      this.giveUp(
        `the spawner process could not start (${(err as Error).message}); jobs are forked by the node itself`,
      );
      return null;
    }
    const notReady = setTimeout(() => {
      this.giveUp(
        `the spawner process did not answer within ${this.readyTimeoutMs} ms; jobs are forked by the node itself`,
      );
      this.lose(host, 'did not answer');
      host.close();
    }, this.readyTimeoutMs);
    notReady.unref();
    let ready = false;
    host.onMessage((m) =>
      this.onMessage(m as HostMessage, () => {
        ready = true;
        clearTimeout(notReady);
      }),
    );
    host.onExit((code, signal, startError) => {
      clearTimeout(notReady);
      // Closed by close() or given up already, with no job left on it: nothing to say.
      if (this.host !== host && this.jobsOf(host).length === 0) return;
      // One that never came up would fail the same way again: fork here from then on.
      const why = startError?.message ?? (ready ? null : signal ? `killed by ${signal}` : `exit code ${code}`);
      if (why !== null) {
        this.giveUp(`the spawner process could not start (${why}); jobs are forked by the node itself`);
        this.lose(host, `could not start (${why})`);
        return;
      }
      this.onHostGone(host, code, signal);
    });
    this.host = host;
    return host;
  }

  private giveUp(message: string): void {
    if (this.unavailable) return;
    this.unavailable = true;
    this.onProblem(message);
  }

  private onMessage(m: HostMessage, ready: () => void): void {
    if (m.t === 'batch') {
      for (const one of m.m) this.onMessage(one, ready);
      return;
    }
    if (m.t === 'ready') {
      ready();
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
  private onHostGone(host: HostChannel, code: number | null, signal: NodeJS.Signals | null): void {
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const running = this.jobsOf(host).length;
    if (running > 0) this.onProblem(`the spawner process ${how}; its ${running} running job(s) are ended`);
    this.lose(host, how);
  }

  /** The jobs `host` forks that have not closed yet, by id. */
  private jobsOf(host: HostChannel): [number, RemoteProcess][] {
    return [...this.children].filter(([, child]) => child.host === host);
  }

  /** Ends the jobs `host` had (their groups get SIGKILL) and fails each with `how`. */
  private lose(host: HostChannel, how: string): void {
    if (this.host === host) this.host = null;
    for (const [id, child] of this.jobsOf(host)) {
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

/**
 * How this node forks jobs' processes: through a spawner, started by `startHost` when given (the
 * desktop app's utility process). In Electron without one, the node forks them itself: `node -e`
 * is not there (see SpawnerClient).
 */
export function jobSpawner(onProblem: (message: string) => void, startHost?: StartHost): JobSpawner {
  if (startHost) return new SpawnerClient(onProblem, startHost);
  if (process.versions.electron) return { spawn: spawnHere, start: () => undefined, close: () => undefined };
  return new SpawnerClient(onProblem);
}
