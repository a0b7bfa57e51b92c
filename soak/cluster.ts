import { createWriteStream, type WriteStream } from 'node:fs';
import WebSocket from 'ws';
import { EVENTS_BEARER_PREFIX, EVENTS_PROTOCOL } from '../src/shared/contract';
import { spawnNode, type NodeProcess } from '../tests/helpers/node-process';
import type { RunLog } from './run-log';

export class SoakApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/**
 * One of the soak's three `tickr serve` processes, across its restarts: the same data dir (so the
 * same node id and journal) each time. It keeps everything the node emits for the secret search:
 * its stdout and stderr (node-<name>.log, written at each exit), every message of its WebSocket
 * event stream (ws-<name>.ndjson) and every API answer the soak read from it (api-answers.log).
 */
export class SoakNode {
  private proc: NodeProcess | null = null;
  /** Every pid this node ran as: a job's shell names its node by its parent pid ($PPID). */
  readonly pids = new Map<number, string>();
  /** Exits the soak did not cause. */
  crashes = 0;
  private expectExit = false;
  private socket: WebSocket | null = null;
  private readonly wsFile: WriteStream;

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
    private readonly log: RunLog,
    private readonly apiFile: WriteStream,
  ) {
    this.wsFile = createWriteStream(log.file(`ws-${name}.ndjson`), { flags: 'a' });
  }

  get up(): boolean {
    return this.proc !== null && this.proc.child.exitCode === null;
  }

  get pid(): number | null {
    return this.proc?.child.pid ?? null;
  }

  async start(): Promise<void> {
    const proc = await spawnNode(this.env);
    this.proc = proc;
    this.expectExit = false;
    this.pids.set(proc.child.pid!, this.name);
    proc.child.once('exit', (code, signal) => {
      this.log.append(`node-${this.name}.log`, `${proc.output()}\n--- exit code=${code} signal=${signal}\n`);
      if (!this.expectExit) {
        this.crashes += 1;
        this.log.event('node.crashed', { node: this.name, code, signal });
      }
      if (this.proc === proc) this.proc = null;
    });
    this.openSocket(proc);
    this.log.event('node.started', { node: this.name, pid: proc.child.pid });
  }

  /** SIGKILL, as a crash. */
  async kill(): Promise<void> {
    if (!this.proc) return;
    this.expectExit = true;
    await this.proc.kill();
  }

  /** SIGTERM: the node drains (its drain limit is short in the soak), then exits. */
  async drain(): Promise<void> {
    if (!this.proc) return;
    this.expectExit = true;
    await this.proc.stop(30_000);
  }

  /** Calls an API method; the raw answer goes to api-answers.log before it is parsed. */
  async call<T>(method: string, input: unknown, timeoutMs = 15_000): Promise<T> {
    const proc = this.proc;
    if (!proc) throw new SoakApiError('NODE_DOWN', `node ${this.name} is not running`);
    const res = await fetch(`${proc.url}/api/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${proc.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    this.apiFile.write(`${this.name} ${method}\t${text}\n`);
    const body = JSON.parse(text) as { ok: boolean; data?: T; error?: { code: string; message: string } };
    if (!body.ok) throw new SoakApiError(body.error?.code ?? 'UNKNOWN', body.error?.message ?? text);
    return body.data as T;
  }

  private openSocket(proc: NodeProcess): void {
    const ws = new WebSocket(`${proc.url.replace(/^http/, 'ws')}/api/events`, [
      EVENTS_PROTOCOL,
      `${EVENTS_BEARER_PREFIX}${proc.token}`,
    ]);
    this.socket = ws;
    ws.on('message', (data: Buffer) => {
      this.wsFile.write(data.toString('utf8'));
      this.wsFile.write('\n');
    });
    // The node going away ends the stream; a restart opens a new one.
    ws.on('error', () => undefined);
  }

  /** Closes the event stream's socket and file, once the node is stopped for good. */
  async close(): Promise<void> {
    this.socket?.terminate();
    await new Promise<void>((resolve) => this.wsFile.end(resolve));
  }
}
