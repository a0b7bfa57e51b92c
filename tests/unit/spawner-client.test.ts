import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SpawnerClient } from '../../src/main/engine/execution/workers/spawner/spawner-client';
import type { SpawnedProcess } from '../../src/main/engine/execution/workers/spawner/spawned-process';

/** Everything a process reported, in order, until it closed. */
function collect(
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

/** Running (a zombie no one has reaped yet counts as ended: its parent, the spawner, is gone). */
const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
};

describe('SpawnerClient (a real spawner process)', () => {
  let client: SpawnerClient;
  const problems: string[] = [];
  afterEach(() => client?.close());

  const request = (script: string) => ({
    file: '/bin/sh',
    args: ['-c', script],
    cwd: undefined,
    env: { PATH: process.env.PATH ?? '', GREETING: 'hello' },
    detached: true,
  });

  it('runs a process elsewhere and reports its pid, its output in order, and its ends', async () => {
    client = new SpawnerClient((m) => problems.push(m));
    const runs = await Promise.all(
      [0, 1, 2].map((i) =>
        collect(
          client.spawn(request(`echo "$GREETING ${i}"; echo oops >&2; printf '%s' "$TICKR_API_TOKEN"; exit ${i}`)),
        ),
      ),
    );
    runs.forEach((r, i) => {
      expect(r.events).toEqual(['spawn', `exit ${i} null`, `close ${i} null`]);
      expect(r.out).toBe(`hello ${i}\n`); // the job's env only: nothing of the node's own
      expect(r.err).toBe('oops\n');
      expect(r.pid).toBeGreaterThan(1);
      expect(r.pid).not.toBe(process.pid);
    });
    expect(problems).toEqual([]);
  });

  it('carries binary output whole, and a file that cannot be run as an error', async () => {
    client = new SpawnerClient((m) => problems.push(m));
    const big = await collect(client.spawn(request('head -c 3000000 /dev/zero | tr "\\0" "x"')));
    expect(big.out.length).toBe(3_000_000);
    const missing = await collect(client.spawn({ ...request(''), file: '/nonexistent/shell' }));
    expect(missing.events[0]).toMatch(/^error: .*ENOENT/);
    expect(missing.events.at(-1)).toMatch(/^close/);
  });

  it('when the spawner dies, its running jobs are ended and told why, and the next job starts a new one', async () => {
    client = new SpawnerClient((m) => problems.push(m));
    const child = client.spawn(request('sleep 30'));
    const ended = collect(child);
    await new Promise<void>((resolve) => child.once('spawn', () => resolve()));
    const pid = child.pid!;
    expect(alive(pid)).toBe(true);
    // The spawner is this process's child that runs `node -e`: kill it as a crash would.
    const host = (client as unknown as { host: { pid: number } }).host;
    process.kill(host.pid, 'SIGKILL');
    const r = await ended;
    expect(r.events).toContain('error: the spawner process was killed by SIGKILL');
    expect(r.events.at(-1)).toBe('close null SIGKILL');
    await expect.poll(() => alive(pid)).toBe(false);
    expect(problems.at(-1)).toMatch(/spawner process was killed by SIGKILL; its 1 running job/);
    const next = await collect(client.spawn(request('echo again')));
    expect(next.out).toBe('again\n');
  });
});
