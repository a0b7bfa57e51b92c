import { spawn } from 'node:child_process';

/**
 * The spawner process (host.cjs) as SpawnerClient talks to it, whatever started it: `node -e`
 * with an IPC channel here (startNodeHost), an Electron utility process in the desktop app
 * (src/main/app/utility-spawner.ts, given to the engine as EngineOptions.spawnerHost). Messages
 * are structured clones either way.
 */
export interface HostChannel {
  /** The process's pid once it runs; undefined before, and when it could not start. */
  readonly pid: number | undefined;
  /** False once the process has gone or was closed: no message reaches it any more. */
  readonly connected: boolean;
  /** Sends one message; `onError` hears if it could not be delivered (the process is gone). */
  send(message: unknown, onError: (err: Error) => void): void;
  onMessage(listener: (message: unknown) => void): void;
  /** The process ended, or never started: then `startError` says why. */
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null, startError: Error | null) => void): void;
  /** Ends the process; its jobs' process groups are detached and live on. */
  close(): void;
}

/** Starts a spawner process running `source` (host.cjs's text). Throws when it cannot start at all. */
export type StartHost = (source: string) => HostChannel;

/** The spawner as a plain node process: `node -e <source>`, with an IPC channel. */
export const startNodeHost: StartHost = (source) => {
  const host = spawn(process.execPath, ['-e', source], {
    // Its own environment is not the jobs': each job's comes with its request.
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
    windowsHide: true,
  });
  // Neither the host nor its channel keeps the node alive: the node's own work does.
  host.unref();
  host.channel?.unref();
  return {
    get pid() {
      return host.pid;
    },
    get connected() {
      return host.connected;
    },
    send(message, onError) {
      try {
        host.send(message as object, (err) => {
          if (err) onError(err);
        });
      } catch (err) {
        onError(err as Error);
      }
    },
    onMessage: (listener) => void host.on('message', listener),
    onExit(listener) {
      // A spawn that fails (no such binary) emits 'error' with no pid, and no 'exit'.
      host.on('error', (err) => {
        if (host.pid === undefined) listener(null, null, err);
      });
      host.on('exit', (code, signal) => listener(code, signal, null));
    },
    close() {
      if (host.connected) host.disconnect();
    },
  };
};
