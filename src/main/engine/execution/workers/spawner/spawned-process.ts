import { spawn } from 'node:child_process';
import type { EventEmitter } from 'node:events';

/**
 * What a shell attempt needs of its process, wherever it was forked: its pid once it has one
 * (the 'spawn' event), its output ('data' on stdout and stderr), and its ends ('error', 'exit',
 * 'close'), as node's ChildProcess has them.
 */
export interface SpawnedProcess extends EventEmitter {
  readonly pid?: number | undefined;
  readonly stdout: EventEmitter;
  readonly stderr: EventEmitter;
}

export interface SpawnRequest {
  file: string;
  args: string[];
  cwd: string | undefined;
  env: Record<string, string>;
  /** POSIX: the leader of a new process group (setsid), so the whole tree can be signalled. */
  detached: boolean;
}

export type SpawnProcess = (request: SpawnRequest) => SpawnedProcess;

/** Forks in this process: what the desktop app does (spawner-client.ts says why). */
export const spawnHere: SpawnProcess = (r) =>
  spawn(r.file, r.args, {
    cwd: r.cwd,
    env: r.env,
    detached: r.detached,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
