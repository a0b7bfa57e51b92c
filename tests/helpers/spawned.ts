import type { SpawnedProcess } from '../../src/main/engine/execution/workers/spawner/spawned-process';

/** Everything a spawned process reported, in order, until it closed. */
export function collect(
  child: SpawnedProcess,
): Promise<{ events: string[]; out: string; err: string; pid: number | undefined }> {
  const events: string[] = [];
  let out = '';
  let err = '';
  child.on('spawn', () => events.push('spawn'));
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.on('error', (e: Error) => events.push(`error: ${e.message}`));
  child.on('exit', (code, signal) => events.push(`exit ${code} ${signal}`));
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      events.push(`close ${code} ${signal}`);
      resolve({ events, out, err, pid: child.pid });
    }),
  );
}

/** A spawn request for `/bin/sh -c script`, in its own process group, with GREETING=hello. */
export const shRequest = (script: string) => ({
  file: '/bin/sh',
  args: ['-c', script],
  cwd: undefined,
  env: { PATH: process.env.PATH ?? '', GREETING: 'hello' },
  detached: true,
});
