import { utilityProcess } from 'electron';
import type { HostChannel, StartHost } from '../engine/execution/workers/spawner/host-channel';

/**
 * The job spawner (engine/execution/workers/spawner/host.cjs) as an Electron utility process:
 * the desktop app's main process then forks no job itself. A fork from the main process copies
 * its page tables and blocks its event loop until the child has exec'd, and that event loop also
 * answers the window (docs/architecture.md, "A spawner process"). `node -e` is not there in a
 * packaged app (its RunAsNode fuse is off); a utility process is: Electron starts it from the
 * app's own binary, with Node, and ends it with the app.
 *
 * A utility process runs a script file: `file` is the build's copy of host.cjs beside the main
 * bundle (electron.vite.config.ts emits it; packed, it is inside app.asar, under the asar
 * integrity check), the same source the engine inlines for `node -e`, which it passes and this
 * does not need.
 */
export function utilitySpawnerHost(file: string): StartHost {
  return () => {
    const child = utilityProcess.fork(file, [], {
      serviceName: 'Tickr job spawner',
      // Its own environment is not the jobs': each job's comes with its request.
      env: { PATH: process.env.PATH ?? '' },
      stdio: 'inherit',
    });
    let connected = true;
    // Registered first, so every listener added by onExit sees it gone.
    child.on('exit', () => (connected = false));
    const channel: HostChannel = {
      get pid() {
        return child.pid;
      },
      get connected() {
        return connected;
      },
      send(message, onError) {
        if (!connected) {
          onError(new Error('the spawner process has exited'));
          return;
        }
        try {
          child.postMessage(message);
        } catch (err) {
          onError(err as Error);
        }
      },
      onMessage: (listener) => void child.on('message', listener),
      // A utility process reports an exit code only; a kill by signal shows as a code too.
      onExit: (listener) => void child.on('exit', (code) => listener(code, null, null)),
      close() {
        if (!connected) return;
        connected = false;
        child.kill();
      },
    };
    return channel;
  };
}
