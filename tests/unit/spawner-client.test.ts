import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SpawnerClient } from '../../src/main/engine/execution/workers/spawner/spawner-client';
import { collect, shRequest } from '../helpers/spawned';

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

  it('runs a process elsewhere and reports its pid, its output in order, and its ends', async () => {
    client = new SpawnerClient((m) => problems.push(m));
    const runs = await Promise.all(
      [0, 1, 2].map((i) =>
        collect(
          client.spawn(shRequest(`echo "$GREETING ${i}"; echo oops >&2; printf '%s' "$TICKR_API_TOKEN"; exit ${i}`)),
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
    const big = await collect(client.spawn(shRequest('head -c 3000000 /dev/zero | tr "\\0" "x"')));
    expect(big.out.length).toBe(3_000_000);
    const missing = await collect(client.spawn({ ...shRequest(''), file: '/nonexistent/shell' }));
    expect(missing.events[0]).toMatch(/^error: .*ENOENT/);
    expect(missing.events.at(-1)).toMatch(/^close/);
  });

  it('when the spawner dies, its running jobs are ended and told why, and the next job starts a new one', async () => {
    client = new SpawnerClient((m) => problems.push(m));
    const child = client.spawn(shRequest('sleep 30'));
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
    const next = await collect(client.spawn(shRequest('echo again')));
    expect(next.out).toBe('again\n');
  });

  it('a spawner closed before it said it listens is not taken for one that cannot start', async () => {
    client = new SpawnerClient((m) => problems.push(m));
    problems.length = 0;
    client.start();
    const host = (client as unknown as { host: { pid: number } }).host;
    client.close();
    await expect.poll(() => alive(host.pid)).toBe(false);
    expect(problems).toEqual([]);
    // Still a spawner's client: the next job starts a new one.
    const next = await collect(client.spawn(shRequest('echo again')));
    expect(next.out).toBe('again\n');
    expect((client as unknown as { host: { pid: number } }).host.pid).not.toBe(host.pid);
  });
});
