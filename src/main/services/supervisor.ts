import { spawn, type ChildProcess } from 'node:child_process';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import type { ServiceName } from './local-default';
import { removePidFile, writePidFile } from './pid-file';
import { portAnswers } from './port-probe';

export type ServiceEventKind = 'service.started' | 'service.exited' | 'service.restarted' | 'service.failed';

/** What a supervisor reports; the caller records it as a system event (Engine.recordSystemEvent). */
export interface ServiceEvent {
  level: 'info' | 'warn' | 'error';
  kind: ServiceEventKind;
  message: string;
  data: { service: ServiceName; pid?: number; port: number; restarts: number; delayMs?: number; at?: string };
}

export interface ServerSpec {
  service: ServiceName;
  /** Shown in messages: "Redis", "MariaDB", "MySQL". */
  label: string;
  port: number;
  /** The service's own folder under the data dir; holds the pid file. */
  dir: string;
  pidFile: string;
  /** What the server's command line holds, checked before a leftover is ended (see pid-file.ts). */
  markers: string[];
  /** Runs before every spawn: MariaDB's first initialisation. Must be cheap once done. */
  prepare?: (signal: AbortSignal) => Promise<void>;
  command: { file: string; args: string[] };
}

export interface SupervisorOptions {
  backoff?: BackoffOptions;
  /** How long a spawned server may take to answer on its port before it counts as failed. */
  readyTimeoutMs?: number;
  onEvent?: (event: ServiceEvent) => void;
}

const POLL_MS = 100;

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `signal ${signal}` : `exit code ${code}`;
}

/**
 * Runs one server and keeps it running: a server that dies (or never answers) is started again
 * after a back-off, and each death and restart is reported. The engine notices the outage through
 * its own health checks and rebuilds Redis's queues from MySQL on reconnect, so the supervisor
 * knows nothing of the engine.
 */
export class Supervisor {
  private child: ChildProcess | null = null;
  private stopping = false;
  private upSince = 0;
  private restarts = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly abort = new AbortController();
  private readonly backoff: Backoff;
  private readonly readyWaiters = new Set<() => void>();
  private isReady = false;
  /** The spawn under way (MariaDB's initialisation may take seconds): stop() waits for it. */
  private launching: Promise<void> | null = null;

  constructor(
    readonly spec: ServerSpec,
    private readonly options: SupervisorOptions = {},
  ) {
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF);
  }

  /** The running server's pid, or null between a death and its restart. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get restartCount(): number {
    return this.restarts;
  }

  /** Spawns the server; it answers later (see untilReady). */
  start(): void {
    this.relaunch();
  }

  private relaunch(): void {
    const launching = this.launch()
      .catch((err: Error) => {
        // A spawn that threw (bad arguments, a pid file that cannot be written): tried again.
        if (this.stopping) return;
        this.emit({ level: 'error', kind: 'service.failed', message: `managed ${this.spec.label}: ${err.message}` });
        this.scheduleRestart(0);
      })
      .finally(() => {
        if (this.launching === launching) this.launching = null;
      });
    this.launching = launching;
  }

  /** Resolves once the server answers on its port (at once if it does now); false after timeoutMs. */
  untilReady(timeoutMs: number): Promise<boolean> {
    if (this.isReady) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.readyWaiters.delete(done);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.readyWaiters.delete(done);
        resolve(false);
      }, timeoutMs);
      this.readyWaiters.add(done);
    });
  }

  /** Stops the server for good: SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    if (this.timer !== null) clearTimeout(this.timer);
    await this.launching;
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(kill);
  }

  private emit(event: Omit<ServiceEvent, 'data'> & { data?: Partial<ServiceEvent['data']> }): void {
    this.options.onEvent?.({
      ...event,
      data: { service: this.spec.service, port: this.spec.port, restarts: this.restarts, ...event.data },
    });
  }

  private async launch(): Promise<void> {
    const { spec } = this;
    try {
      await spec.prepare?.(this.abort.signal);
    } catch (err) {
      if (this.stopping) return;
      this.emit({
        level: 'error',
        kind: 'service.failed',
        message: `managed ${spec.label} could not be prepared: ${(err as Error).message}`,
      });
      this.scheduleRestart(0);
      return;
    }
    if (this.stopping) return;
    // Own process group on POSIX: a Ctrl-C in the terminal of `tickr serve` reaches the node,
    // which drains its jobs and then stops the server, rather than killing the server mid-drain.
    const child = spawn(spec.command.file, spec.command.args, {
      stdio: 'ignore',
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    this.child = child;
    this.isReady = false;
    child.once('error', (err) => {
      if (this.child !== child) return;
      this.child = null;
      if (this.stopping) return;
      this.emit({
        level: 'error',
        kind: 'service.failed',
        message: `managed ${spec.label} did not start: ${err.message}`,
      });
      this.scheduleRestart(0);
    });
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
    if (child.pid !== undefined) writePidFile(spec.pidFile, { pid: child.pid, markers: spec.markers });
    void this.watchReady(child);
  }

  private async watchReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 60_000);
    while (this.child === child && child.exitCode === null && child.signalCode === null) {
      if (await portAnswers(this.spec.port, 500)) {
        if (this.child !== child) return;
        this.isReady = true;
        this.upSince = Date.now();
        const again = this.restarts > 0;
        this.emit({
          level: 'info',
          kind: again ? 'service.restarted' : 'service.started',
          message: `managed ${this.spec.label} ${again ? 'restarted' : 'started'} on 127.0.0.1:${this.spec.port} (pid ${child.pid})`,
          data: { pid: child.pid },
        });
        for (const waiter of [...this.readyWaiters]) waiter();
        return;
      }
      if (Date.now() > deadline) {
        // Alive but deaf: killed, and the exit handler schedules the next try.
        child.kill('SIGKILL');
        return;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = null;
    this.isReady = false;
    removePidFile(this.spec.pidFile);
    if (this.stopping) return;
    const upMs = this.upSince === 0 ? 0 : Date.now() - this.upSince;
    this.upSince = 0;
    this.scheduleRestart(upMs, describeExit(code, signal), child.pid);
  }

  private scheduleRestart(upMs: number, why?: string, pid?: number): void {
    const delayMs = this.backoff.next(upMs);
    this.restarts += 1;
    if (why !== undefined) {
      this.emit({
        level: 'warn',
        kind: 'service.exited',
        message:
          `managed ${this.spec.label} (pid ${pid}) exited with ${why} after ${Math.round(upMs / 1000)} s up; ` +
          `restarting in ${(delayMs / 1000).toFixed(1)} s`,
        data: { pid, delayMs },
      });
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopping) this.relaunch();
    }, delayMs);
  }
}
