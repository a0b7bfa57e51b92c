import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ServerSpec } from './supervisor';

/**
 * A Redis for Tickr alone: bound to 127.0.0.1, its data in `dir`, persisted by an append-only
 * file fsynced every second (a crash loses at most a second of queue moves, which the engine's
 * recovery repairs from MySQL), no RDB snapshots.
 */
export function redisSpec(binary: string, dir: string, port: number): ServerSpec {
  mkdirSync(dir, { recursive: true });
  return {
    service: 'redis',
    label: 'Redis',
    port,
    dir,
    pidFile: path.join(dir, 'tickr-managed.pid'),
    // Redis rewrites its process title to "redis-server 127.0.0.1:<port>": the data dir is not in it.
    markers: [path.basename(binary, '.exe'), `:${port}`],
    command: {
      file: binary,
      args: [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--protected-mode',
        'yes',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--daemonize',
        'no',
        '--logfile',
        path.join(dir, 'redis.log'),
      ],
    },
  };
}
