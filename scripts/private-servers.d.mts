import type { ChildProcess } from 'node:child_process';

export interface PrivateServer {
  url: string;
  port: number;
  dir: string;
  child: ChildProcess;
  stop(opts?: { keepDir?: boolean }): Promise<void>;
}

export function freePort(): Promise<number>;
export function startPrivateRedis(opts?: {
  dir?: string;
  port?: number;
  save?: string;
  dbfilename?: string;
}): Promise<PrivateServer>;
/** With `dir`, the data there is reused, unless `init` asks to initialise a fresh one in it. */
export function startPrivateMariadb(opts?: {
  dir?: string;
  port?: number;
  init?: boolean;
  /** More `mariadbd` options, after the usual ones. */
  args?: string[];
}): Promise<PrivateServer>;
export function servicesForRun(label: string): Promise<{ env: NodeJS.ProcessEnv; stop(): Promise<void> }>;
export function run(args: string[], env: NodeJS.ProcessEnv): Promise<number>;
